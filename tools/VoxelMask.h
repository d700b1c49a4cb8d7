#pragma once
// VoxelMask: one byte per voxel of a grid (non-zero = in the set), the currency between the
// computing half of a tool and the LabelEdit that writes its result. Storage comes zeroed from
// calloc, so the kernel maps pages lazily: a small region on a 512^3 grid costs little.
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <span>

#include "core/Labelmap.h"
#include "tools/LabelEdit.h"
#include "tools/VoxelBox.h"

namespace delineo::tools {

class VoxelMask {
 public:
  VoxelMask() = default;
  explicit VoxelMask(const core::Dims& dims);
  VoxelMask(const VoxelMask& other);
  VoxelMask& operator=(const VoxelMask& other);
  VoxelMask(VoxelMask&&) noexcept = default;
  VoxelMask& operator=(VoxelMask&&) noexcept = default;

  const core::Dims& dims() const { return mDims; }
  std::int64_t size() const { return mDims[0] * mDims[1] * mDims[2]; }
  std::uint8_t* data() { return mData.get(); }
  const std::uint8_t* data() const { return mData.get(); }
  std::uint8_t& operator[](std::int64_t index) { return mData[static_cast<std::size_t>(index)]; }
  std::uint8_t operator[](std::int64_t index) const { return mData[static_cast<std::size_t>(index)]; }
  bool at(std::int64_t i, std::int64_t j, std::int64_t k) const { return mData[static_cast<std::size_t>(i + mDims[0] * (j + mDims[1] * k))] != 0; }
  std::int64_t count() const;

 private:
  struct Free {
    void operator()(std::uint8_t* p) const { std::free(p); }
  };
  core::Dims mDims{0, 0, 0};
  std::unique_ptr<std::uint8_t[], Free> mData;
};

// A run of voxels along i: (i, j, k) for i0 <= i < i1. A set of disjoint runs is how region
// growing hands back its region: proportional to the region, not to the grid.
struct VoxelRun {
  std::int32_t i0, i1, j, k;
};

// The runs as a mask on a grid of `dims`.
VoxelMask maskOfRuns(const core::Dims& dims, std::span<const VoxelRun> runs);

// Sets every voxel of the (disjoint) runs to `value` through `edit`. Returns the voxels changed.
std::int64_t writeRuns(LabelEdit& edit, std::span<const VoxelRun> runs, std::uint8_t value);

// The voxels holding `label`.
VoxelMask maskOfLabel(const core::Labelmap& labelmap, std::uint8_t label);

// Sets every voxel in `mask` (within `box`, default the whole grid) to `value` through `edit`
// (which applies its paint rule and locks). Returns the voxels changed.
std::int64_t writeMask(LabelEdit& edit, const VoxelMask& mask, std::uint8_t value, const VoxelBox* box = nullptr);

// Sets every voxel whose membership differs between `before` and `after`: voxels entering get
// `value`, voxels leaving get `clearValue`. Returns the voxels changed.
std::int64_t writeMaskChange(LabelEdit& edit, const VoxelMask& before, const VoxelMask& after, std::uint8_t value,
                             std::uint8_t clearValue = 0);

}  // namespace delineo::tools
