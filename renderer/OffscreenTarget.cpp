#include "renderer/OffscreenTarget.h"

#include <cstring>

#include "renderer/Buffer.h"
#include "renderer/Device.h"

namespace delineo::renderer {

core::Result<std::unique_ptr<OffscreenTarget>> OffscreenTarget::create(Device& device, uint32_t width,
                                                                       uint32_t height, uint32_t layers) {
  const auto& limits = device.properties().limits;
  if (width == 0 || height == 0 || width > limits.maxImageDimension2D ||
      height > limits.maxImageDimension2D)
    return core::makeError("image size " + std::to_string(width) + "x" + std::to_string(height) +
                           " is outside 1.." + std::to_string(limits.maxImageDimension2D));
  auto target = std::make_unique<OffscreenTarget>(device);
  ImageDesc desc;
  desc.type = VK_IMAGE_TYPE_2D;
  desc.extent = {width, height, 1};
  desc.layers = layers;
  desc.usage = VK_IMAGE_USAGE_STORAGE_BIT | VK_IMAGE_USAGE_TRANSFER_SRC_BIT;
  desc.format = VK_FORMAT_R8G8B8A8_UNORM;
  auto color = Image::create(device, desc);
  if (!color) return color.error();
  desc.format = VK_FORMAT_R32_SFLOAT;
  auto depth = Image::create(device, desc);
  if (!depth) return depth.error();
  target->mColor = std::move(color).value();
  target->mDepth = std::move(depth).value();
  VkImage images[2] = {target->mColor.handle(), target->mDepth.handle()};
  auto value = device.submitOnce([&](VkCommandBuffer cb) {
    for (VkImage image : images)
      imageBarrier(cb, image, VK_IMAGE_LAYOUT_UNDEFINED, VK_IMAGE_LAYOUT_GENERAL,
                   VK_PIPELINE_STAGE_2_NONE, VK_ACCESS_2_NONE, VK_PIPELINE_STAGE_2_COMPUTE_SHADER_BIT,
                   VK_ACCESS_2_SHADER_STORAGE_WRITE_BIT);
  });
  if (!value) return value.error();
  return target;
}

OffscreenTarget::~OffscreenTarget() {
  mDevice->retire(std::move(mColor));
  mDevice->retire(std::move(mDepth));
}

core::Result<std::vector<std::uint8_t>> readImageLayer(Device& device, const Image& image, uint32_t layer,
                                                       size_t texelBytes) {
  VkExtent3D e = image.extent();
  VkDeviceSize bytes = VkDeviceSize{e.width} * e.height * texelBytes;
  auto buffer = Buffer::create(device, bytes, VK_BUFFER_USAGE_TRANSFER_DST_BIT, Buffer::Memory::HostVisible);
  if (!buffer) return buffer.error();
  VkBufferImageCopy copy{};
  copy.imageSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, layer, 1};
  copy.imageExtent = {e.width, e.height, 1};
  VkImage src = image.handle();
  VkBuffer dst = buffer->handle();
  auto value = device.submitOnce([&](VkCommandBuffer cb) {
    // Copies read best from TRANSFER_SRC_OPTIMAL; the image returns to GENERAL afterwards. The
    // last writer may be the raymarch, the overlays, a panel pass or a copy: wait for them all.
    imageBarrier(cb, src, VK_IMAGE_LAYOUT_GENERAL, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL,
                 VK_PIPELINE_STAGE_2_ALL_COMMANDS_BIT, VK_ACCESS_2_MEMORY_WRITE_BIT,
                 VK_PIPELINE_STAGE_2_COPY_BIT, VK_ACCESS_2_TRANSFER_READ_BIT);
    vkCmdCopyImageToBuffer(cb, src, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, dst, 1, &copy);
    imageBarrier(cb, src, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, VK_IMAGE_LAYOUT_GENERAL,
                 VK_PIPELINE_STAGE_2_COPY_BIT, VK_ACCESS_2_NONE,
                 VK_PIPELINE_STAGE_2_COMPUTE_SHADER_BIT, VK_ACCESS_2_SHADER_STORAGE_WRITE_BIT);
    VkMemoryBarrier2 after{VK_STRUCTURE_TYPE_MEMORY_BARRIER_2};
    after.srcStageMask = VK_PIPELINE_STAGE_2_COPY_BIT;
    after.srcAccessMask = VK_ACCESS_2_TRANSFER_WRITE_BIT;
    after.dstStageMask = VK_PIPELINE_STAGE_2_HOST_BIT;
    after.dstAccessMask = VK_ACCESS_2_HOST_READ_BIT;
    VkDependencyInfo dep{VK_STRUCTURE_TYPE_DEPENDENCY_INFO};
    dep.memoryBarrierCount = 1;
    dep.pMemoryBarriers = &after;
    vkCmdPipelineBarrier2(cb, &dep);
  });
  if (!value) return value.error();
  if (auto r = device.wait(*value); !r) return r.error();
  const auto* p = static_cast<const std::uint8_t*>(buffer->mapped());
  return std::vector<std::uint8_t>(p, p + bytes);
}

core::Result<RgbaImage> readColorLayer(Device& device, const Image& color, uint32_t layer) {
  auto bytes = readImageLayer(device, color, layer, 4);
  if (!bytes) return bytes.error();
  RgbaImage image;
  image.width = static_cast<int>(color.extent().width);
  image.height = static_cast<int>(color.extent().height);
  image.pixels = std::move(bytes).value();
  return image;
}

core::Result<RgbaImage> OffscreenTarget::readColor(Device& device, uint32_t layer) const {
  return readColorLayer(device, mColor, layer);
}

core::Result<std::vector<float>> OffscreenTarget::readDepth(Device& device, uint32_t layer) const {
  auto bytes = readImageLayer(device, mDepth, layer, 4);
  if (!bytes) return bytes.error();
  std::vector<float> depth(bytes->size() / 4);
  std::memcpy(depth.data(), bytes->data(), bytes->size());
  return depth;
}

}  // namespace delineo::renderer
