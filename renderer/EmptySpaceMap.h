#pragma once
// EmptySpaceMap: per brick, the Chebyshev distance in bricks to the nearest brick that may
// contribute to a ray (0 for those, capped at 255), and an optional 16-bit bound per brick (MIP
// leaps over bricks whose maximum cannot raise the ray's maximum): an R16G16_UINT 3D texture
// with the bound, else R8_UINT (the shader reads .r, and .g only in MIP).
// A ray in a brick with distance d leaps to the exit of the (2d-1)^3 cube of empty bricks around
// it: a distance map skips further per fetch than a flag per brick. Rebuilt when what counts as
// empty changes (transfer function, window, iso value, mode, labels).

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "core/Result.h"
#include "renderer/Image.h"

namespace delineo::renderer {

class Device;

// Chebyshev distance transform of `nonEmpty` (x fastest) on a grid of `dims` bricks.
std::vector<std::uint8_t> chebyshevDistance(std::span<const std::uint8_t> nonEmpty,
                                            const std::array<int, 3>& dims);

class EmptySpaceMap {
 public:
  // Computes the distances and uploads them with `bound` per brick (empty: 65535 everywhere);
  // the texture is created on first use.
  core::Result<void> rebuild(Device& device, std::span<const std::uint8_t> nonEmpty,
                             const std::array<int, 3>& dims, std::span<const std::uint16_t> bound = {});
  const Image& texture() const { return mTexture; }
  explicit operator bool() const { return static_cast<bool>(mTexture); }

 private:
  Image mTexture;
};

}  // namespace delineo::renderer
