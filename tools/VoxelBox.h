#pragma once
// VoxelBox: a box of voxel indices, [lo, hi) along each axis. Tools use it for their region of
// interest; an empty box (hi <= lo on an axis) contains nothing.
#include <algorithm>
#include <array>
#include <cstdint>

#include "core/Geometry.h"

namespace delineo::tools {

struct VoxelBox {
  std::array<std::int64_t, 3> lo{0, 0, 0};  // first voxel index along i, j, k
  std::array<std::int64_t, 3> hi{0, 0, 0};  // one past the last voxel index

  static VoxelBox whole(const core::Dims& dims) { return {{0, 0, 0}, {dims[0], dims[1], dims[2]}}; }
  bool empty() const { return hi[0] <= lo[0] || hi[1] <= lo[1] || hi[2] <= lo[2]; }
  std::int64_t voxelCount() const { return empty() ? 0 : (hi[0] - lo[0]) * (hi[1] - lo[1]) * (hi[2] - lo[2]); }
  bool contains(std::int64_t i, std::int64_t j, std::int64_t k) const {
    return i >= lo[0] && j >= lo[1] && k >= lo[2] && i < hi[0] && j < hi[1] && k < hi[2];
  }
  VoxelBox clippedTo(const core::Dims& dims) const {
    VoxelBox b;
    for (int a = 0; a < 3; ++a) {
      b.lo[a] = std::clamp<std::int64_t>(lo[a], 0, dims[a]);
      b.hi[a] = std::clamp<std::int64_t>(hi[a], 0, dims[a]);
    }
    return b;
  }
};

}  // namespace delineo::tools
