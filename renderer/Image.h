#pragma once
// Image: a VkImage with its own device-local memory and one view of the whole image (3D, 2D
// array or 1D). The layout is tracked by the code that records barriers, not here.

#include <cstdint>

#include "core/Result.h"
#include "renderer/DeviceHandle.h"

namespace delineo::renderer {

class Device;

struct ImageDesc {
  VkImageType type = VK_IMAGE_TYPE_3D;   // 1D, 2D (with layers) or 3D
  VkFormat format = VK_FORMAT_R16_UNORM;
  VkExtent3D extent{1, 1, 1};
  uint32_t layers = 1;                   // 2D arrays: one layer per view
  VkImageUsageFlags usage = VK_IMAGE_USAGE_SAMPLED_BIT | VK_IMAGE_USAGE_TRANSFER_DST_BIT;
};

class Image {
 public:
  static core::Result<Image> create(const Device& device, const ImageDesc& desc);
  Image() = default;
  Image(Image&&) noexcept = default;
  Image& operator=(Image&&) noexcept = default;

  VkImage handle() const { return mImage.get(); }
  VkImageView view() const { return mView.get(); }
  const ImageDesc& desc() const { return mDesc; }
  VkExtent3D extent() const { return mDesc.extent; }
  explicit operator bool() const { return static_cast<bool>(mImage); }

 private:
  UniqueMemory mMemory;  // destroyed after the image and view (members go in reverse order)
  UniqueImage mImage;
  UniqueImageView mView;
  ImageDesc mDesc;
};

// A barrier on the whole of `image` (all layers, one mip level) with synchronization2.
void imageBarrier(VkCommandBuffer cb, VkImage image, VkImageLayout from, VkImageLayout to,
                  VkPipelineStageFlags2 srcStage, VkAccessFlags2 srcAccess,
                  VkPipelineStageFlags2 dstStage, VkAccessFlags2 dstAccess);

}  // namespace delineo::renderer
