#include "app/xr/XrRuntime.h"

#include <cstdlib>
#include <cstring>
#include <vector>

namespace delineo::app::xr {

std::string explainRuntimeFailure(const char* stage, XrResult result) {
  std::string name = xrResultName(result);
  if (result == XR_ERROR_RUNTIME_UNAVAILABLE || result == XR_ERROR_RUNTIME_FAILURE ||
      result == XR_ERROR_INSTANCE_LOST)
    return "no OpenXR runtime is installed or running (" + name + " from " + stage +
           "); install and start one (Monado, SteamVR, WiVRn), or try --simulate";
  if (result == XR_ERROR_EXTENSION_NOT_PRESENT)
    return "the OpenXR runtime does not offer XR_KHR_vulkan_enable2 (" + name + "); try --simulate";
  if (result == XR_ERROR_FORM_FACTOR_UNAVAILABLE || result == XR_ERROR_FORM_FACTOR_UNSUPPORTED)
    return "no headset is connected (" + name + " from " + stage + "); connect one and start it, or try --simulate";
  return std::string("OpenXR failed at ") + stage + " (" + name + "); try --simulate";
}

core::Result<std::unique_ptr<XrRuntime>> XrRuntime::create(const XrRuntimeOptions& options) {
  // The loader prints its own multi-line diagnostics when no runtime is found; we say it in one
  // line. XR_LOADER_DEBUG set by the user still wins.
  setenv("XR_LOADER_DEBUG", "none", 0);
  uint32_t count = 0;
  XrResult r = xrEnumerateInstanceExtensionProperties(nullptr, 0, &count, nullptr);
  if (XR_FAILED(r)) return core::makeError(explainRuntimeFailure("xrEnumerateInstanceExtensionProperties", r));
  std::vector<XrExtensionProperties> extensions(count, {XR_TYPE_EXTENSION_PROPERTIES});
  r = xrEnumerateInstanceExtensionProperties(nullptr, count, &count, extensions.data());
  if (XR_FAILED(r)) return core::makeError(explainRuntimeFailure("xrEnumerateInstanceExtensionProperties", r));
  bool vulkan2 = false;
  for (const auto& e : extensions) vulkan2 |= std::strcmp(e.extensionName, XR_KHR_VULKAN_ENABLE2_EXTENSION_NAME) == 0;
  if (!vulkan2) return core::makeError(explainRuntimeFailure("extension check", XR_ERROR_EXTENSION_NOT_PRESENT));

  std::unique_ptr<XrRuntime> rt(new XrRuntime());
  const char* enabled[] = {XR_KHR_VULKAN_ENABLE2_EXTENSION_NAME};
  XrInstanceCreateInfo info{XR_TYPE_INSTANCE_CREATE_INFO};
  std::strncpy(info.applicationInfo.applicationName, options.appName.c_str(), XR_MAX_APPLICATION_NAME_SIZE - 1);
  std::strncpy(info.applicationInfo.engineName, "Delineo", XR_MAX_ENGINE_NAME_SIZE - 1);
  info.applicationInfo.apiVersion = XR_MAKE_VERSION(1, 0, 0);
  info.enabledExtensionCount = 1;
  info.enabledExtensionNames = enabled;
  XrInstance instance = XR_NULL_HANDLE;
  r = xrCreateInstance(&info, &instance);
  if (XR_FAILED(r)) return core::makeError(explainRuntimeFailure("xrCreateInstance", r));
  rt->mInstance = UniqueXrInstance(instance);

  XrInstanceProperties props{XR_TYPE_INSTANCE_PROPERTIES};
  if (XR_SUCCEEDED(xrGetInstanceProperties(instance, &props))) rt->mRuntimeName = props.runtimeName;
  XrSystemGetInfo sys{XR_TYPE_SYSTEM_GET_INFO};
  sys.formFactor = XR_FORM_FACTOR_HEAD_MOUNTED_DISPLAY;
  r = xrGetSystem(instance, &sys, &rt->mSystem);
  if (XR_FAILED(r)) return core::makeError(explainRuntimeFailure("xrGetSystem", r));
  XrSystemProperties sp{XR_TYPE_SYSTEM_PROPERTIES};
  if (XR_SUCCEEDED(xrGetSystemProperties(instance, rt->mSystem, &sp))) rt->mSystemName = sp.systemName;

  auto load = [&](const char* name, auto& fn) -> core::Result<void> {
    PFN_xrVoidFunction f = nullptr;
    XR_TRY(xrGetInstanceProcAddr(instance, name, &f));
    fn = reinterpret_cast<std::remove_reference_t<decltype(fn)>>(f);
    return {};
  };
  if (auto l = load("xrCreateVulkanInstanceKHR", rt->mCreateVulkanInstance); !l) return l.error();
  if (auto l = load("xrCreateVulkanDeviceKHR", rt->mCreateVulkanDevice); !l) return l.error();
  if (auto l = load("xrGetVulkanGraphicsDevice2KHR", rt->mGetVulkanDevice); !l) return l.error();
  if (auto l = load("xrGetVulkanGraphicsRequirements2KHR", rt->mGetRequirements); !l) return l.error();
  // The spec requires asking for the graphics requirements before creating a session.
  XrGraphicsRequirementsVulkan2KHR req{XR_TYPE_GRAPHICS_REQUIREMENTS_VULKAN2_KHR};
  XR_TRY(rt->mGetRequirements(instance, rt->mSystem, &req));
  if (XR_VERSION_MAJOR(req.minApiVersionSupported) > 1 ||
      (XR_VERSION_MAJOR(req.minApiVersionSupported) == 1 && XR_VERSION_MINOR(req.minApiVersionSupported) > 3))
    return core::makeError("the OpenXR runtime needs a Vulkan newer than 1.3");
  return rt;
}

renderer::InstanceOptions XrRuntime::vulkanInstanceOptions(bool validation) const {
  renderer::InstanceOptions o;
  o.validation = validation;
  XrInstance instance = mInstance.get();
  XrSystemId system = mSystem;
  auto create = mCreateVulkanInstance;
  o.createInstance = [instance, system, create](const VkInstanceCreateInfo& info, VkInstance* out) {
    XrVulkanInstanceCreateInfoKHR x{XR_TYPE_VULKAN_INSTANCE_CREATE_INFO_KHR};
    x.systemId = system;
    x.pfnGetInstanceProcAddr = &vkGetInstanceProcAddr;
    x.vulkanCreateInfo = &info;
    VkResult vr = VK_SUCCESS;
    XrResult xr = create(instance, &x, out, &vr);
    return XR_FAILED(xr) ? VK_ERROR_INITIALIZATION_FAILED : vr;
  };
  return o;
}

core::Result<renderer::DeviceOptions> XrRuntime::vulkanDeviceOptions(VkInstance vkInstance) const {
  renderer::DeviceOptions o;
  XrVulkanGraphicsDeviceGetInfoKHR get{XR_TYPE_VULKAN_GRAPHICS_DEVICE_GET_INFO_KHR};
  get.systemId = mSystem;
  get.vulkanInstance = vkInstance;
  XR_TRY(mGetVulkanDevice(mInstance.get(), &get, &o.physicalDevice));
  XrInstance instance = mInstance.get();
  XrSystemId system = mSystem;
  auto create = mCreateVulkanDevice;
  o.createDevice = [instance, system, create](VkPhysicalDevice physical, const VkDeviceCreateInfo& info, VkDevice* out) {
    XrVulkanDeviceCreateInfoKHR x{XR_TYPE_VULKAN_DEVICE_CREATE_INFO_KHR};
    x.systemId = system;
    x.pfnGetInstanceProcAddr = &vkGetInstanceProcAddr;
    x.vulkanPhysicalDevice = physical;
    x.vulkanCreateInfo = &info;
    VkResult vr = VK_SUCCESS;
    XrResult xr = create(instance, &x, out, &vr);
    return XR_FAILED(xr) ? VK_ERROR_INITIALIZATION_FAILED : vr;
  };
  return o;
}

}  // namespace delineo::app::xr
