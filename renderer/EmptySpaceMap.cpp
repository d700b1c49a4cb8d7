#include "renderer/EmptySpaceMap.h"

#include <algorithm>
#include <cstring>

#include "renderer/Device.h"
#include "renderer/StagingUpload.h"

namespace delineo::renderer {

std::vector<std::uint8_t> chebyshevDistance(std::span<const std::uint8_t> nonEmpty,
                                            const std::array<int, 3>& dims) {
  // Two raster passes with the 26-neighbourhood give the exact chessboard distance.
  const int nx = dims[0], ny = dims[1], nz = dims[2];
  std::vector<std::uint8_t> d(nonEmpty.size());
  for (size_t i = 0; i < d.size(); ++i) d[i] = nonEmpty[i] ? 0 : 255;
  auto idx = [&](int x, int y, int z) {
    return static_cast<size_t>(x + nx * (y + static_cast<std::int64_t>(ny) * z));
  };
  auto pass = [&](int dir) {
    int zs = dir > 0 ? 0 : nz - 1, ys = dir > 0 ? 0 : ny - 1, xs = dir > 0 ? 0 : nx - 1;
    for (int z = zs; z >= 0 && z < nz; z += dir)
      for (int y = ys; y >= 0 && y < ny; y += dir)
        for (int x = xs; x >= 0 && x < nx; x += dir) {
          std::uint8_t& v = d[idx(x, y, z)];
          if (v == 0) continue;
          int best = v;
          // Neighbours already visited in this pass: earlier z, or same z earlier y, or same
          // row earlier x (in the pass direction).
          for (int dz = -1; dz <= 0; ++dz)
            for (int dy = -1; dy <= 1; ++dy)
              for (int dx = -1; dx <= 1; ++dx) {
                if (dz == 0 && (dy > 0 || (dy == 0 && dx >= 0))) continue;
                int X = x + dx * dir, Y = y + dy * dir, Z = z + dz * dir;
                if (X < 0 || Y < 0 || Z < 0 || X >= nx || Y >= ny || Z >= nz) continue;
                best = std::min(best, d[idx(X, Y, Z)] + 1);
              }
          v = static_cast<std::uint8_t>(std::min(best, 255));
        }
  };
  pass(1);
  pass(-1);
  return d;
}

core::Result<void> EmptySpaceMap::rebuild(Device& device, std::span<const std::uint8_t> nonEmpty,
                                          const std::array<int, 3>& dims,
                                          std::span<const std::uint16_t> bound) {
  // MIP needs the bound: R16G16. Every other mode reads only the distance: R8, a quarter of the
  // bytes, which keeps more of the map in cache on large volumes.
  const bool withBound = !bound.empty();
  const VkFormat format = withBound ? VK_FORMAT_R16G16_UINT : VK_FORMAT_R8_UINT;
  const VkExtent3D extent{static_cast<uint32_t>(dims[0]), static_cast<uint32_t>(dims[1]),
                          static_cast<uint32_t>(dims[2])};
  if (mTexture && (mTexture.desc().format != format || mTexture.extent().width != extent.width ||
                   mTexture.extent().height != extent.height || mTexture.extent().depth != extent.depth))
    device.retire(std::move(mTexture));  // frames in flight may still read it
  bool first = !mTexture;
  if (first) {
    ImageDesc desc;
    desc.format = format;
    desc.extent = extent;
    auto image = Image::create(device, desc);
    if (!image) return image.error();
    mTexture = std::move(image).value();
  }
  auto distances = chebyshevDistance(nonEmpty, dims);
  std::vector<std::uint8_t> bytes;
  if (withBound) {
    std::vector<std::uint16_t> texels(distances.size() * 2);
    for (size_t i = 0; i < distances.size(); ++i) {
      texels[2 * i] = distances[i];
      texels[2 * i + 1] = i < bound.size() ? bound[i] : std::uint16_t{65535};
    }
    bytes.resize(texels.size() * sizeof(std::uint16_t));
    std::memcpy(bytes.data(), texels.data(), bytes.size());
  } else {
    bytes = std::move(distances);
  }
  auto staging = StagingUpload::create(device, bytes.size());
  if (!staging) return staging.error();
  std::memcpy(staging->bytes().data(), bytes.data(), bytes.size());
  ImageRegion region;
  region.extent = mTexture.extent();
  auto value = std::move(*staging).copyToImage(
      device, mTexture, {&region, 1},
      first ? VK_IMAGE_LAYOUT_UNDEFINED : VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL,
      VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL);
  if (!value) return value.error();
  return {};
}

}  // namespace delineo::renderer
