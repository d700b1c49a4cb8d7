#include "app/ui/ImGuiLayer.h"

#include <cstdio>

#include <imgui.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_vulkan.h>

#include "renderer/Device.h"
#include "renderer/SwapchainTarget.h"
#include "renderer/VkCheck.h"

namespace delineo::ui {

namespace {
void checkVk(VkResult result) {
  if (result != VK_SUCCESS) std::fprintf(stderr, "delineo: ImGui Vulkan backend: %s\n", renderer::vkResultName(result));
}
}  // namespace

core::Result<std::unique_ptr<ImGuiLayer>> ImGuiLayer::create(GLFWwindow* window, VkInstance instance,
                                                             renderer::Device& device,
                                                             const renderer::SwapchainTarget& swapchain,
                                                             const ImGuiLayerOptions& options) {
  std::unique_ptr<ImGuiLayer> layer(new ImGuiLayer(device));
  auto pool = renderer::createDescriptorPool(device.handle(), {{VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, 16}}, 16,
                                             VK_DESCRIPTOR_POOL_CREATE_FREE_DESCRIPTOR_SET_BIT);
  if (!pool) return pool.error();
  layer->mPool = std::move(pool).value();

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // a fixed layout; no imgui.ini dropped into the working directory
  io.FontGlobalScale = options.fontScale;
  if (options.darkStyle) ImGui::StyleColorsDark();
  else ImGui::StyleColorsLight();
  ImGui::GetStyle().WindowRounding = 0;
  if (!ImGui_ImplGlfw_InitForVulkan(window, true)) return core::makeError("ImGui cannot use the GLFW window");
  layer->mGlfwReady = true;

  ImGui_ImplVulkan_InitInfo info{};
  info.Instance = instance;
  info.PhysicalDevice = device.physical();
  info.Device = device.handle();
  info.QueueFamily = device.queueFamily();
  info.Queue = device.queue();
  info.DescriptorPool = layer->mPool.get();
  info.MinImageCount = std::max(2u, swapchain.minImageCount());
  info.ImageCount = std::max(info.MinImageCount, swapchain.imageCount());
  info.MSAASamples = VK_SAMPLE_COUNT_1_BIT;
  info.CheckVkResultFn = &checkVk;
  if (!ImGui_ImplVulkan_Init(&info, swapchain.renderPass())) return core::makeError("ImGui's Vulkan backend failed to start");
  layer->mVulkanReady = true;
  auto value = device.submitOnce([](VkCommandBuffer cb) { ImGui_ImplVulkan_CreateFontsTexture(cb); });
  if (!value) return value.error();
  if (auto r = device.wait(*value); !r) return r.error();
  ImGui_ImplVulkan_DestroyFontUploadObjects();
  layer->mSwapchainGeneration = swapchain.generation();
  return layer;
}

ImGuiLayer::~ImGuiLayer() {
  if (mDevice.handle() != VK_NULL_HANDLE) vkDeviceWaitIdle(mDevice.handle());
  if (mVulkanReady) ImGui_ImplVulkan_Shutdown();
  if (mGlfwReady) ImGui_ImplGlfw_Shutdown();
  if (ImGui::GetCurrentContext()) ImGui::DestroyContext();
}

void ImGuiLayer::beginFrame(const renderer::SwapchainTarget& swapchain) {
  if (swapchain.generation() != mSwapchainGeneration) {
    ImGui_ImplVulkan_SetMinImageCount(std::max(2u, swapchain.minImageCount()));
    mSwapchainGeneration = swapchain.generation();
  }
  ImGui_ImplVulkan_NewFrame();
  ImGui_ImplGlfw_NewFrame();
  ImGui::NewFrame();
}

void ImGuiLayer::endFrame() { ImGui::Render(); }

void ImGuiLayer::draw(VkCommandBuffer commands) const {
  ImDrawData* data = ImGui::GetDrawData();
  if (data) ImGui_ImplVulkan_RenderDrawData(data, commands);
}

}  // namespace delineo::ui
