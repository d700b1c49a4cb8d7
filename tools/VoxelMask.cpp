#include "tools/VoxelMask.h"

#include <cstring>
#include <new>

namespace delineo::tools {

VoxelMask::VoxelMask(const core::Dims& dims) : mDims(dims) {
  auto n = static_cast<std::size_t>(size());
  mData.reset(static_cast<std::uint8_t*>(std::calloc(n > 0 ? n : 1, 1)));
  if (!mData) throw std::bad_alloc();
}

VoxelMask::VoxelMask(const VoxelMask& other) : VoxelMask(other.mDims) {
  if (other.mData) std::memcpy(mData.get(), other.mData.get(), static_cast<std::size_t>(size()));
}

VoxelMask& VoxelMask::operator=(const VoxelMask& other) {
  if (this != &other) *this = VoxelMask(other);
  return *this;
}

std::int64_t VoxelMask::count() const {
  std::int64_t n = 0;
  const std::uint8_t* p = mData.get();
  for (std::int64_t v = 0, e = size(); v < e; ++v) n += p[v] != 0;
  return n;
}

VoxelMask maskOfLabel(const core::Labelmap& labelmap, std::uint8_t label) {
  VoxelMask mask(labelmap.geometry().dims);
  auto voxels = labelmap.voxels();
  std::uint8_t* out = mask.data();
  for (std::size_t v = 0; v < voxels.size(); ++v) out[v] = voxels[v] == label;
  return mask;
}

VoxelMask maskOfRuns(const core::Dims& dims, std::span<const VoxelRun> runs) {
  VoxelMask mask(dims);
  for (const VoxelRun& r : runs)
    std::memset(mask.data() + r.i0 + dims[0] * (r.j + dims[1] * std::int64_t(r.k)), 1, std::size_t(r.i1 - r.i0));
  return mask;
}

std::int64_t writeRuns(LabelEdit& edit, std::span<const VoxelRun> runs, std::uint8_t value) {
  std::int64_t changed = 0;
  for (const VoxelRun& r : runs)
    for (std::int32_t i = r.i0; i < r.i1; ++i) changed += edit.set(i, r.j, r.k, value);
  return changed;
}

std::int64_t writeMask(LabelEdit& edit, const VoxelMask& mask, std::uint8_t value, const VoxelBox* box) {
  const core::Dims& d = mask.dims();
  VoxelBox b = box ? box->clippedTo(d) : VoxelBox::whole(d);
  std::int64_t changed = 0;
  const std::uint8_t* m = mask.data();
  for (std::int64_t k = b.lo[2]; k < b.hi[2]; ++k)
    for (std::int64_t j = b.lo[1]; j < b.hi[1]; ++j) {
      const std::uint8_t* row = m + d[0] * (j + d[1] * k);
      for (std::int64_t i = b.lo[0]; i < b.hi[0]; ++i)
        if (row[i]) changed += edit.set(i, j, k, value);
    }
  return changed;
}

std::int64_t writeMaskChange(LabelEdit& edit, const VoxelMask& before, const VoxelMask& after, std::uint8_t value,
                             std::uint8_t clearValue) {
  const core::Dims& d = after.dims();
  std::int64_t changed = 0;
  std::int64_t v = 0;
  for (std::int64_t k = 0; k < d[2]; ++k)
    for (std::int64_t j = 0; j < d[1]; ++j)
      for (std::int64_t i = 0; i < d[0]; ++i, ++v) {
        bool a = before[v] != 0, b = after[v] != 0;
        if (a != b) changed += edit.set(i, j, k, b ? value : clearValue);
      }
  return changed;
}

}  // namespace delineo::tools
