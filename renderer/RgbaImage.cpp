#include "renderer/RgbaImage.h"

#include <cstdio>
#include <filesystem>
#include <fstream>

// stb is a system header but its implementation trips our warning set; keep it in this file.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wconversion"
#pragma GCC diagnostic ignored "-Wsign-conversion"
#pragma GCC diagnostic ignored "-Wshadow"
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wunused-function"
#define STB_IMAGE_WRITE_IMPLEMENTATION
#define STB_IMAGE_WRITE_STATIC
#include <stb/stb_image_write.h>
#define STB_IMAGE_IMPLEMENTATION
#define STB_IMAGE_STATIC
#define STBI_ONLY_PNG
#include <stb/stb_image.h>
#pragma GCC diagnostic pop

namespace delineo::renderer {

namespace {
void appendBytes(void* context, void* data, int size) {
  auto* out = static_cast<std::string*>(context);
  out->append(static_cast<const char*>(data), static_cast<size_t>(size));
}
}  // namespace

core::Result<void> writePng(const RgbaImage& image, const std::string& path) {
  std::string bytes;
  if (!stbi_write_png_to_func(&appendBytes, &bytes, image.width, image.height, 4,
                              image.pixels.data(), image.width * 4))
    return core::makeError(path + ": cannot encode the PNG");
  std::filesystem::path target(path);
  std::filesystem::path temp = target.parent_path() / ("." + target.filename().string() + ".tmp");
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.flush();
    if (!out) {
      std::error_code ec;
      std::filesystem::remove(temp, ec);
      return core::makeError(path + ": cannot write the image (is the folder writable?)");
    }
  }
  std::error_code ec;
  std::filesystem::rename(temp, target, ec);
  if (ec) {
    std::filesystem::remove(temp, ec);
    return core::makeError(path + ": cannot write the image: " + ec.message());
  }
  return {};
}

core::Result<RgbaImage> readPng(const std::string& path) {
  int w = 0, h = 0, n = 0;
  unsigned char* data = stbi_load(path.c_str(), &w, &h, &n, 4);
  if (!data) return core::makeError(path + ": cannot read the PNG");
  RgbaImage image;
  image.width = w;
  image.height = h;
  image.pixels.assign(data, data + static_cast<size_t>(w) * static_cast<size_t>(h) * 4);
  stbi_image_free(data);
  return image;
}

}  // namespace delineo::renderer
