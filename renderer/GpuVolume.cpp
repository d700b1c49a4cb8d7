#include "renderer/GpuVolume.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <thread>

#include "renderer/Device.h"
#include "renderer/StagingUpload.h"

namespace delineo::renderer {

namespace {

constexpr std::uint64_t kSlabBytes = 64ull << 20;

std::uint64_t maxAllocation(const Device& device) {
  VkPhysicalDeviceMaintenance3Properties m3{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_MAINTENANCE_3_PROPERTIES};
  VkPhysicalDeviceProperties2 p{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2};
  p.pNext = &m3;
  vkGetPhysicalDeviceProperties2(device.physical(), &p);
  return m3.maxMemoryAllocationSize;
}

std::string mib(std::uint64_t bytes) { return std::to_string((bytes + (1 << 19)) >> 20) + " MiB"; }

// Reads the source volume through the downsampling map, as double.
template <typename T>
struct Source {
  const T* data;
  std::int64_t sx, sy, sz;  // source dims
  std::array<int, 3> f;
  std::array<int, 3> off;
  T at(std::int64_t x, std::int64_t y, std::int64_t z) const {
    std::int64_t i = std::min<std::int64_t>(x * f[0] + off[0], sx - 1);
    std::int64_t j = std::min<std::int64_t>(y * f[1] + off[1], sy - 1);
    std::int64_t k = std::min<std::int64_t>(z * f[2] + off[2], sz - 1);
    return data[i + sx * (j + sy * k)];
  }
};

}  // namespace

core::Result<std::unique_ptr<GpuVolume>> GpuVolume::create(Device& device, const core::Volume& volume,
                                                           const VolumeUploadOptions& options) {
  if (volume.empty()) return core::makeError("cannot render an empty volume");
  auto gpu = std::make_unique<GpuVolume>();
  const core::Geometry& src = volume.geometry();
  std::uint32_t maxDim = device.properties().limits.maxImageDimension3D;
  if (options.maxDimension > 0) maxDim = std::min(maxDim, options.maxDimension);
  std::uint64_t maxBytes = maxAllocation(device);
  if (options.maxTextureBytes > 0) maxBytes = std::min(maxBytes, options.maxTextureBytes);

  for (int a = 0; a < 3; ++a)
    gpu->mFactors[a] = static_cast<int>((src.dims[a] + maxDim - 1) / maxDim);
  auto dimsFor = [&](const std::array<int, 3>& f) {
    core::Dims d;
    for (int a = 0; a < 3; ++a) d[a] = (src.dims[a] + f[a] - 1) / f[a];
    return d;
  };
  auto bytesFor = [&](const core::Dims& d, int texelBytes) {
    return static_cast<std::uint64_t>(d[0] * d[1] * d[2]) * static_cast<std::uint64_t>(texelBytes);
  };
  gpu->mPacked = options.precomputeGradients;
  core::Dims dims = dimsFor(gpu->mFactors);
  if (gpu->mPacked && bytesFor(dims, 8) > maxBytes) {
    gpu->mPacked = false;
    gpu->mWarnings.push_back("volume with gradients (" + mib(bytesFor(dims, 8)) +
                             ") exceeds the GPU's largest allocation; gradients are computed "
                             "while rendering (slower)");
  }
  while (bytesFor(dims, 2) > maxBytes) {
    for (auto& f : gpu->mFactors) f *= 2;
    dims = dimsFor(gpu->mFactors);
  }
  if (gpu->mFactors != std::array<int, 3>{1, 1, 1})
    gpu->mWarnings.push_back("volume " + core::toString(src.dims) +
                             " exceeds the GPU's 3D texture limits (" + std::to_string(maxDim) +
                             " voxels per axis, " + mib(maxBytes) + "); rendering it downsampled to " +
                             core::toString(dims));

  core::Geometry g = src;
  g.dims = dims;
  core::Vec3 off{};
  for (int a = 0; a < 3; ++a) {
    g.spacingMm[a] = src.spacingMm[a] * gpu->mFactors[a];
    off[a] = (gpu->mFactors[a] - 1) / 2;
  }
  g.originMm = src.ijkToPatient(off);
  gpu->mGeometry = g;

  switch (volume.scalarType()) {
    case core::ScalarType::Int16:
      gpu->mSigned = true, gpu->mScale = 32767, gpu->mOffset = 0;
      break;
    case core::ScalarType::UInt16: gpu->mScale = 65535, gpu->mOffset = 0; break;
    case core::ScalarType::UInt8: gpu->mScale = 255, gpu->mOffset = 0; break;
    case core::ScalarType::Float32: {
      auto [lo, hi] = volume.valueRange();
      gpu->mInteger = false;
      gpu->mOffset = lo;
      gpu->mScale = hi > lo ? hi - lo : 1;
      break;
    }
  }

  auto makeImage = [&](bool packed) {
    ImageDesc desc;
    desc.type = VK_IMAGE_TYPE_3D;
    desc.format = packed ? (gpu->mSigned ? VK_FORMAT_R16G16B16A16_SNORM : VK_FORMAT_R16G16B16A16_UNORM)
                         : (gpu->mSigned ? VK_FORMAT_R16_SNORM : VK_FORMAT_R16_UNORM);
    desc.extent = {static_cast<uint32_t>(dims[0]), static_cast<uint32_t>(dims[1]),
                   static_cast<uint32_t>(dims[2])};
    return Image::create(device, desc);
  };
  const VkFormatFeatureFlags linear = VK_FORMAT_FEATURE_SAMPLED_IMAGE_FILTER_LINEAR_BIT |
                                      VK_FORMAT_FEATURE_TRANSFER_DST_BIT;
  if (gpu->mPacked &&
      !device.formatSupports(gpu->mSigned ? VK_FORMAT_R16G16B16A16_SNORM : VK_FORMAT_R16G16B16A16_UNORM,
                             linear))
    gpu->mPacked = false;
  auto image = makeImage(gpu->mPacked);
  if (!image && gpu->mPacked) {
    gpu->mWarnings.push_back("not enough GPU memory for precomputed gradients (" +
                             mib(bytesFor(dims, 8)) + "); computing them while rendering (slower)");
    gpu->mPacked = false;
    image = makeImage(false);
  }
  if (!image)
    return core::makeError("cannot hold the volume " + core::toString(dims) + " (" +
                           mib(bytesFor(dims, 2)) + ") on " + device.name() + ": " + image.message());
  gpu->mTexture = std::move(image).value();
  const std::int64_t voxels = static_cast<std::int64_t>(dims[0]) * dims[1] * dims[2];
  gpu->mBrickVoxels = options.skipBrickVoxels > 0 ? options.skipBrickVoxels : voxels <= (std::int64_t{1} << 25) ? 2 : 4;
  if (auto r = gpu->upload(device, volume); !r) return r.error();
  return gpu;
}

core::Result<void> GpuVolume::upload(Device& device, const core::Volume& volume) {
  const core::Geometry& src = volume.geometry();
  const core::Dims d = mGeometry.dims;
  const int B = mBrickVoxels;
  for (int a = 0; a < 3; ++a) mBrickDims[a] = static_cast<int>((d[a] + B - 1) / B);
  size_t brickCount = static_cast<size_t>(mBrickDims[0]) * mBrickDims[1] * mBrickDims[2];
  mBrickMin.assign(brickCount, std::numeric_limits<float>::max());
  mBrickMax.assign(brickCount, std::numeric_limits<float>::lowest());

  const int texelBytes = mPacked ? 8 : 2;
  const std::int64_t sliceBytes = d[0] * d[1] * texelBytes;
  // Slabs of whole brick rows, so threads filling different rows touch different bricks.
  std::int64_t slabDepth = std::max<std::int64_t>(B, (static_cast<std::int64_t>(kSlabBytes) / sliceBytes) / B * B);
  const double scaleInv = 1.0 / mScale;
  const double texMax = mSigned ? 32767.0 : 65535.0;
  const double normFromTexel = 1.0 / texMax;

  // Gradient in LPS per index step: G = M^-T * dijk, M = direction * diag(spacing).
  core::Mat3 gradMat = mGeometry.indexToPhysical().inverse().transposed();

  uint64_t previous = 0;
  for (std::int64_t z0 = 0; z0 < d[2]; z0 += slabDepth) {
    std::int64_t z1 = std::min(d[2], z0 + slabDepth);
    auto staging = StagingUpload::create(device, static_cast<VkDeviceSize>((z1 - z0) * sliceBytes));
    if (!staging) return staging.error();
    std::uint8_t* out = staging->bytes().data();

    auto fillRows = [&](std::int64_t za, std::int64_t zb) {
      core::dispatchScalar(volume.scalarType(), [&](auto tag) {
        using T = decltype(tag);
        Source<T> s{volume.voxels<const T>().data(), src.dims[0], src.dims[1], src.dims[2], mFactors,
                    {(mFactors[0] - 1) / 2, (mFactors[1] - 1) / 2, (mFactors[2] - 1) / 2}};
        auto encode = [&](double v) -> std::int32_t {
          double n = (v - mOffset) * scaleInv;  // normalised
          double t = std::round(n * texMax);
          return static_cast<std::int32_t>(std::clamp(t, mSigned ? -32767.0 : 0.0, texMax));
        };
        auto value = [&](std::int64_t x, std::int64_t y, std::int64_t z) {
          return static_cast<double>(s.at(x, y, z));
        };
        for (std::int64_t z = za; z < zb; ++z)
          for (std::int64_t y = 0; y < d[1]; ++y) {
            size_t brickRow = static_cast<size_t>(mBrickDims[0]) *
                              (static_cast<size_t>(y / B) + static_cast<size_t>(mBrickDims[1]) * static_cast<size_t>(z / B));
            for (std::int64_t x = 0; x < d[0]; ++x) {
              double v = value(x, y, z);
              std::int32_t t = encode(v);
              float n = static_cast<float>(t * normFromTexel);
              size_t b = brickRow + static_cast<size_t>(x / B);
              mBrickMin[b] = std::min(mBrickMin[b], n);
              mBrickMax[b] = std::max(mBrickMax[b], n);
              std::uint8_t* texel = out + ((z - z0) * d[1] * d[0] + y * d[0] + x) * texelBytes;
              if (!mPacked) {
                auto u = static_cast<std::uint16_t>(t);
                std::memcpy(texel, &u, 2);
                continue;
              }
              core::Vec3 gi{(value(std::min(x + 1, d[0] - 1), y, z) - value(std::max<std::int64_t>(x - 1, 0), y, z)) * 0.5,
                            (value(x, std::min(y + 1, d[1] - 1), z) - value(x, std::max<std::int64_t>(y - 1, 0), z)) * 0.5,
                            (value(x, y, std::min(z + 1, d[2] - 1)) - value(x, y, std::max<std::int64_t>(z - 1, 0))) * 0.5};
              core::Vec3 gm = core::normalize(gradMat * gi);
              std::uint16_t c[4];
              c[0] = static_cast<std::uint16_t>(t);
              for (int a = 0; a < 3; ++a) {
                double e = mSigned ? gm[a] * 32767.0 : (gm[a] * 0.5 + 0.5) * 65535.0;
                c[a + 1] = static_cast<std::uint16_t>(static_cast<std::int32_t>(std::lround(e)));
              }
              std::memcpy(texel, c, 8);
            }
          }
      });
    };
    std::int64_t rows = (z1 - z0 + B - 1) / B;
    std::int64_t n = std::clamp<std::int64_t>(std::thread::hardware_concurrency(), 1, 8);
    n = std::min(n, rows);
    auto rowRange = [&](std::int64_t t) {
      return std::pair{z0 + rows * t / n * B, std::min(z1, z0 + rows * (t + 1) / n * B)};
    };
    std::vector<std::thread> pool;
    for (std::int64_t t = 1; t < n; ++t) pool.emplace_back(fillRows, rowRange(t).first, rowRange(t).second);
    fillRows(rowRange(0).first, rowRange(0).second);
    for (auto& t : pool) t.join();

    ImageRegion region;
    region.offset = {0, 0, static_cast<int32_t>(z0)};
    region.extent = {static_cast<uint32_t>(d[0]), static_cast<uint32_t>(d[1]), static_cast<uint32_t>(z1 - z0)};
    auto value = std::move(*staging).copyToImage(
        device, mTexture, {&region, 1},
        z0 == 0 ? VK_IMAGE_LAYOUT_UNDEFINED : VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL,
        VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL);
    if (!value) return value.error();
    // Keep at most two slabs of staging memory alive.
    if (auto r = device.wait(previous); !r) return r;
    previous = *value;
  }
  if (auto r = device.wait(previous); !r) return r;

  mMinN = *std::min_element(mBrickMin.begin(), mBrickMin.end());
  mMaxN = *std::max_element(mBrickMax.begin(), mBrickMax.end());
  dilateHigh(mBrickMin, mBrickDims, [](float a, float b) { return std::min(a, b); });
  dilateHigh(mBrickMax, mBrickDims, [](float a, float b) { return std::max(a, b); });
  return {};
}

}  // namespace delineo::renderer
