#pragma once
// XrMirror: a desktop window that shows one eye of the headset for an audience (`vr --mirror`).
// show() copies that eye's layer of the frame just rendered into the window's swapchain and
// presents it without waiting for vertical sync (MAILBOX or IMMEDIATE where the surface offers
// them), at most `maxRateHz` times a second, so the headset's frame loop never waits on the
// desktop. A minimised window skips frames; closing the window ends the mirror (the headset
// goes on). Knows nothing of OpenXR: it takes any layered RenderTarget (tested offscreen).

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "app/desktop/Window.h"
#include "core/Result.h"
#include "renderer/RgbaImage.h"
#include "renderer/SwapchainTarget.h"

namespace delineo::renderer {
class Device;
class RenderTarget;
}  // namespace delineo::renderer

namespace delineo::app::xr {

struct XrMirrorOptions {
  int width = 800;            // initial window size (screen coordinates); the eye is letterboxed
  int height = 880;
  uint32_t layer = 0;         // the eye shown: 0 = left
  double maxRateHz = 45;      // frames shown per second at most (<= 0: every frame)
  bool visible = true;        // hidden windows still present (tests)
};

class XrMirror {
 public:
  // The window comes first: the Vulkan instance needs its surface extensions
  // (Window::requiredInstanceExtensions()) and the device VK_KHR_swapchain.
  static core::Result<std::unique_ptr<Window>> createWindow(const XrMirrorOptions& options);
  // `instance`: the one `device` was created from.
  static core::Result<std::unique_ptr<XrMirror>> create(std::unique_ptr<Window> window, renderer::Device& device,
                                                        VkInstance instance, const XrMirrorOptions& options);
  ~XrMirror();
  XrMirror(const XrMirror&) = delete;
  XrMirror& operator=(const XrMirror&) = delete;

  // Shows the eye's layer of `source`, as render() left it (call after the frame was submitted).
  // With `capture`, the window as presented is read back (tests, screenshots); a capture is
  // never skipped by the rate limit. Returns false once the window is closed.
  core::Result<bool> show(const renderer::RenderTarget& source, renderer::RgbaImage* capture = nullptr);
  bool open() const { return mTarget != nullptr; }
  Window* window() { return mWindow.get(); }

 private:
  XrMirror(std::unique_ptr<Window> window, renderer::Device& device, const XrMirrorOptions& options)
      : mWindow(std::move(window)), mDevice(device), mOptions(options) {}
  core::Result<void> copyEye(const renderer::RenderTarget& source);
  void close();

  std::unique_ptr<Window> mWindow;
  renderer::Device& mDevice;
  XrMirrorOptions mOptions;
  std::unique_ptr<renderer::SwapchainTarget> mTarget;  // null once closed
  std::chrono::steady_clock::time_point mLastShown{};
};

}  // namespace delineo::app::xr
