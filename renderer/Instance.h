#pragma once
// Instance: the VkInstance, and when validation is asked for, the Khronos validation layer
// with a debug messenger that prints and counts every warning and error it reports (render
// tests fail on any). Not movable: the messenger points at it; hold it in a unique_ptr.

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <vulkan/vulkan.h>

#include "core/Result.h"

namespace delineo::renderer {

struct InstanceOptions {
  bool validation = false;         // enable VK_LAYER_KHRONOS_validation + debug messenger
  bool printMessages = true;       // also print validation messages to stderr
  std::string appName = "Delineo"; // reported to the driver
  std::vector<std::string> extensions;  // more instance extensions (a window's surface ones)
  // Creates the VkInstance in place of vkCreateInstance (OpenXR's xrCreateVulkanInstanceKHR
  // adds the runtime's extensions); empty: vkCreateInstance.
  std::function<VkResult(const VkInstanceCreateInfo&, VkInstance*)> createInstance;
};

class Instance {
 public:
  static core::Result<std::unique_ptr<Instance>> create(const InstanceOptions& options);
  ~Instance();
  Instance(const Instance&) = delete;
  Instance& operator=(const Instance&) = delete;

  VkInstance handle() const { return mInstance; }
  bool validationEnabled() const { return mMessenger != VK_NULL_HANDLE; }
  // Warnings and errors the validation layer reported so far.
  int validationMessageCount() const;
  std::vector<std::string> validationMessages() const;

 private:
  Instance() = default;
  static VKAPI_ATTR VkBool32 VKAPI_CALL onMessage(VkDebugUtilsMessageSeverityFlagBitsEXT severity,
                                                  VkDebugUtilsMessageTypeFlagsEXT types,
                                                  const VkDebugUtilsMessengerCallbackDataEXT* data,
                                                  void* user);

  VkInstance mInstance = VK_NULL_HANDLE;
  VkDebugUtilsMessengerEXT mMessenger = VK_NULL_HANDLE;
  bool mPrintMessages = true;
  mutable std::mutex mMutex;  // the layer may call back from driver threads
  std::vector<std::string> mMessages;
};

}  // namespace delineo::renderer
