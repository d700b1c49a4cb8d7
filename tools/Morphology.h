#pragma once
// Morphology and clean-up of one label, in millimetres on anisotropic grids: threshold into a
// label, grow/shrink by a margin (exact Euclidean distance transform, so a 3 mm margin is a
// 3 mm ball whatever the spacing), smoothing (median, opening, closing) and logical operations
// between labels. Each computes its result first, then writes it through the LabelEdit.
#include <cstdint>
#include <optional>

#include "core/Labelmap.h"
#include "core/Result.h"
#include "core/Volume.h"
#include "tools/LabelEdit.h"
#include "tools/VoxelBox.h"
#include "tools/VoxelMask.h"

namespace delineo::tools {

struct ThresholdParams {
  double lower = 0;             // inclusive intensity range
  double upper = 0;
  std::uint8_t label = 1;       // painted where the volume lies in the range
  std::optional<VoxelBox> roi;  // default: the whole volume
};
core::Result<std::int64_t> threshold(const core::Volume& volume, LabelEdit& edit, const ThresholdParams& params);

// Voxels within `marginMm` (Euclidean, voxel centres) of `mask`; negative margins give the
// voxels of `mask` farther than |marginMm| from every voxel outside it (outside the grid counts
// as inside, as ITK's BinaryErode). A margin of r + 0.5 mm on a 1 mm grid equals ITK's binary
// dilation/erosion with a ball of radius r.
VoxelMask dilate(const VoxelMask& mask, double marginMm, core::Vec3 spacingMm);
VoxelMask erode(const VoxelMask& mask, double marginMm, core::Vec3 spacingMm);
// Majority in a box of (2 r_a + 1) voxels per axis, r_a = round(radiusMm / spacing_a), the border
// replicated (ITK's BinaryMedianImageFilter with that radius).
VoxelMask binaryMedian(const VoxelMask& mask, const std::array<std::int64_t, 3>& radius);
std::array<std::int64_t, 3> voxelRadius(double radiusMm, core::Vec3 spacingMm);

// Grows (margin > 0) or shrinks (margin < 0) the label by |marginMm|. Growing paints through
// the edit's rule; shrinking clears to background. Errors when the margin exceeds the volume.
core::Result<std::int64_t> applyMargin(LabelEdit& edit, std::uint8_t label, double marginMm);

enum class SmoothMethod {
  Median,   // majority vote in a box of the given radius: removes specks and fills pits
  Opening,  // erode then dilate: removes protrusions and islands thinner than 2·radius
  Closing,  // dilate then erode: fills gaps and dents narrower than 2·radius
};
core::Result<std::int64_t> smoothLabel(LabelEdit& edit, std::uint8_t label, SmoothMethod method, double radiusMm);

enum class LogicalOp {
  Union,      // a := a ∪ b (b's voxels become a)
  Intersect,  // a := a ∩ b (a's voxels outside b are cleared)
  Subtract,   // a := a \ b (a's voxels inside b are cleared)
};
// `source` holds label b: the edited labelmap itself or another on the same grid (where a and
// b can overlap, as two segmentations of one study).
core::Result<std::int64_t> logicalOperation(LabelEdit& edit, LogicalOp op, std::uint8_t a, const core::Labelmap& source,
                                            std::uint8_t b);

}  // namespace delineo::tools
