#pragma once
// Series assembly: orders the frames of a DICOM series along the slice normal and derives one
// Geometry, refusing anything that would give a silently wrong volume (duplicate or missing
// slices, gantry tilt, mixed sizes or orientations, missing positions). No DCMTK here.
// Internal to delineo_io.

#include <cstdint>
#include <string>
#include <vector>

#include "core/Geometry.h"
#include "core/Result.h"
#include "core/io/DicomHeader.h"

namespace delineo::io {

// One slice of the volume: frame `frame` (0-based) of file `file` (index into the headers).
struct SliceRef {
  int file = 0;
  int frame = 0;
};

struct SeriesLayout {
  core::Geometry geometry;
  std::vector<SliceRef> slices;  // in k order
  std::vector<std::string> warnings;
};

struct LayoutOptions {
  // Stack the frames of a single file that has no patient geometry at all (secondary capture,
  // X-ray cine) with an identity direction, in frame order, and warn; otherwise that's an error.
  bool allowMissingGeometry = false;
};

// Slice gaps that differ from the series' median gap by more than the larger of these mean
// missing slices or uneven spacing...
inline constexpr double kSpacingToleranceMm = 0.01;
inline constexpr double kRelativeSpacingTolerance = 0.01;
// ...unless position rounding explains them: scanners write positions rounded to as little as
// 0.1 mm, so a slice within this distance of the evenly spaced grid (and of the normal line
// for tilt) is accepted. No voxel is ever placed farther than this from its file's position.
inline constexpr double kPlacementToleranceMm = 0.1;
// A gap this much larger or smaller than the median is never rounding (a missing slice).
inline constexpr double kMissingSliceFraction = 0.25;

core::Result<SeriesLayout> layoutSeries(const std::vector<DicomHeader>& files,
                                        const LayoutOptions& options = {});

}  // namespace delineo::io
