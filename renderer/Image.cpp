#include "renderer/Image.h"

#include "renderer/Device.h"
#include "renderer/VkCheck.h"

namespace delineo::renderer {

core::Result<Image> Image::create(const Device& device, const ImageDesc& desc) {
  Image img;
  img.mDesc = desc;
  VkImageCreateInfo info{VK_STRUCTURE_TYPE_IMAGE_CREATE_INFO};
  info.imageType = desc.type;
  info.format = desc.format;
  info.extent = desc.extent;
  info.mipLevels = 1;
  info.arrayLayers = desc.layers;
  info.samples = VK_SAMPLE_COUNT_1_BIT;
  info.tiling = VK_IMAGE_TILING_OPTIMAL;
  info.usage = desc.usage;
  info.sharingMode = VK_SHARING_MODE_EXCLUSIVE;
  info.initialLayout = VK_IMAGE_LAYOUT_UNDEFINED;
  VkImage image = VK_NULL_HANDLE;
  VK_TRY(vkCreateImage(device.handle(), &info, nullptr, &image));
  img.mImage = UniqueImage(device.handle(), image);

  VkMemoryRequirements req{};
  vkGetImageMemoryRequirements(device.handle(), image, &req);
  auto type = device.memoryType(req.memoryTypeBits, VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT);
  if (!type) return type.error();
  VkMemoryAllocateInfo alloc{VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO};
  alloc.allocationSize = req.size;
  alloc.memoryTypeIndex = *type;
  VkDeviceMemory mem = VK_NULL_HANDLE;
  VK_TRY(vkAllocateMemory(device.handle(), &alloc, nullptr, &mem));
  img.mMemory = UniqueMemory(device.handle(), mem);
  VK_TRY(vkBindImageMemory(device.handle(), image, mem, 0));

  VkImageViewCreateInfo view{VK_STRUCTURE_TYPE_IMAGE_VIEW_CREATE_INFO};
  view.image = image;
  view.viewType = desc.type == VK_IMAGE_TYPE_3D   ? VK_IMAGE_VIEW_TYPE_3D
                  : desc.type == VK_IMAGE_TYPE_1D ? VK_IMAGE_VIEW_TYPE_1D
                                                  : VK_IMAGE_VIEW_TYPE_2D_ARRAY;
  view.format = desc.format;
  view.subresourceRange = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, desc.layers};
  VkImageView v = VK_NULL_HANDLE;
  VK_TRY(vkCreateImageView(device.handle(), &view, nullptr, &v));
  img.mView = UniqueImageView(device.handle(), v);
  return img;
}

void imageBarrier(VkCommandBuffer cb, VkImage image, VkImageLayout from, VkImageLayout to,
                  VkPipelineStageFlags2 srcStage, VkAccessFlags2 srcAccess,
                  VkPipelineStageFlags2 dstStage, VkAccessFlags2 dstAccess) {
  VkImageMemoryBarrier2 b{VK_STRUCTURE_TYPE_IMAGE_MEMORY_BARRIER_2};
  b.srcStageMask = srcStage;
  b.srcAccessMask = srcAccess;
  b.dstStageMask = dstStage;
  b.dstAccessMask = dstAccess;
  b.oldLayout = from;
  b.newLayout = to;
  b.srcQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED;
  b.dstQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED;
  b.image = image;
  b.subresourceRange = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, VK_REMAINING_ARRAY_LAYERS};
  VkDependencyInfo dep{VK_STRUCTURE_TYPE_DEPENDENCY_INFO};
  dep.imageMemoryBarrierCount = 1;
  dep.pImageMemoryBarriers = &b;
  vkCmdPipelineBarrier2(cb, &dep);
}

}  // namespace delineo::renderer
