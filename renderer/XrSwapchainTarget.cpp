#include "renderer/XrSwapchainTarget.h"

#include <algorithm>

#include "renderer/Buffer.h"
#include "renderer/Device.h"
#include "renderer/OffscreenTarget.h"

namespace delineo::renderer {

bool XrSwapchainTarget::supportsFormat(VkFormat format) {
  return format == VK_FORMAT_R8G8B8A8_SRGB || format == VK_FORMAT_R8G8B8A8_UNORM ||
         format == VK_FORMAT_B8G8R8A8_UNORM || format == VK_FORMAT_B8G8R8A8_SRGB;
}

core::Result<std::unique_ptr<XrSwapchainTarget>> XrSwapchainTarget::create(Device& device, std::vector<VkImage> images,
                                                                           VkFormat format, VkExtent2D extent,
                                                                           uint32_t layers) {
  if (!supportsFormat(format)) return core::makeError("the XR swapchain's format is not an 8-bit RGBA/BGRA format");
  if (images.empty()) return core::makeError("the XR swapchain has no images");
  std::unique_ptr<XrSwapchainTarget> t(new XrSwapchainTarget(device));
  t->mImages = std::move(images);
  t->mFormat = format;
  t->mSwapchainExtent = extent;
  t->mLayers = layers;
  if (auto r = t->setRenderExtent(extent); !r) return r.error();
  return t;
}

XrSwapchainTarget::~XrSwapchainTarget() {
  if (mColor) mDevice.retire(std::move(mColor));
  if (mDepth) mDevice.retire(std::move(mDepth));
}

core::Result<void> XrSwapchainTarget::setRenderExtent(VkExtent2D extent) {
  extent.width = std::clamp(extent.width, 8u, mSwapchainExtent.width);
  extent.height = std::clamp(extent.height, 8u, mSwapchainExtent.height);
  if (mColor && mColor.extent().width == extent.width && mColor.extent().height == extent.height) return {};
  if (mColor) mDevice.retire(std::move(mColor));
  if (mDepth) mDevice.retire(std::move(mDepth));
  ImageDesc desc;
  desc.type = VK_IMAGE_TYPE_2D;
  desc.extent = {extent.width, extent.height, 1};
  desc.layers = mLayers;
  desc.format = VK_FORMAT_R8G8B8A8_UNORM;
  desc.usage = VK_IMAGE_USAGE_STORAGE_BIT | VK_IMAGE_USAGE_TRANSFER_SRC_BIT;
  auto color = Image::create(mDevice, desc);
  if (!color) return color.error();
  desc.format = VK_FORMAT_R32_SFLOAT;
  auto depth = Image::create(mDevice, desc);
  if (!depth) return depth.error();
  mColor = std::move(color).value();
  mDepth = std::move(depth).value();
  // RenderTarget images live in GENERAL.
  VkImage c = mColor.handle(), d = mDepth.handle();
  auto done = mDevice.submitOnce([&](VkCommandBuffer cb) {
    for (VkImage image : {c, d})
      imageBarrier(cb, image, VK_IMAGE_LAYOUT_UNDEFINED, VK_IMAGE_LAYOUT_GENERAL, VK_PIPELINE_STAGE_2_NONE, 0,
                   VK_PIPELINE_STAGE_2_COMPUTE_SHADER_BIT, VK_ACCESS_2_SHADER_STORAGE_WRITE_BIT);
  });
  if (!done) return done.error();
  return {};
}

core::Result<uint64_t> XrSwapchainTarget::copyTo(uint32_t index) {
  if (index >= mImages.size()) return core::makeError("XR swapchain image index out of range");
  VkImage dst = mImages[index], src = mColor.handle();
  VkExtent3D e = mColor.extent();
  bool rgba = mFormat == VK_FORMAT_R8G8B8A8_SRGB || mFormat == VK_FORMAT_R8G8B8A8_UNORM;
  uint32_t layers = mLayers;
  return mDevice.submitOnce([&](VkCommandBuffer cb) {
    imageBarrier(cb, src, VK_IMAGE_LAYOUT_GENERAL, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL,
                 VK_PIPELINE_STAGE_2_COMPUTE_SHADER_BIT, VK_ACCESS_2_SHADER_STORAGE_WRITE_BIT,
                 VK_PIPELINE_STAGE_2_COPY_BIT | VK_PIPELINE_STAGE_2_BLIT_BIT, VK_ACCESS_2_TRANSFER_READ_BIT);
    imageBarrier(cb, dst, VK_IMAGE_LAYOUT_UNDEFINED, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL,
                 VK_PIPELINE_STAGE_2_COLOR_ATTACHMENT_OUTPUT_BIT, 0,
                 VK_PIPELINE_STAGE_2_COPY_BIT | VK_PIPELINE_STAGE_2_BLIT_BIT, VK_ACCESS_2_TRANSFER_WRITE_BIT);
    VkImageSubresourceLayers sub{VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, layers};
    if (rgba) {
      VkImageCopy copy{sub, {0, 0, 0}, sub, {0, 0, 0}, e};
      vkCmdCopyImage(cb, src, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, dst, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, 1, &copy);
    } else {
      VkImageBlit blit{};
      blit.srcSubresource = blit.dstSubresource = sub;
      blit.srcOffsets[1] = blit.dstOffsets[1] = {static_cast<int32_t>(e.width), static_cast<int32_t>(e.height), 1};
      vkCmdBlitImage(cb, src, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, dst, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, 1, &blit,
                     VK_FILTER_NEAREST);
    }
    imageBarrier(cb, dst, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL,
                 VK_PIPELINE_STAGE_2_COPY_BIT | VK_PIPELINE_STAGE_2_BLIT_BIT, VK_ACCESS_2_TRANSFER_WRITE_BIT,
                 VK_PIPELINE_STAGE_2_COLOR_ATTACHMENT_OUTPUT_BIT, VK_ACCESS_2_COLOR_ATTACHMENT_READ_BIT);
    imageBarrier(cb, src, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, VK_IMAGE_LAYOUT_GENERAL,
                 VK_PIPELINE_STAGE_2_COPY_BIT | VK_PIPELINE_STAGE_2_BLIT_BIT, VK_ACCESS_2_TRANSFER_READ_BIT,
                 VK_PIPELINE_STAGE_2_COMPUTE_SHADER_BIT, VK_ACCESS_2_SHADER_STORAGE_WRITE_BIT);
  });
}

core::Result<RgbaImage> XrSwapchainTarget::readColor(uint32_t layer) const {
  if (layer >= mLayers) return core::makeError("XR swapchain layer out of range");
  return readColorLayer(mDevice, mColor, layer);
}

}  // namespace delineo::renderer
