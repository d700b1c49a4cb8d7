#pragma once
// RenderTarget: where render() writes: a colour image (RGBA8) and a depth image (R32F,
// distance in mm along the view direction from the eye to the first opaque point; 3e38 where
// nothing was hit), both 2D arrays with one layer per view. Both stay in
// VK_IMAGE_LAYOUT_GENERAL; render() makes its writes visible to later transfers, compute and
// fragment reads. Offscreen images, window and XR swapchains implement it.

#include <cstdint>

#include <vulkan/vulkan.h>

namespace delineo::renderer {

class RenderTarget {
 public:
  virtual ~RenderTarget() = default;
  virtual VkExtent2D extent() const = 0;
  virtual uint32_t layers() const = 0;
  virtual VkImage colorImage() const = 0;
  virtual VkImageView colorView() const = 0;  // 2D-array view, storage usage
  virtual VkImage depthImage() const = 0;
  virtual VkImageView depthView() const = 0;  // 2D-array view, storage usage
};

}  // namespace delineo::renderer
