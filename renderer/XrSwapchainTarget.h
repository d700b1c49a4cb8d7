#pragma once
// XrSwapchainTarget: a RenderTarget for a headset. render() draws every eye (one layer each)
// into images of its own (storage usage, RGBA8, with depth for overlays); copyTo() then puts
// them into the runtime's swapchain image, an array image with one layer per eye that the
// application was handed (OpenXR owns it). Raw copies for R8G8B8A8 (UNORM or SRGB: the
// renderer's bytes are display-ready and must not be re-encoded), blits for B8G8R8A8. The
// render extent may be smaller than the swapchain's (adaptive resolution): the copy fills the
// top-left rectangle the frame then submits as its imageRect. Knows nothing of OpenXR.

#include <cstdint>
#include <memory>
#include <vector>

#include "core/Result.h"
#include "renderer/Image.h"
#include "renderer/RenderTarget.h"
#include "renderer/RgbaImage.h"

namespace delineo::renderer {

class Device;

class XrSwapchainTarget : public RenderTarget {
 public:
  // `images`: the swapchain's images (arrays of `layers` layers, `format`, `extent`), created
  // with transfer-destination usage.
  static core::Result<std::unique_ptr<XrSwapchainTarget>> create(Device& device, std::vector<VkImage> images,
                                                                 VkFormat format, VkExtent2D extent, uint32_t layers);
  ~XrSwapchainTarget() override;
  XrSwapchainTarget(const XrSwapchainTarget&) = delete;
  XrSwapchainTarget& operator=(const XrSwapchainTarget&) = delete;

  // The size render() draws at (at most the swapchain's); images are recreated only on change.
  core::Result<void> setRenderExtent(VkExtent2D extent);
  // Records and submits the copy of every layer into swapchain image `index`, which ends in
  // COLOR_ATTACHMENT_OPTIMAL as OpenXR expects on release. Returns the timeline value.
  core::Result<uint64_t> copyTo(uint32_t index);

  // Waits for the GPU and copies one layer of what render() last drew (at extent(), before
  // the copy into the swapchain) to the CPU: `delineo vr --screenshot` on a headset.
  core::Result<RgbaImage> readColor(uint32_t layer = 0) const;

  VkExtent2D swapchainExtent() const { return mSwapchainExtent; }
  static bool supportsFormat(VkFormat format);

  VkExtent2D extent() const override { return {mColor.extent().width, mColor.extent().height}; }
  uint32_t layers() const override { return mLayers; }
  VkImage colorImage() const override { return mColor.handle(); }
  VkImageView colorView() const override { return mColor.view(); }
  VkImage depthImage() const override { return mDepth.handle(); }
  VkImageView depthView() const override { return mDepth.view(); }

 private:
  XrSwapchainTarget(Device& device) : mDevice(device) {}

  Device& mDevice;
  std::vector<VkImage> mImages;  // owned by the OpenXR swapchain
  VkFormat mFormat = VK_FORMAT_UNDEFINED;
  VkExtent2D mSwapchainExtent{};
  uint32_t mLayers = 2;
  Image mColor;
  Image mDepth;
};

}  // namespace delineo::renderer
