#include "renderer/StagingUpload.h"

#include <vector>

#include "renderer/Device.h"
#include "renderer/Image.h"

namespace delineo::renderer {

core::Result<StagingUpload> StagingUpload::create(const Device& device, VkDeviceSize bytes) {
  auto buffer = Buffer::create(device, bytes == 0 ? 4 : bytes, VK_BUFFER_USAGE_TRANSFER_SRC_BIT,
                               Buffer::Memory::HostVisible);
  if (!buffer) return buffer.error();
  StagingUpload upload;
  upload.mBuffer = std::move(buffer).value();
  return upload;
}

core::Result<uint64_t> StagingUpload::copyToImage(Device& device, const Image& image,
                                                  std::span<const ImageRegion> regions,
                                                  VkImageLayout oldLayout,
                                                  VkImageLayout newLayout) && {
  mBuffer.flush();
  std::vector<VkBufferImageCopy> copies;
  copies.reserve(regions.size());
  for (const auto& r : regions) {
    VkBufferImageCopy c{};
    c.bufferOffset = r.bufferOffset;
    c.imageSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1};
    c.imageOffset = r.offset;
    c.imageExtent = r.extent;
    copies.push_back(c);
  }
  VkBuffer src = mBuffer.handle();
  VkImage dst = image.handle();
  auto value = device.submitOnce([&](VkCommandBuffer cb) {
    imageBarrier(cb, dst, oldLayout, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL,
                 VK_PIPELINE_STAGE_2_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_2_COPY_BIT,
                 VK_ACCESS_2_SHADER_READ_BIT | VK_ACCESS_2_TRANSFER_WRITE_BIT,
                 VK_PIPELINE_STAGE_2_COPY_BIT, VK_ACCESS_2_TRANSFER_WRITE_BIT);
    if (!copies.empty())
      vkCmdCopyBufferToImage(cb, src, dst, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL,
                             static_cast<uint32_t>(copies.size()), copies.data());
    imageBarrier(cb, dst, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, newLayout,
                 VK_PIPELINE_STAGE_2_COPY_BIT, VK_ACCESS_2_TRANSFER_WRITE_BIT,
                 VK_PIPELINE_STAGE_2_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_2_COPY_BIT,
                 VK_ACCESS_2_SHADER_READ_BIT | VK_ACCESS_2_TRANSFER_READ_BIT);
  });
  if (!value) return value.error();
  device.retire(std::move(mBuffer));
  return value;
}

}  // namespace delineo::renderer
