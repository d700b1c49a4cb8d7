#include "app/xr/XrMirror.h"

#include <algorithm>

#include "renderer/Device.h"
#include "renderer/Image.h"
#include "renderer/RenderTarget.h"

namespace delineo::app::xr {

core::Result<std::unique_ptr<Window>> XrMirror::createWindow(const XrMirrorOptions& options) {
  WindowOptions wo;
  wo.width = options.width;
  wo.height = options.height;
  wo.title = options.layer == 0 ? "Delineo VR — left eye" : "Delineo VR — right eye";
  wo.visible = options.visible;
  return Window::create(wo);
}

core::Result<std::unique_ptr<XrMirror>> XrMirror::create(std::unique_ptr<Window> window, renderer::Device& device,
                                                         VkInstance instance, const XrMirrorOptions& options) {
  auto surface = window->createSurface(instance);
  if (!surface) return surface.error();
  renderer::SwapchainOptions so;
  so.vsync = false;  // never wait for the desktop's refresh: the headset sets the pace
  so.clearColor = {0, 0, 0};
  auto target = renderer::SwapchainTarget::create(device, instance, *surface, window->framebufferSize(), so);
  if (!target) return target.error();
  std::unique_ptr<XrMirror> mirror(new XrMirror(std::move(window), device, options));
  mirror->mTarget = std::move(target).value();
  return mirror;
}

XrMirror::~XrMirror() { close(); }

void XrMirror::close() {
  if (mTarget) (void)mDevice.waitIdle();  // the swapchain's last present may still read its images
  mTarget.reset();
  mWindow.reset();
}

core::Result<void> XrMirror::copyEye(const renderer::RenderTarget& source) {
  const VkExtent2D extent = source.extent();
  if (auto r = mTarget->setViewExtent(extent, 1); !r) return r;
  VkImage from = source.colorImage(), to = mTarget->colorImage();
  const uint32_t layer = std::min(mOptions.layer, source.layers() - 1);
  auto copied = mDevice.submitOnce([&](VkCommandBuffer cb) {
    using renderer::imageBarrier;
    // render()'s writes (and the headset's copy out of the same image) come first; both images
    // return to GENERAL, where render() and the window's blit expect them.
    imageBarrier(cb, from, VK_IMAGE_LAYOUT_GENERAL, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL,
                 VK_PIPELINE_STAGE_2_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_2_COPY_BIT | VK_PIPELINE_STAGE_2_BLIT_BIT,
                 VK_ACCESS_2_SHADER_STORAGE_WRITE_BIT, VK_PIPELINE_STAGE_2_COPY_BIT, VK_ACCESS_2_TRANSFER_READ_BIT);
    imageBarrier(cb, to, VK_IMAGE_LAYOUT_GENERAL, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL,
                 VK_PIPELINE_STAGE_2_BLIT_BIT | VK_PIPELINE_STAGE_2_COPY_BIT, VK_ACCESS_2_NONE,
                 VK_PIPELINE_STAGE_2_COPY_BIT, VK_ACCESS_2_TRANSFER_WRITE_BIT);
    VkImageCopy region{};
    region.srcSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, layer, 1};
    region.dstSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1};
    region.extent = {extent.width, extent.height, 1};
    vkCmdCopyImage(cb, from, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, to, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, 1, &region);
    imageBarrier(cb, from, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, VK_IMAGE_LAYOUT_GENERAL, VK_PIPELINE_STAGE_2_COPY_BIT,
                 VK_ACCESS_2_NONE, VK_PIPELINE_STAGE_2_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_2_COPY_BIT,
                 VK_ACCESS_2_SHADER_STORAGE_READ_BIT | VK_ACCESS_2_SHADER_STORAGE_WRITE_BIT | VK_ACCESS_2_TRANSFER_READ_BIT);
    imageBarrier(cb, to, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, VK_IMAGE_LAYOUT_GENERAL, VK_PIPELINE_STAGE_2_COPY_BIT,
                 VK_ACCESS_2_TRANSFER_WRITE_BIT, VK_PIPELINE_STAGE_2_BLIT_BIT, VK_ACCESS_2_TRANSFER_READ_BIT);
  });
  if (!copied) return copied.error();
  return {};
}

core::Result<bool> XrMirror::show(const renderer::RenderTarget& source, renderer::RgbaImage* capture) {
  if (!mTarget) return false;
  mWindow->pollEvents();
  if (mWindow->closeRequested()) {
    close();
    return false;
  }
  auto now = std::chrono::steady_clock::now();
  if (!capture && mOptions.maxRateHz > 0 &&
      std::chrono::duration<double>(now - mLastShown).count() < 1 / mOptions.maxRateHz)
    return true;
  mTarget->resize(mWindow->framebufferSize());
  auto acquired = mTarget->acquire();
  if (!acquired) return acquired.error();
  if (*acquired == renderer::FrameState::Skip) return true;  // minimised or just resized
  if (auto r = copyEye(source); !r) return r.error();
  // The eye letterboxed into the window, its aspect kept.
  const VkExtent2D eye = mTarget->extent(), window = mTarget->windowExtent();
  double scale = std::min(double(window.width) / eye.width, double(window.height) / eye.height);
  auto w = static_cast<uint32_t>(std::max(1.0, eye.width * scale)), h = static_cast<uint32_t>(std::max(1.0, eye.height * scale));
  renderer::SwapchainTarget::Blit blit{0, VkRect2D{{int32_t(window.width - w) / 2, int32_t(window.height - h) / 2}, {w, h}}};
  auto presented = mTarget->present({&blit, 1}, {}, capture);
  if (!presented) return presented.error();
  mLastShown = now;
  return true;
}

}  // namespace delineo::app::xr
