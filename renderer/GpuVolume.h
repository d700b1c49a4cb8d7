#pragma once
// GpuVolume: a volume's intensities as a filterable 16-bit 3D texture, and the min/max of
// each small brick that empty-space skipping classifies. Native values map to the texture's
// normalised values by data = n * valueScale + valueOffset (exact for 8/16-bit integers), so
// transfer functions and windows stay in data units. With precomputed gradients the texture
// is RGBA16 (value, unit gradient in LPS): fewer fetches per shaded sample, 4x the memory.
// A volume beyond the device's 3D-image limit is downsampled, with a warning.

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/Result.h"
#include "core/Volume.h"
#include "renderer/Image.h"

namespace delineo::renderer {

class Device;

struct VolumeUploadOptions {
  bool precomputeGradients = true;  // RGBA16 value + gradient; falls back to R16 when short of memory
  // Edge of an empty-space-skipping brick, in voxels; 0: 2 up to 32 Mvoxels (smaller bricks skip
  // more), else 4 (keeps the map's rebuild on a transfer-function edit short).
  int skipBrickVoxels = 0;
  uint32_t maxDimension = 0;        // 0: the device's limit; smaller forces downsampling
  std::uint64_t maxTextureBytes = 0;  // 0: the device's largest allocation
};

class GpuVolume {
 public:
  static core::Result<std::unique_ptr<GpuVolume>> create(Device& device, const core::Volume& volume,
                                                         const VolumeUploadOptions& options);

  const Image& texture() const { return mTexture; }
  bool packedGradients() const { return mPacked; }
  // The texture's grid: the volume's, or a coarser one when it had to be downsampled.
  const core::Geometry& geometry() const { return mGeometry; }
  // Texture voxel x shows source voxel x * factor + (factor - 1) / 2 along each axis.
  const std::array<int, 3>& downsampleFactors() const { return mFactors; }
  const std::vector<std::string>& warnings() const { return mWarnings; }

  double valueScale() const { return mScale; }
  double valueOffset() const { return mOffset; }
  bool integerValues() const { return mInteger; }
  double toNormalized(double data) const { return (data - mOffset) / mScale; }
  // Decoding of the gradient channels: g = texel * gradientScale + gradientOffset.
  float gradientScale() const { return mSigned ? 1.0f : 2.0f; }
  float gradientOffset() const { return mSigned ? 0.0f : -1.0f; }
  // A texel's normalised value n maps to the integer n * first + second in [0, 65535].
  std::pair<float, float> texelCode() const {
    return mSigned ? std::pair{32767.0f, 32767.0f} : std::pair{65535.0f, 0.0f};
  }
  // Normalised value range of the whole texture.
  float minNormalized() const { return mMinN; }
  float maxNormalized() const { return mMaxN; }

  int brickVoxels() const { return mBrickVoxels; }
  const std::array<int, 3>& brickDims() const { return mBrickDims; }
  // Per brick (x fastest), normalised min and max over the voxels a sample in it can read.
  const std::vector<float>& brickMin() const { return mBrickMin; }
  const std::vector<float>& brickMax() const { return mBrickMax; }

 private:
  core::Result<void> upload(Device& device, const core::Volume& volume);

  Image mTexture;
  bool mPacked = true;
  bool mSigned = false;
  core::Geometry mGeometry;
  std::array<int, 3> mFactors{1, 1, 1};
  std::vector<std::string> mWarnings;
  double mScale = 1, mOffset = 0;
  bool mInteger = true;
  float mMinN = 0, mMaxN = 1;
  int mBrickVoxels = 4;
  std::array<int, 3> mBrickDims{1, 1, 1};
  std::vector<float> mBrickMin, mBrickMax;
};

// Per-brick dilation: each brick also takes its +x, +y, +z neighbours' values (a trilinear or
// nearest sample in a brick reads voxels up to one past its high faces).
template <typename T, typename Combine>
void dilateHigh(std::vector<T>& grid, const std::array<int, 3>& dims, Combine combine) {
  auto at = [&](int x, int y, int z) -> T& {
    return grid[static_cast<size_t>(x + dims[0] * (y + static_cast<std::int64_t>(dims[1]) * z))];
  };
  for (int axis = 0; axis < 3; ++axis)
    for (int z = 0; z < dims[2]; ++z)
      for (int y = 0; y < dims[1]; ++y)
        for (int x = 0; x < dims[0]; ++x) {
          int n[3] = {x, y, z};
          if (++n[axis] >= dims[axis]) continue;
          at(x, y, z) = combine(at(x, y, z), at(n[0], n[1], n[2]));
        }
}

}  // namespace delineo::renderer
