#pragma once
// XrRuntime: the OpenXR instance with XR_KHR_vulkan_enable2 and the head-mounted system, and
// the hooks through which the renderer's Vulkan instance and device are created as the runtime
// requires (xrCreateVulkanInstanceKHR, xrGetVulkanGraphicsDevice2KHR, xrCreateVulkanDeviceKHR).
// create() fails with one line a user can act on when there is no runtime or no headset.

#define XR_USE_GRAPHICS_API_VULKAN
#include <vulkan/vulkan.h>
#include <openxr/openxr.h>
#include <openxr/openxr_platform.h>

#include <memory>
#include <string>

#include "app/xr/XrCheck.h"
#include "core/Result.h"
#include "renderer/Device.h"
#include "renderer/Instance.h"

namespace delineo::app::xr {

struct XrRuntimeOptions {
  std::string appName = "Delineo";  // shown by the runtime
};

// The sentence for a failed xrCreateInstance / xrGetSystem, e.g. "no OpenXR runtime is
// installed (XR_ERROR_RUNTIME_UNAVAILABLE); try --simulate".
std::string explainRuntimeFailure(const char* stage, XrResult result);

class XrRuntime {
 public:
  static core::Result<std::unique_ptr<XrRuntime>> create(const XrRuntimeOptions& options = {});

  XrInstance instance() const { return mInstance.get(); }
  XrSystemId system() const { return mSystem; }
  const std::string& runtimeName() const { return mRuntimeName; }
  const std::string& systemName() const { return mSystemName; }

  // Options that make the renderer create its Vulkan objects through the runtime.
  renderer::InstanceOptions vulkanInstanceOptions(bool validation) const;
  core::Result<renderer::DeviceOptions> vulkanDeviceOptions(VkInstance instance) const;

 private:
  XrRuntime() = default;

  UniqueXrInstance mInstance;
  XrSystemId mSystem = XR_NULL_SYSTEM_ID;
  std::string mRuntimeName, mSystemName;
  PFN_xrCreateVulkanInstanceKHR mCreateVulkanInstance = nullptr;
  PFN_xrCreateVulkanDeviceKHR mCreateVulkanDevice = nullptr;
  PFN_xrGetVulkanGraphicsDevice2KHR mGetVulkanDevice = nullptr;
  PFN_xrGetVulkanGraphicsRequirements2KHR mGetRequirements = nullptr;
};

}  // namespace delineo::app::xr
