#pragma once
// OffscreenTarget: a RenderTarget in device memory that is read back to the CPU: the command
// line's `render`, tests and benchmarks.

#include <memory>
#include <vector>

#include "core/Result.h"
#include "renderer/Image.h"
#include "renderer/RenderTarget.h"
#include "renderer/RgbaImage.h"

namespace delineo::renderer {

class Device;

// Waits for the GPU and copies one layer of a 2D-array image kept in VK_IMAGE_LAYOUT_GENERAL
// (a render target's colour or depth) to the CPU: width * height * texelBytes bytes.
core::Result<std::vector<std::uint8_t>> readImageLayer(Device& device, const Image& image, uint32_t layer,
                                                       size_t texelBytes);
// The same for an RGBA8 colour image.
core::Result<RgbaImage> readColorLayer(Device& device, const Image& color, uint32_t layer);

class OffscreenTarget : public RenderTarget {
 public:
  static core::Result<std::unique_ptr<OffscreenTarget>> create(Device& device, uint32_t width,
                                                               uint32_t height, uint32_t layers = 1);
  explicit OffscreenTarget(Device& device) : mDevice(&device) {}
  // Hands the images to the device: frames in flight may still write them.
  ~OffscreenTarget() override;

  VkExtent2D extent() const override { return {mColor.extent().width, mColor.extent().height}; }
  uint32_t layers() const override { return mColor.desc().layers; }
  VkImage colorImage() const override { return mColor.handle(); }
  VkImageView colorView() const override { return mColor.view(); }
  VkImage depthImage() const override { return mDepth.handle(); }
  VkImageView depthView() const override { return mDepth.view(); }

  // Waits for the GPU and copies one layer to the CPU.
  core::Result<RgbaImage> readColor(Device& device, uint32_t layer = 0) const;
  core::Result<std::vector<float>> readDepth(Device& device, uint32_t layer = 0) const;

 private:
  Device* mDevice;
  Image mColor;
  Image mDepth;
};

}  // namespace delineo::renderer
