#pragma once
// Shape-based interpolation between contoured slices of one label ("fill between slices"):
// for each pair of consecutive slices holding the label, the gap is filled from the linear
// blend of their signed distance maps (mm, in-plane). The two shapes are first moved onto their
// interpolated centroid, so contours that do not overlap still give intermediate shapes moving
// from one to the other, instead of nothing.
#include <cstdint>

#include "core/Result.h"
#include "tools/LabelEdit.h"

namespace delineo::tools {

struct InterpolationParams {
  std::uint8_t label = 1;        // the label drawn on some slices
  int sliceAxis = 2;             // index axis across the slices: 0 (i), 1 (j) or 2 (k)
  bool alignCentroids = true;    // blend the shapes about their moving centroid (else in place)
};

// Returns the voxels changed; errors when fewer than two slices hold the label.
core::Result<std::int64_t> interpolateSlices(LabelEdit& edit, const InterpolationParams& params);

}  // namespace delineo::tools
