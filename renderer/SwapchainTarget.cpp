#include "renderer/SwapchainTarget.h"

#include <algorithm>
#include <cstring>
#include <optional>
#include <utility>

#include "renderer/Buffer.h"
#include "renderer/Device.h"
#include "renderer/VkCheck.h"

namespace delineo::renderer {

namespace {

VkSurfaceFormatKHR chooseFormat(VkPhysicalDevice physical, VkSurfaceKHR surface) {
  uint32_t count = 0;
  vkGetPhysicalDeviceSurfaceFormatsKHR(physical, surface, &count, nullptr);
  std::vector<VkSurfaceFormatKHR> formats(count);
  vkGetPhysicalDeviceSurfaceFormatsKHR(physical, surface, &count, formats.data());
  // UNORM, not SRGB: the views are already display-referred 8-bit colour, and so is ImGui's.
  for (VkFormat wanted : {VK_FORMAT_B8G8R8A8_UNORM, VK_FORMAT_R8G8B8A8_UNORM})
    for (const auto& f : formats)
      if (f.format == wanted && f.colorSpace == VK_COLOR_SPACE_SRGB_NONLINEAR_KHR) return f;
  return formats.empty() ? VkSurfaceFormatKHR{VK_FORMAT_UNDEFINED, VK_COLOR_SPACE_SRGB_NONLINEAR_KHR}
                         : formats[0];
}

VkPresentModeKHR choosePresentMode(VkPhysicalDevice physical, VkSurfaceKHR surface, bool vsync) {
  if (vsync) return VK_PRESENT_MODE_FIFO_KHR;  // always offered
  uint32_t count = 0;
  vkGetPhysicalDeviceSurfacePresentModesKHR(physical, surface, &count, nullptr);
  std::vector<VkPresentModeKHR> modes(count);
  vkGetPhysicalDeviceSurfacePresentModesKHR(physical, surface, &count, modes.data());
  for (VkPresentModeKHR wanted : {VK_PRESENT_MODE_MAILBOX_KHR, VK_PRESENT_MODE_IMMEDIATE_KHR})
    if (std::find(modes.begin(), modes.end(), wanted) != modes.end()) return wanted;
  return VK_PRESENT_MODE_FIFO_KHR;
}

}  // namespace

core::Result<std::unique_ptr<SwapchainTarget>> SwapchainTarget::create(Device& device, VkInstance instance,
                                                                       VkSurfaceKHR surface,
                                                                       VkExtent2D framebufferSize,
                                                                       const SwapchainOptions& options) {
  std::unique_ptr<SwapchainTarget> target(new SwapchainTarget(device, instance, surface));
  target->mOptions = options;
  if (auto r = target->init(framebufferSize); !r) return r.error();
  return target;
}

core::Result<void> SwapchainTarget::init(VkExtent2D framebufferSize) {
  VkBool32 presentable = VK_FALSE;
  VK_TRY(vkGetPhysicalDeviceSurfaceSupportKHR(mDevice.physical(), mDevice.queueFamily(), mSurface, &presentable));
  if (!presentable)
    return core::makeError(mDevice.name() + " cannot present to this window from its compute queue");
  mFormat = chooseFormat(mDevice.physical(), mSurface);
  if (mFormat.format == VK_FORMAT_UNDEFINED) return core::makeError("the window surface offers no colour format");
  if (!mDevice.formatSupports(mFormat.format, VK_FORMAT_FEATURE_BLIT_DST_BIT) ||
      !mDevice.formatSupports(VK_FORMAT_R8G8B8A8_UNORM, VK_FORMAT_FEATURE_BLIT_SRC_BIT))
    return core::makeError(mDevice.name() + " cannot blit views into the window's image format");
  mPresentMode = choosePresentMode(mDevice.physical(), mSurface, mOptions.vsync);
  mWanted = framebufferSize;

  VkAttachmentDescription color{};
  color.format = mFormat.format;
  color.samples = VK_SAMPLE_COUNT_1_BIT;
  color.loadOp = VK_ATTACHMENT_LOAD_OP_LOAD;  // the blitted views stay under the UI
  color.storeOp = VK_ATTACHMENT_STORE_OP_STORE;
  color.stencilLoadOp = VK_ATTACHMENT_LOAD_OP_DONT_CARE;
  color.stencilStoreOp = VK_ATTACHMENT_STORE_OP_DONT_CARE;
  color.initialLayout = VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL;
  color.finalLayout = VK_IMAGE_LAYOUT_PRESENT_SRC_KHR;
  VkAttachmentReference ref{0, VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL};
  VkSubpassDescription subpass{};
  subpass.pipelineBindPoint = VK_PIPELINE_BIND_POINT_GRAPHICS;
  subpass.colorAttachmentCount = 1;
  subpass.pColorAttachments = &ref;
  VkRenderPassCreateInfo rp{VK_STRUCTURE_TYPE_RENDER_PASS_CREATE_INFO};
  rp.attachmentCount = 1;
  rp.pAttachments = &color;
  rp.subpassCount = 1;
  rp.pSubpasses = &subpass;
  VkRenderPass renderPass = VK_NULL_HANDLE;
  VK_TRY(vkCreateRenderPass(mDevice.handle(), &rp, nullptr, &renderPass));
  mRenderPass = UniqueRenderPass(mDevice.handle(), renderPass);

  VkFenceCreateInfo fi{VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
  VkFence fence = VK_NULL_HANDLE;
  VK_TRY(vkCreateFence(mDevice.handle(), &fi, nullptr, &fence));
  mAcquired = UniqueFence(mDevice.handle(), fence);

  VkCommandPoolCreateInfo pi{VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO};
  pi.flags = VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT;
  pi.queueFamilyIndex = mDevice.queueFamily();
  VkCommandPool pool = VK_NULL_HANDLE;
  VK_TRY(vkCreateCommandPool(mDevice.handle(), &pi, nullptr, &pool));
  mPool = UniqueCommandPool(mDevice.handle(), pool);
  VkCommandBufferAllocateInfo ai{VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO};
  ai.commandPool = pool;
  ai.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
  ai.commandBufferCount = 1;
  VK_TRY(vkAllocateCommandBuffers(mDevice.handle(), &ai, &mCommands));
  return rebuild();
}

SwapchainTarget::~SwapchainTarget() {
  // The presentation engine may still hold images; nothing may be destroyed under it.
  if (mDevice.handle() != VK_NULL_HANDLE) vkDeviceWaitIdle(mDevice.handle());
  mFramebuffers.clear();
  mViews.clear();
  mSwapchain.reset();
  if (mSurface != VK_NULL_HANDLE) vkDestroySurfaceKHR(mInstance, mSurface, nullptr);
}

void SwapchainTarget::resize(VkExtent2D framebufferSize) {
  if (framebufferSize.width != mWanted.width || framebufferSize.height != mWanted.height) mStale = true;
  mWanted = framebufferSize;
}

core::Result<void> SwapchainTarget::rebuild() {
  VkSurfaceCapabilitiesKHR caps{};
  VK_TRY(vkGetPhysicalDeviceSurfaceCapabilitiesKHR(mDevice.physical(), mSurface, &caps));
  VkExtent2D extent = caps.currentExtent;
  if (extent.width == UINT32_MAX) {  // the surface follows the swapchain: use the window's size
    extent.width = std::clamp(mWanted.width, caps.minImageExtent.width, caps.maxImageExtent.width);
    extent.height = std::clamp(mWanted.height, caps.minImageExtent.height, caps.maxImageExtent.height);
  }
  if (extent.width == 0 || extent.height == 0 || mWanted.width == 0 || mWanted.height == 0)
    return {};  // minimised: stay stale until the window has a size again
  VK_TRY(vkDeviceWaitIdle(mDevice.handle()));

  uint32_t images = std::max(caps.minImageCount + 1, 2u);
  if (caps.maxImageCount > 0) images = std::min(images, caps.maxImageCount);
  VkImageUsageFlags usage = VK_IMAGE_USAGE_COLOR_ATTACHMENT_BIT | VK_IMAGE_USAGE_TRANSFER_DST_BIT;
  if (caps.supportedUsageFlags & VK_IMAGE_USAGE_TRANSFER_SRC_BIT) usage |= VK_IMAGE_USAGE_TRANSFER_SRC_BIT;
  VkSwapchainCreateInfoKHR info{VK_STRUCTURE_TYPE_SWAPCHAIN_CREATE_INFO_KHR};
  info.surface = mSurface;
  info.minImageCount = images;
  info.imageFormat = mFormat.format;
  info.imageColorSpace = mFormat.colorSpace;
  info.imageExtent = extent;
  info.imageArrayLayers = 1;
  info.imageUsage = usage;
  info.imageSharingMode = VK_SHARING_MODE_EXCLUSIVE;
  info.preTransform = caps.currentTransform;
  info.compositeAlpha = (caps.supportedCompositeAlpha & VK_COMPOSITE_ALPHA_OPAQUE_BIT_KHR)
                            ? VK_COMPOSITE_ALPHA_OPAQUE_BIT_KHR
                            : static_cast<VkCompositeAlphaFlagBitsKHR>(caps.supportedCompositeAlpha &
                                                                       -caps.supportedCompositeAlpha);
  info.presentMode = mPresentMode;
  info.clipped = VK_TRUE;
  info.oldSwapchain = mSwapchain.get();
  VkSwapchainKHR swapchain = VK_NULL_HANDLE;
  VK_TRY(vkCreateSwapchainKHR(mDevice.handle(), &info, nullptr, &swapchain));
  mFramebuffers.clear();
  mViews.clear();
  mSwapchain = UniqueSwapchain(mDevice.handle(), swapchain);  // destroys the old one

  uint32_t count = 0;
  VK_TRY(vkGetSwapchainImagesKHR(mDevice.handle(), swapchain, &count, nullptr));
  mImages.resize(count);
  VK_TRY(vkGetSwapchainImagesKHR(mDevice.handle(), swapchain, &count, mImages.data()));
  for (VkImage image : mImages) {
    VkImageViewCreateInfo vi{VK_STRUCTURE_TYPE_IMAGE_VIEW_CREATE_INFO};
    vi.image = image;
    vi.viewType = VK_IMAGE_VIEW_TYPE_2D;
    vi.format = mFormat.format;
    vi.subresourceRange = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, 1};
    VkImageView view = VK_NULL_HANDLE;
    VK_TRY(vkCreateImageView(mDevice.handle(), &vi, nullptr, &view));
    mViews.emplace_back(mDevice.handle(), view);
    VkFramebufferCreateInfo fi{VK_STRUCTURE_TYPE_FRAMEBUFFER_CREATE_INFO};
    fi.renderPass = mRenderPass.get();
    fi.attachmentCount = 1;
    fi.pAttachments = &view;
    fi.width = extent.width;
    fi.height = extent.height;
    fi.layers = 1;
    VkFramebuffer framebuffer = VK_NULL_HANDLE;
    VK_TRY(vkCreateFramebuffer(mDevice.handle(), &fi, nullptr, &framebuffer));
    mFramebuffers.emplace_back(mDevice.handle(), framebuffer);
  }
  mMinImageCount = images;
  mExtent = extent;
  mStale = false;
  ++mGeneration;
  return {};
}

core::Result<FrameState> SwapchainTarget::acquire() {
  mImageIndex = UINT32_MAX;
  if (mStale || !mSwapchain) {
    if (auto r = rebuild(); !r) return r.error();
    if (mStale) return FrameState::Skip;  // minimised
  }
  VkResult result = vkAcquireNextImageKHR(mDevice.handle(), mSwapchain.get(), UINT64_MAX, VK_NULL_HANDLE,
                                          mAcquired.get(), &mImageIndex);
  if (result == VK_ERROR_OUT_OF_DATE_KHR) {
    mStale = true;
    mImageIndex = UINT32_MAX;
    return FrameState::Skip;
  }
  if (result != VK_SUCCESS && result != VK_SUBOPTIMAL_KHR)
    return core::makeError(vkCallError("vkAcquireNextImageKHR", result, __FILE__, __LINE__));
  if (result == VK_SUBOPTIMAL_KHR) mStale = true;  // present this one, rebuild for the next
  VkFence fence = mAcquired.get();
  VK_TRY(vkWaitForFences(mDevice.handle(), 1, &fence, VK_TRUE, UINT64_MAX));
  VK_TRY(vkResetFences(mDevice.handle(), 1, &fence));
  return FrameState::Ready;
}

core::Result<void> SwapchainTarget::setViewExtent(VkExtent2D extent, uint32_t layers) {
  extent.width = std::max(extent.width, 1u);
  extent.height = std::max(extent.height, 1u);
  layers = std::max(layers, 1u);
  if (mViewColor && mViewColor.extent().width == extent.width && mViewColor.extent().height == extent.height &&
      mViewColor.desc().layers == layers)
    return {};
  ImageDesc desc;
  desc.type = VK_IMAGE_TYPE_2D;
  desc.extent = {extent.width, extent.height, 1};
  desc.layers = layers;
  // Transfer destination too: an XR mirror copies a headset eye in instead of rendering.
  desc.usage = VK_IMAGE_USAGE_STORAGE_BIT | VK_IMAGE_USAGE_TRANSFER_SRC_BIT | VK_IMAGE_USAGE_TRANSFER_DST_BIT;
  desc.format = VK_FORMAT_R8G8B8A8_UNORM;
  auto color = Image::create(mDevice, desc);
  if (!color) return color.error();
  desc.format = VK_FORMAT_R32_SFLOAT;
  auto depth = Image::create(mDevice, desc);
  if (!depth) return depth.error();
  mDevice.retire(std::move(mViewColor));
  mDevice.retire(std::move(mViewDepth));
  mViewColor = std::move(color).value();
  mViewDepth = std::move(depth).value();
  VkImage images[2] = {mViewColor.handle(), mViewDepth.handle()};
  auto value = mDevice.submitOnce([&](VkCommandBuffer cb) {
    for (VkImage image : images)
      imageBarrier(cb, image, VK_IMAGE_LAYOUT_UNDEFINED, VK_IMAGE_LAYOUT_GENERAL, VK_PIPELINE_STAGE_2_NONE,
                   VK_ACCESS_2_NONE, VK_PIPELINE_STAGE_2_COMPUTE_SHADER_BIT, VK_ACCESS_2_SHADER_STORAGE_WRITE_BIT);
  });
  if (!value) return value.error();
  return {};
}

core::Result<FrameState> SwapchainTarget::present(std::span<const Blit> blits,
                                                  const std::function<void(VkCommandBuffer)>& drawUi,
                                                  RgbaImage* capture) {
  if (mImageIndex == UINT32_MAX) return FrameState::Skip;
  const uint32_t index = std::exchange(mImageIndex, UINT32_MAX);
  VkImage image = mImages[index];
  std::optional<Buffer> readback;
  if (capture) {
    auto buffer = Buffer::create(mDevice, VkDeviceSize{mExtent.width} * mExtent.height * 4,
                                 VK_BUFFER_USAGE_TRANSFER_DST_BIT, Buffer::Memory::HostVisible);
    if (!buffer) return buffer.error();
    readback = std::move(buffer).value();
  }

  VkCommandBuffer cb = mCommands;
  VK_TRY(vkResetCommandBuffer(cb, 0));
  VkCommandBufferBeginInfo begin{VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
  begin.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
  VK_TRY(vkBeginCommandBuffer(cb, &begin));
  // The views were written by render()'s compute shaders in an earlier submission.
  // Blits read best from TRANSFER_SRC_OPTIMAL; the views return to GENERAL for render().
  if (mViewColor)
    imageBarrier(cb, mViewColor.handle(), VK_IMAGE_LAYOUT_GENERAL, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL,
                 VK_PIPELINE_STAGE_2_COMPUTE_SHADER_BIT, VK_ACCESS_2_SHADER_STORAGE_WRITE_BIT,
                 VK_PIPELINE_STAGE_2_BLIT_BIT, VK_ACCESS_2_TRANSFER_READ_BIT);
  imageBarrier(cb, image, VK_IMAGE_LAYOUT_UNDEFINED, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL,
               VK_PIPELINE_STAGE_2_NONE, VK_ACCESS_2_NONE, VK_PIPELINE_STAGE_2_CLEAR_BIT | VK_PIPELINE_STAGE_2_BLIT_BIT,
               VK_ACCESS_2_TRANSFER_WRITE_BIT);
  VkClearColorValue clear{};
  clear.float32[0] = mOptions.clearColor[0];
  clear.float32[1] = mOptions.clearColor[1];
  clear.float32[2] = mOptions.clearColor[2];
  clear.float32[3] = 1;
  VkImageSubresourceRange all{VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, 1};
  vkCmdClearColorImage(cb, image, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, &clear, 1, &all);
  imageBarrier(cb, image, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL,
               VK_PIPELINE_STAGE_2_CLEAR_BIT, VK_ACCESS_2_TRANSFER_WRITE_BIT, VK_PIPELINE_STAGE_2_BLIT_BIT,
               VK_ACCESS_2_TRANSFER_WRITE_BIT);
  const VkExtent2D src = extent();
  for (const Blit& b : blits) {
    if (!mViewColor || b.layer >= layers() || b.rect.extent.width == 0 || b.rect.extent.height == 0) continue;
    // Clip to the window: a layout may lag one frame behind a resize.
    int32_t x1 = std::min<int32_t>(b.rect.offset.x + static_cast<int32_t>(b.rect.extent.width),
                                   static_cast<int32_t>(mExtent.width));
    int32_t y1 = std::min<int32_t>(b.rect.offset.y + static_cast<int32_t>(b.rect.extent.height),
                                   static_cast<int32_t>(mExtent.height));
    int32_t x0 = std::max(b.rect.offset.x, 0), y0 = std::max(b.rect.offset.y, 0);
    if (x1 <= x0 || y1 <= y0) continue;
    // The part of the view that lands inside the window.
    auto srcX = [&](int32_t x) {
      return static_cast<int32_t>(static_cast<int64_t>(x - b.rect.offset.x) * src.width / b.rect.extent.width);
    };
    auto srcY = [&](int32_t y) {
      return static_cast<int32_t>(static_cast<int64_t>(y - b.rect.offset.y) * src.height / b.rect.extent.height);
    };
    VkImageBlit region{};
    region.srcSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, b.layer, 1};
    region.srcOffsets[0] = {srcX(x0), srcY(y0), 0};
    region.srcOffsets[1] = {std::max(srcX(x1), srcX(x0) + 1), std::max(srcY(y1), srcY(y0) + 1), 1};
    region.dstSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1};
    region.dstOffsets[0] = {x0, y0, 0};
    region.dstOffsets[1] = {x1, y1, 1};
    bool sameSize = src.width == b.rect.extent.width && src.height == b.rect.extent.height;
    vkCmdBlitImage(cb, mViewColor.handle(), VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, image, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL,
                   1, &region, sameSize ? VK_FILTER_NEAREST : VK_FILTER_LINEAR);
  }
  imageBarrier(cb, image, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL,
               VK_PIPELINE_STAGE_2_BLIT_BIT | VK_PIPELINE_STAGE_2_CLEAR_BIT, VK_ACCESS_2_TRANSFER_WRITE_BIT,
               VK_PIPELINE_STAGE_2_COLOR_ATTACHMENT_OUTPUT_BIT,
               VK_ACCESS_2_COLOR_ATTACHMENT_READ_BIT | VK_ACCESS_2_COLOR_ATTACHMENT_WRITE_BIT);

