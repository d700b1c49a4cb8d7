#pragma once
// Contour fill: a closed polygon drawn in any plane (axial, sagittal, coronal or oblique), given
// as LPS mm points, filled into the labelmap or erased. A voxel is inside when its centre lies
// within half a voxel of the plane (measured along the normal, so exactly one layer of voxels)
// and inside the polygon (even-odd rule).
#include <cstdint>
#include <vector>

#include "core/Math.h"
#include "core/Result.h"
#include "tools/LabelEdit.h"

namespace delineo::tools {

struct ContourParams {
  std::vector<core::Vec3> pointsMm;  // the outline in LPS mm, in order; closed implicitly
  std::uint8_t label = 1;            // painted inside (or the label erased)
  bool erase = false;                // clear `label` inside instead (label 0: clear any label)
};

// Validates the polygon (>= 3 distinct points, planar within a quarter voxel, no
// self-intersection) before touching anything; returns the voxels changed.
core::Result<std::int64_t> fillContour(LabelEdit& edit, const ContourParams& params);

}  // namespace delineo::tools
