#pragma once
// RgbaImage: 8-bit RGBA pixels on the CPU, rows top to bottom; what renders read back to and
// PNG files hold.

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/Result.h"

namespace delineo::renderer {

struct RgbaImage {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> pixels;  // width * height * 4

  std::array<std::uint8_t, 4> at(int x, int y) const {
    const std::uint8_t* p = &pixels[static_cast<size_t>(y * width + x) * 4];
    return {p[0], p[1], p[2], p[3]};
  }
};

// Writes a PNG atomically (temporary file, then rename).
core::Result<void> writePng(const RgbaImage& image, const std::string& path);
core::Result<RgbaImage> readPng(const std::string& path);

}  // namespace delineo::renderer
