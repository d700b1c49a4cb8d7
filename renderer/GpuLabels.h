#pragma once
// GpuLabels: a labelmap as an R8_UINT 3D texture (fetched, never filtered) on the grid of its
// GpuVolume, kept current brick by brick: only the 32^3 bricks an edit dirtied are copied. Also
// tracks which empty-space bricks hold any label, so skipping never leaps over a label.

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "core/Labelmap.h"
#include "core/Result.h"
#include "renderer/Image.h"

namespace delineo::renderer {

class Device;
class GpuVolume;

class GpuLabels {
 public:
  // The labelmap must lie on the grid of the volume `volume` was made from.
  static core::Result<std::unique_ptr<GpuLabels>> create(Device& device, const core::Labelmap& labels,
                                                         const GpuVolume& volume);
  // Copies the labelmap bricks (core::Labelmap brick indices, x fastest) that changed.
  core::Result<void> updateBricks(Device& device, const core::Labelmap& labels,
                                  std::span<const std::int64_t> bricks);

  const Image& texture() const { return mTexture; }
  // Per empty-space brick of the volume: 1 when any voxel a sample there reads is labelled.
  std::vector<std::uint8_t> occupiedBricks() const;
  // Changes with every update; the empty-space map is rebuilt when it does.
  std::uint64_t generation() const { return mGeneration; }

 private:
  struct Box {
    std::int64_t lo[3];  // texture voxel range [lo, hi)
    std::int64_t hi[3];
  };
  core::Result<void> upload(Device& device, const core::Labelmap& labels, std::span<const Box> boxes,
                            bool first);
  void recount(const core::Labelmap& labels, const Box& box);
  std::uint8_t texel(const core::Labelmap& labels, std::int64_t x, std::int64_t y, std::int64_t z) const;

  Image mTexture;
  core::Dims mDims{};
  std::array<int, 3> mFactors{1, 1, 1};
  int mBrickVoxels = 4;
  std::array<int, 3> mBrickDims{1, 1, 1};
  std::vector<std::uint32_t> mLabelledCount;  // labelled voxels per empty-space brick
  std::uint64_t mGeneration = 0;
};

}  // namespace delineo::renderer
