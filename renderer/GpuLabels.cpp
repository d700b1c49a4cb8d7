#include "renderer/GpuLabels.h"

#include <algorithm>

#include "renderer/Device.h"
#include "renderer/GpuVolume.h"
#include "renderer/StagingUpload.h"

namespace delineo::renderer {

core::Result<std::unique_ptr<GpuLabels>> GpuLabels::create(Device& device, const core::Labelmap& labels,
                                                           const GpuVolume& volume) {
  auto gpu = std::make_unique<GpuLabels>();
  gpu->mDims = volume.geometry().dims;
  gpu->mFactors = volume.downsampleFactors();
  gpu->mBrickVoxels = volume.brickVoxels();
  gpu->mBrickDims = volume.brickDims();
  for (int a = 0; a < 3; ++a)
    if ((labels.geometry().dims[a] + gpu->mFactors[a] - 1) / gpu->mFactors[a] != gpu->mDims[a])
      return core::makeError("labelmap " + core::toString(labels.geometry().dims) +
                             " does not match the volume's grid");
  ImageDesc desc;
  desc.format = VK_FORMAT_R8_UINT;
  desc.extent = {static_cast<uint32_t>(gpu->mDims[0]), static_cast<uint32_t>(gpu->mDims[1]),
                 static_cast<uint32_t>(gpu->mDims[2])};
  auto image = Image::create(device, desc);
  if (!image) return core::makeError("cannot hold the labelmap on the GPU: " + image.message());
  gpu->mTexture = std::move(image).value();
  gpu->mLabelledCount.assign(static_cast<size_t>(gpu->mBrickDims[0]) * gpu->mBrickDims[1] * gpu->mBrickDims[2], 0);
  Box all{{0, 0, 0}, {gpu->mDims[0], gpu->mDims[1], gpu->mDims[2]}};
  if (auto r = gpu->upload(device, labels, {&all, 1}, true); !r) return r.error();
  return gpu;
}

std::uint8_t GpuLabels::texel(const core::Labelmap& labels, std::int64_t x, std::int64_t y,
                              std::int64_t z) const {
  const auto& d = labels.geometry().dims;
  return labels.at(std::min<std::int64_t>(x * mFactors[0] + (mFactors[0] - 1) / 2, d[0] - 1),
                   std::min<std::int64_t>(y * mFactors[1] + (mFactors[1] - 1) / 2, d[1] - 1),
                   std::min<std::int64_t>(z * mFactors[2] + (mFactors[2] - 1) / 2, d[2] - 1));
}

core::Result<void> GpuLabels::updateBricks(Device& device, const core::Labelmap& labels,
                                           std::span<const std::int64_t> bricks) {
  if (bricks.empty()) return {};
  const auto bd = labels.brickDims();
  const int S = core::Labelmap::kBrickSize;
  std::vector<Box> boxes;
  for (std::int64_t b : bricks) {
    if (b < 0 || b >= labels.brickCount()) continue;
    std::int64_t idx[3] = {b % bd[0], (b / bd[0]) % bd[1], b / (bd[0] * bd[1])};
    Box box{};
    for (int a = 0; a < 3; ++a) {
      // Texture voxels whose source voxel x * f + off lies in the brick's [lo, hi).
      std::int64_t lo = idx[a] * S, hi = std::min(lo + S, labels.geometry().dims[a]);
      std::int64_t f = mFactors[a], off = (f - 1) / 2;
      box.lo[a] = std::max<std::int64_t>(0, (lo - off + f - 1) / f);
      box.hi[a] = std::min(mDims[a], (hi - 1 - off) / f + 1);
    }
    if (box.lo[0] < box.hi[0] && box.lo[1] < box.hi[1] && box.lo[2] < box.hi[2]) boxes.push_back(box);
  }
  return upload(device, labels, boxes, false);
}

core::Result<void> GpuLabels::upload(Device& device, const core::Labelmap& labels,
                                     std::span<const Box> boxes, bool first) {
  VkDeviceSize total = 0;
  for (const auto& b : boxes) total += static_cast<VkDeviceSize>((b.hi[0] - b.lo[0]) * (b.hi[1] - b.lo[1]) * (b.hi[2] - b.lo[2]));
  auto staging = StagingUpload::create(device, total);
  if (!staging) return staging.error();
  std::uint8_t* out = staging->bytes().data();
  std::vector<ImageRegion> regions;
  VkDeviceSize offset = 0;
  for (const auto& b : boxes) {
    ImageRegion r;
    r.offset = {static_cast<int32_t>(b.lo[0]), static_cast<int32_t>(b.lo[1]), static_cast<int32_t>(b.lo[2])};
    r.extent = {static_cast<uint32_t>(b.hi[0] - b.lo[0]), static_cast<uint32_t>(b.hi[1] - b.lo[1]),
                static_cast<uint32_t>(b.hi[2] - b.lo[2])};
    r.bufferOffset = offset;
    regions.push_back(r);
    std::uint8_t* p = out + offset;
    bool direct = mFactors == std::array<int, 3>{1, 1, 1};
    for (std::int64_t z = b.lo[2]; z < b.hi[2]; ++z)
      for (std::int64_t y = b.lo[1]; y < b.hi[1]; ++y) {
        if (direct) {
          const std::uint8_t* row = labels.voxels().data() + labels.geometry().linearIndex(b.lo[0], y, z);
          p = std::copy(row, row + (b.hi[0] - b.lo[0]), p);
        } else {
          for (std::int64_t x = b.lo[0]; x < b.hi[0]; ++x) *p++ = texel(labels, x, y, z);
        }
      }
    offset += r.extent.width * r.extent.height * r.extent.depth;
    recount(labels, b);
  }
  auto value = std::move(*staging).copyToImage(
      device, mTexture, regions,
      first ? VK_IMAGE_LAYOUT_UNDEFINED : VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL,
      VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL);
  if (!value) return value.error();
  ++mGeneration;
  return {};
}

void GpuLabels::recount(const core::Labelmap& labels, const Box& box) {
  // Recount whole empty-space bricks that the box touches.
  const std::int64_t B = mBrickVoxels;
  std::int64_t blo[3], bhi[3];
  for (int a = 0; a < 3; ++a) blo[a] = box.lo[a] / B, bhi[a] = (box.hi[a] - 1) / B + 1;
  for (std::int64_t bz = blo[2]; bz < bhi[2]; ++bz)
    for (std::int64_t by = blo[1]; by < bhi[1]; ++by)
      for (std::int64_t bx = blo[0]; bx < bhi[0]; ++bx) {
        std::uint32_t count = 0;
        for (std::int64_t z = bz * B; z < std::min(mDims[2], (bz + 1) * B); ++z)
          for (std::int64_t y = by * B; y < std::min(mDims[1], (by + 1) * B); ++y)
            for (std::int64_t x = bx * B; x < std::min(mDims[0], (bx + 1) * B); ++x)
              count += texel(labels, x, y, z) != 0;
        mLabelledCount[static_cast<size_t>(bx + mBrickDims[0] * (by + std::int64_t{mBrickDims[1]} * bz))] = count;
      }
}

std::vector<std::uint8_t> GpuLabels::occupiedBricks() const {
  std::vector<std::uint8_t> occupied(mLabelledCount.size());
  for (size_t i = 0; i < occupied.size(); ++i) occupied[i] = mLabelledCount[i] > 0;
  dilateHigh(occupied, mBrickDims, [](std::uint8_t a, std::uint8_t b) -> std::uint8_t { return a | b; });
  return occupied;
}

}  // namespace delineo::renderer
