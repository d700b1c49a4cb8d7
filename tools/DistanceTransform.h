#pragma once
// Exact Euclidean distance transform (Felzenszwalb & Huttenlocher) on an anisotropic grid:
// for every voxel of a box, the squared distance in mm^2 to the nearest feature voxel.

#include <cstdint>
#include <vector>

#include "core/Math.h"

namespace delineo::tools {

// `features` has dims[0]*dims[1]*dims[2] entries (i fastest), non-zero where a feature is.
// Returns squared distances in mm^2 (infinity everywhere when there is no feature).
std::vector<double> squaredDistanceMm2(const std::vector<std::uint8_t>& features, const std::int64_t dims[3],
                                       core::Vec3 spacingMm);

}  // namespace delineo::tools