  VkRenderPassBeginInfo rp{VK_STRUCTURE_TYPE_RENDER_PASS_BEGIN_INFO};
  rp.renderPass = mRenderPass.get();
  rp.framebuffer = mFramebuffers[index].get();
  rp.renderArea = {{0, 0}, mExtent};
  vkCmdBeginRenderPass(cb, &rp, VK_SUBPASS_CONTENTS_INLINE);
  if (drawUi) drawUi(cb);
  vkCmdEndRenderPass(cb);

  if (readback) {
    imageBarrier(cb, image, VK_IMAGE_LAYOUT_PRESENT_SRC_KHR, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL,
                 VK_PIPELINE_STAGE_2_COLOR_ATTACHMENT_OUTPUT_BIT, VK_ACCESS_2_COLOR_ATTACHMENT_WRITE_BIT,
                 VK_PIPELINE_STAGE_2_COPY_BIT, VK_ACCESS_2_TRANSFER_READ_BIT);
    VkBufferImageCopy copy{};
    copy.imageSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1};
    copy.imageExtent = {mExtent.width, mExtent.height, 1};
    vkCmdCopyImageToBuffer(cb, image, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, readback->handle(), 1, &copy);
    imageBarrier(cb, image, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, VK_IMAGE_LAYOUT_PRESENT_SRC_KHR,
                 VK_PIPELINE_STAGE_2_COPY_BIT, VK_ACCESS_2_TRANSFER_READ_BIT, VK_PIPELINE_STAGE_2_NONE,
                 VK_ACCESS_2_NONE);
  }
  // The next frame's render() writes the view images this frame's blits read.
  if (mViewColor)
    imageBarrier(cb, mViewColor.handle(), VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, VK_IMAGE_LAYOUT_GENERAL,
                 VK_PIPELINE_STAGE_2_BLIT_BIT, VK_ACCESS_2_TRANSFER_READ_BIT,
                 VK_PIPELINE_STAGE_2_COMPUTE_SHADER_BIT, VK_ACCESS_2_SHADER_STORAGE_WRITE_BIT);
  VK_TRY(vkEndCommandBuffer(cb));
  auto value = mDevice.submit(cb);
  if (!value) return value.error();
  mLastSubmit = *value;
  // Presentation waits on the CPU for the frame instead of a binary semaphore: the device's
  // timeline is the one synchronisation primitive of the renderer, and on the CPU driver the
  // frame is finished by then anyway.
  if (auto r = mDevice.wait(*value); !r) return r.error();

  if (readback) {
    capture->width = static_cast<int>(mExtent.width);
    capture->height = static_cast<int>(mExtent.height);
    capture->pixels.resize(size_t{mExtent.width} * mExtent.height * 4);
    std::memcpy(capture->pixels.data(), readback->mapped(), capture->pixels.size());
    if (mFormat.format == VK_FORMAT_B8G8R8A8_UNORM)
      for (size_t i = 0; i < capture->pixels.size(); i += 4) std::swap(capture->pixels[i], capture->pixels[i + 2]);
    for (size_t i = 3; i < capture->pixels.size(); i += 4) capture->pixels[i] = 255;
  }

  VkSwapchainKHR swapchain = mSwapchain.get();
  VkPresentInfoKHR pi{VK_STRUCTURE_TYPE_PRESENT_INFO_KHR};
  pi.swapchainCount = 1;
  pi.pSwapchains = &swapchain;
  pi.pImageIndices = &index;
  VkResult result = vkQueuePresentKHR(mDevice.queue(), &pi);
  if (result == VK_ERROR_OUT_OF_DATE_KHR || result == VK_SUBOPTIMAL_KHR) {
    mStale = true;
    return result == VK_SUBOPTIMAL_KHR ? FrameState::Ready : FrameState::Skip;
  }
  if (result != VK_SUCCESS) return core::makeError(vkCallError("vkQueuePresentKHR", result, __FILE__, __LINE__));
  return FrameState::Ready;
}

}  // namespace delineo::renderer
