#pragma once
// ImGuiLayer: a Dear ImGui context (1.86) on a GLFW window, drawn with the Vulkan backend into a
// SwapchainTarget's render pass. Owns the context, both backends and their descriptor pool;
// valid while the window, device and swapchain live. Reused by the desktop viewer and the XR
// mirror window.

#include <memory>

#include <vulkan/vulkan.h>

#include "core/Result.h"
#include "renderer/DeviceHandle.h"

struct GLFWwindow;

namespace delineo::renderer {
class Device;
class SwapchainTarget;
}  // namespace delineo::renderer

namespace delineo::ui {

struct ImGuiLayerOptions {
  float fontScale = 1.0f;   // multiplies the default 13 px font (high-DPI screens)
  bool darkStyle = true;    // dark theme: the views are dark, the panels should not glare
};

class ImGuiLayer {
 public:
  static core::Result<std::unique_ptr<ImGuiLayer>> create(GLFWwindow* window, VkInstance instance,
                                                          renderer::Device& device,
                                                          const renderer::SwapchainTarget& swapchain,
                                                          const ImGuiLayerOptions& options = {});
  ~ImGuiLayer();
  ImGuiLayer(const ImGuiLayer&) = delete;
  ImGuiLayer& operator=(const ImGuiLayer&) = delete;

  // Starts a UI frame (after polling events); follows a rebuilt swapchain.
  void beginFrame(const renderer::SwapchainTarget& swapchain);
  // Ends the UI frame; what it built is drawn by draw().
  void endFrame();
  // Records the frame's draw lists (inside the swapchain's render pass).
  void draw(VkCommandBuffer commands) const;

 private:
  ImGuiLayer(renderer::Device& device) : mDevice(device) {}

  renderer::Device& mDevice;
  renderer::UniqueDescriptorPool mPool;
  uint64_t mSwapchainGeneration = 0;
  bool mGlfwReady = false;
  bool mVulkanReady = false;
};

}  // namespace delineo::ui
