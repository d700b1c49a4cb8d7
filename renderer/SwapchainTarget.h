#pragma once
// SwapchainTarget: a window's swapchain plus the layered view images render() draws into (the
// RenderTarget part). One frame: acquire(), render() the views, then present() blits each view
// layer into its rectangle of the swapchain image, lets the caller draw its UI on top inside
// renderPass(), and presents. A resized, minimised or out-of-date window is a state: acquire()
// answers Skip and the swapchain is rebuilt when the window has a size again. Knows nothing
// of the windowing library: it is handed a VkSurfaceKHR (desktop window, XR mirror window).

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <vector>

#include "core/Result.h"
#include "renderer/DeviceHandle.h"
#include "renderer/Image.h"
#include "renderer/RenderTarget.h"
#include "renderer/RgbaImage.h"

namespace delineo::renderer {

class Device;

using UniqueSwapchain = DeviceHandle<VkSwapchainKHR, &vkDestroySwapchainKHR>;
using UniqueFence = DeviceHandle<VkFence, &vkDestroyFence>;
using UniqueRenderPass = DeviceHandle<VkRenderPass, &vkDestroyRenderPass>;
using UniqueFramebuffer = DeviceHandle<VkFramebuffer, &vkDestroyFramebuffer>;

struct SwapchainOptions {
  bool vsync = true;  // FIFO presentation; false: MAILBOX or IMMEDIATE when the surface offers them
  std::array<float, 3> clearColor{0.11f, 0.11f, 0.12f};  // behind the views (panel areas, gaps)
};

enum class FrameState {
  Ready,  // an image is acquired: render and present
  Skip,   // minimised (zero size) or the swapchain was just rebuilt: try again next frame
};

class SwapchainTarget : public RenderTarget {
 public:
  // Takes ownership of `surface` (created from `instance`). `framebufferSize` is the window's
  // size in pixels; zero while minimised.
  static core::Result<std::unique_ptr<SwapchainTarget>> create(Device& device, VkInstance instance,
                                                               VkSurfaceKHR surface,
                                                               VkExtent2D framebufferSize,
                                                               const SwapchainOptions& options = {});
  ~SwapchainTarget() override;
  SwapchainTarget(const SwapchainTarget&) = delete;
  SwapchainTarget& operator=(const SwapchainTarget&) = delete;

  // The window's framebuffer changed size (zero: minimised); the swapchain follows on acquire().
  void resize(VkExtent2D framebufferSize);
  // Acquires the next image, rebuilding the swapchain first when it is stale.
  core::Result<FrameState> acquire();

  // Size and layer count of the view images render() writes (one layer per view); recreated
  // only when they change. Call before render() in a frame.
  core::Result<void> setViewExtent(VkExtent2D extent, uint32_t layers);

  struct Blit {
    uint32_t layer = 0;  // view layer to show
    VkRect2D rect{};     // where in the window (pixels); scaled when sizes differ
  };
  // Blits the views, records `drawUi(commandBuffer)` inside renderPass() on the acquired
  // image, submits and presents. With `capture`, the finished window is read back into it
  // (screenshots). Skip: the image could not be presented (the window changed meanwhile).
  core::Result<FrameState> present(std::span<const Blit> blits,
                                   const std::function<void(VkCommandBuffer)>& drawUi,
                                   RgbaImage* capture = nullptr);

  VkExtent2D windowExtent() const { return mExtent; }
  // Colour only, loads the blitted views, ends in PRESENT_SRC; for UI drawn over them.
  VkRenderPass renderPass() const { return mRenderPass.get(); }
  uint32_t imageCount() const { return static_cast<uint32_t>(mImages.size()); }
  uint32_t minImageCount() const { return mMinImageCount; }
  // Changes whenever the swapchain is rebuilt (resize): what depends on its images follows.
  uint64_t generation() const { return mGeneration; }

  VkExtent2D extent() const override { return {mViewColor.extent().width, mViewColor.extent().height}; }
  uint32_t layers() const override { return mViewColor.desc().layers; }
  VkImage colorImage() const override { return mViewColor.handle(); }
  VkImageView colorView() const override { return mViewColor.view(); }
  VkImage depthImage() const override { return mViewDepth.handle(); }
  VkImageView depthView() const override { return mViewDepth.view(); }

 private:
  SwapchainTarget(Device& device, VkInstance instance, VkSurfaceKHR surface)
      : mDevice(device), mInstance(instance), mSurface(surface) {}
  core::Result<void> init(VkExtent2D framebufferSize);
  core::Result<void> rebuild();

  Device& mDevice;
  VkInstance mInstance;
  VkSurfaceKHR mSurface;  // destroyed last, with the instance's function
  SwapchainOptions mOptions;
  VkSurfaceFormatKHR mFormat{};
  VkPresentModeKHR mPresentMode = VK_PRESENT_MODE_FIFO_KHR;
  VkExtent2D mWanted{};  // the window's framebuffer size
  VkExtent2D mExtent{};  // the swapchain's
  bool mStale = true;
  uint32_t mMinImageCount = 2;
  uint64_t mGeneration = 0;
  UniqueRenderPass mRenderPass;
  UniqueSwapchain mSwapchain;
  std::vector<VkImage> mImages;  // owned by the swapchain
  std::vector<UniqueImageView> mViews;
  std::vector<UniqueFramebuffer> mFramebuffers;
  UniqueFence mAcquired;
  UniqueCommandPool mPool;
  VkCommandBuffer mCommands = VK_NULL_HANDLE;  // freed with mPool
  uint64_t mLastSubmit = 0;
  uint32_t mImageIndex = UINT32_MAX;  // acquired image, or UINT32_MAX
  Image mViewColor;
  Image mViewDepth;
};

}  // namespace delineo::renderer
