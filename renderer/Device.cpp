#include "renderer/Device.h"

#include <algorithm>
#include <cstdlib>

#include "renderer/Instance.h"
#include "renderer/VkCheck.h"

namespace delineo::renderer {

namespace {

const char* typeName(VkPhysicalDeviceType type) {
  switch (type) {
    case VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU: return "discrete";
    case VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU: return "integrated";
    case VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU: return "virtual";
    case VK_PHYSICAL_DEVICE_TYPE_CPU: return "cpu";
    default: return "other";
  }
}

int typeRank(VkPhysicalDeviceType type) {
  switch (type) {
    case VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU: return 4;
    case VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU: return 3;
    case VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU: return 2;
    case VK_PHYSICAL_DEVICE_TYPE_CPU: return 1;
    default: return 0;
  }
}

bool hasFormat(VkPhysicalDevice device, VkFormat format, VkFormatFeatureFlags features) {
  VkFormatProperties p{};
  vkGetPhysicalDeviceFormatProperties(device, format, &p);
  return (p.optimalTilingFeatures & features) == features;
}

int computeQueueFamily(VkPhysicalDevice device) {
  uint32_t count = 0;
  vkGetPhysicalDeviceQueueFamilyProperties(device, &count, nullptr);
  std::vector<VkQueueFamilyProperties> families(count);
  vkGetPhysicalDeviceQueueFamilyProperties(device, &count, families.data());
  // Prefer a family that also does graphics: overlays and window targets share it.
  int best = -1;
  for (uint32_t i = 0; i < count; ++i) {
    if (!(families[i].queueFlags & VK_QUEUE_COMPUTE_BIT)) continue;
    if (best < 0 || (families[i].queueFlags & VK_QUEUE_GRAPHICS_BIT)) best = static_cast<int>(i);
    if (families[i].queueFlags & VK_QUEUE_GRAPHICS_BIT) break;
  }
  return best;
}

// Empty when `device` has everything the renderer uses; otherwise what it lacks.
std::string unusableReason(VkPhysicalDevice device) {
  VkPhysicalDeviceProperties props{};
  vkGetPhysicalDeviceProperties(device, &props);
  if (props.apiVersion < VK_API_VERSION_1_3) return "supports only Vulkan " +
      std::to_string(VK_API_VERSION_MAJOR(props.apiVersion)) + "." +
      std::to_string(VK_API_VERSION_MINOR(props.apiVersion)) + " (1.3 needed: update the driver)";
  VkPhysicalDeviceVulkan13Features f13{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_3_FEATURES};
  VkPhysicalDeviceVulkan12Features f12{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_2_FEATURES};
  f12.pNext = &f13;
  VkPhysicalDeviceFeatures2 f{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2};
  f.pNext = &f12;
  vkGetPhysicalDeviceFeatures2(device, &f);
  if (!f12.timelineSemaphore) return "lacks timeline semaphores";
  if (!f13.synchronization2) return "lacks synchronization2";
  if (!f13.dynamicRendering) return "lacks dynamic rendering";
  // glslc targets SPIR-V 1.6, whose workgroup sizes (LocalSizeId) need maintenance4.
  if (!f13.maintenance4) return "lacks maintenance4";
  if (computeQueueFamily(device) < 0) return "has no compute queue";
  const VkFormatFeatureFlags sampledLinear = VK_FORMAT_FEATURE_SAMPLED_IMAGE_BIT |
                                             VK_FORMAT_FEATURE_SAMPLED_IMAGE_FILTER_LINEAR_BIT |
                                             VK_FORMAT_FEATURE_TRANSFER_DST_BIT;
  const VkFormatFeatureFlags storage = VK_FORMAT_FEATURE_STORAGE_IMAGE_BIT |
                                       VK_FORMAT_FEATURE_TRANSFER_SRC_BIT;
  struct Need { VkFormat format; VkFormatFeatureFlags features; const char* what; };
  const Need needs[] = {
      {VK_FORMAT_R16_UNORM, sampledLinear, "R16_UNORM filtering"},
      {VK_FORMAT_R16_SNORM, sampledLinear, "R16_SNORM filtering"},
      {VK_FORMAT_R8_UINT, VK_FORMAT_FEATURE_SAMPLED_IMAGE_BIT | VK_FORMAT_FEATURE_TRANSFER_DST_BIT,
       "R8_UINT sampling"},
      {VK_FORMAT_R32G32B32A32_SFLOAT, sampledLinear, "R32G32B32A32_SFLOAT filtering"},
      {VK_FORMAT_R8G8B8A8_UNORM, storage, "R8G8B8A8_UNORM storage images"},
      {VK_FORMAT_R32_SFLOAT, storage, "R32_SFLOAT storage images"},
  };
  for (const auto& n : needs)
    if (!hasFormat(device, n.format, n.features)) return std::string("lacks ") + n.what;
  return {};
}

}  // namespace

std::vector<PhysicalDeviceInfo> listDevices(VkInstance instance) {
  uint32_t count = 0;
  vkEnumeratePhysicalDevices(instance, &count, nullptr);
  std::vector<VkPhysicalDevice> devices(count);
  vkEnumeratePhysicalDevices(instance, &count, devices.data());
  std::vector<PhysicalDeviceInfo> list;
  for (uint32_t i = 0; i < count; ++i) {
    VkPhysicalDeviceProperties props{};
    vkGetPhysicalDeviceProperties(devices[i], &props);
    list.push_back({static_cast<int>(i), props.deviceName, typeName(props.deviceType),
                    unusableReason(devices[i])});
  }
  return list;
}

int resolveGpuIndex(int cliIndex) {
  if (cliIndex >= 0) return cliIndex;
  const char* env = std::getenv("DELINEO_GPU");
  if (env && *env) {
    char* end = nullptr;
    long v = std::strtol(env, &end, 10);
    if (end && *end == '\0' && v >= 0) return static_cast<int>(v);
  }
  return -1;
}

core::Result<std::unique_ptr<Device>> Device::create(const Instance& instance,
                                                     const DeviceOptions& options,
                                                     const std::vector<std::string>& extensionNames) {
  uint32_t count = 0;
  vkEnumeratePhysicalDevices(instance.handle(), &count, nullptr);
  std::vector<VkPhysicalDevice> devices(count);
  vkEnumeratePhysicalDevices(instance.handle(), &count, devices.data());
  if (devices.empty())
    return core::makeError(
        "no Vulkan device found: install a Vulkan driver (mesa-vulkan-drivers provides the CPU "
        "driver lavapipe) or check that the GPU driver is loaded");
  auto infos = listDevices(instance.handle());
  auto describe = [&] {
    std::string s;
    for (const auto& d : infos)
      s += "\n  " + std::to_string(d.index) + ": " + d.name + " (" + d.type + ")" +
           (d.unusableWhy.empty() ? "" : ": " + d.unusableWhy);
    return s;
  };

  int chosen = -1;
  if (options.gpuIndex >= 0) {
    if (options.gpuIndex >= static_cast<int>(devices.size()))
      return core::makeError("GPU index " + std::to_string(options.gpuIndex) +
                             " does not exist (from --gpu or DELINEO_GPU); devices:" + describe());
    if (!infos[options.gpuIndex].unusableWhy.empty())
      return core::makeError("GPU " + std::to_string(options.gpuIndex) + " (" +
                             infos[options.gpuIndex].name + ") " +
                             infos[options.gpuIndex].unusableWhy + "; devices:" + describe());
    chosen = options.gpuIndex;
  } else {
    for (size_t i = 0; i < devices.size(); ++i) {
      if (!infos[i].unusableWhy.empty()) continue;
      VkPhysicalDeviceProperties a{}, b{};
      vkGetPhysicalDeviceProperties(devices[i], &a);
      if (chosen >= 0) vkGetPhysicalDeviceProperties(devices[chosen], &b);
      if (chosen < 0 || typeRank(a.deviceType) > typeRank(b.deviceType)) chosen = static_cast<int>(i);
    }
    if (chosen < 0) return core::makeError("no Vulkan device can run Delineo's renderer:" + describe());
  }

  std::unique_ptr<Device> device(new Device());
  device->mPhysical = options.physicalDevice != VK_NULL_HANDLE ? options.physicalDevice : devices[chosen];
  vkGetPhysicalDeviceProperties(device->mPhysical, &device->mProperties);
  vkGetPhysicalDeviceMemoryProperties(device->mPhysical, &device->mMemory);
  device->mQueueFamily = static_cast<uint32_t>(computeQueueFamily(device->mPhysical));

  float priority = 1.0f;
  VkDeviceQueueCreateInfo queue{VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO};
  queue.queueFamilyIndex = device->mQueueFamily;
  queue.queueCount = 1;
  queue.pQueuePriorities = &priority;
  VkPhysicalDeviceVulkan13Features f13{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_3_FEATURES};
  f13.synchronization2 = VK_TRUE;
  f13.dynamicRendering = VK_TRUE;
  f13.maintenance4 = VK_TRUE;
  // The timeline-semaphore struct rather than VkPhysicalDeviceVulkan12Features: an OpenXR
  // runtime creating the device (XR_KHR_vulkan_enable2; Monado does) adds this struct unless it
  // finds one, and both in one chain is invalid (VUID-VkDeviceCreateInfo-pNext-02830).
  VkPhysicalDeviceTimelineSemaphoreFeatures timelineFeatures{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_TIMELINE_SEMAPHORE_FEATURES};
  timelineFeatures.timelineSemaphore = VK_TRUE;
  timelineFeatures.pNext = &f13;
  VkPhysicalDeviceFeatures2 features{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2};
  features.pNext = &timelineFeatures;
  VkDeviceCreateInfo info{VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO};
  info.pNext = &features;
  info.queueCreateInfoCount = 1;
  info.pQueueCreateInfos = &queue;
  std::vector<const char*> extensions;
  for (const auto& e : extensionNames) extensions.push_back(e.c_str());
  info.enabledExtensionCount = static_cast<uint32_t>(extensions.size());
  info.ppEnabledExtensionNames = extensions.data();
  if (options.createDevice) VK_TRY(options.createDevice(device->mPhysical, info, &device->mDevice));
  else VK_TRY(vkCreateDevice(device->mPhysical, &info, nullptr, &device->mDevice));
  vkGetDeviceQueue(device->mDevice, device->mQueueFamily, 0, &device->mQueue);

  VkSemaphoreTypeCreateInfo timelineType{VK_STRUCTURE_TYPE_SEMAPHORE_TYPE_CREATE_INFO};
  timelineType.semaphoreType = VK_SEMAPHORE_TYPE_TIMELINE;
  VkSemaphoreCreateInfo semaphore{VK_STRUCTURE_TYPE_SEMAPHORE_CREATE_INFO};
  semaphore.pNext = &timelineType;
  VkSemaphore timeline = VK_NULL_HANDLE;
  VK_TRY(vkCreateSemaphore(device->mDevice, &semaphore, nullptr, &timeline));
  device->mTimeline = UniqueSemaphore(device->mDevice, timeline);

  VkCommandPoolCreateInfo pool{VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO};
  pool.flags = VK_COMMAND_POOL_CREATE_TRANSIENT_BIT;
  pool.queueFamilyIndex = device->mQueueFamily;
  VkCommandPool oncePool = VK_NULL_HANDLE;
  VK_TRY(vkCreateCommandPool(device->mDevice, &pool, nullptr, &oncePool));
  device->mOncePool = UniqueCommandPool(device->mDevice, oncePool);
  return device;
}

Device::~Device() {
  if (mDevice == VK_NULL_HANDLE) return;
  vkDeviceWaitIdle(mDevice);
  mRetired.clear();
  for (auto& [value, cb] : mOnceBuffers) vkFreeCommandBuffers(mDevice, mOncePool.get(), 1, &cb);
  mOnceBuffers.clear();
  mOncePool.reset();
  mTimeline.reset();
  vkDestroyDevice(mDevice, nullptr);
}

core::Result<uint32_t> Device::memoryType(uint32_t typeBits, VkMemoryPropertyFlags required,
                                          VkMemoryPropertyFlags preferred) const {
  int fallback = -1;
  for (uint32_t i = 0; i < mMemory.memoryTypeCount; ++i) {
    if (!(typeBits & (1u << i))) continue;
    VkMemoryPropertyFlags flags = mMemory.memoryTypes[i].propertyFlags;
    if ((flags & required) != required) continue;
    if ((flags & preferred) == preferred) return i;
    if (fallback < 0) fallback = static_cast<int>(i);
  }
  if (fallback < 0) return core::makeError(name() + " offers no suitable memory type");
  return static_cast<uint32_t>(fallback);
}

bool Device::formatSupports(VkFormat format, VkFormatFeatureFlags features) const {
  return hasFormat(mPhysical, format, features);
}

core::Result<uint64_t> Device::submit(VkCommandBuffer commands) {
  uint64_t value = mLastSubmitted + 1;
  VkCommandBufferSubmitInfo cb{VK_STRUCTURE_TYPE_COMMAND_BUFFER_SUBMIT_INFO};
  cb.commandBuffer = commands;
  VkSemaphoreSubmitInfo signal{VK_STRUCTURE_TYPE_SEMAPHORE_SUBMIT_INFO};
  signal.semaphore = mTimeline.get();
  signal.value = value;
  signal.stageMask = VK_PIPELINE_STAGE_2_ALL_COMMANDS_BIT;
  VkSubmitInfo2 submit{VK_STRUCTURE_TYPE_SUBMIT_INFO_2};
  submit.commandBufferInfoCount = 1;
  submit.pCommandBufferInfos = &cb;
  submit.signalSemaphoreInfoCount = 1;
  submit.pSignalSemaphoreInfos = &signal;
  VK_TRY(vkQueueSubmit2(mQueue, 1, &submit, VK_NULL_HANDLE));
  mLastSubmitted = value;
  return value;
}

core::Result<uint64_t> Device::submitOnce(const std::function<void(VkCommandBuffer)>& record) {
  collect();
  VkCommandBufferAllocateInfo alloc{VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO};
  alloc.commandPool = mOncePool.get();
  alloc.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
  alloc.commandBufferCount = 1;
  VkCommandBuffer cb = VK_NULL_HANDLE;
  VK_TRY(vkAllocateCommandBuffers(mDevice, &alloc, &cb));
  VkCommandBufferBeginInfo begin{VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
  begin.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
  VK_CHECK(vkBeginCommandBuffer(cb, &begin));
  record(cb);
  VK_CHECK(vkEndCommandBuffer(cb));
  auto value = submit(cb);
  if (!value) {
    vkFreeCommandBuffers(mDevice, mOncePool.get(), 1, &cb);
    return value.error();
  }
  mOnceBuffers.emplace_back(*value, cb);
  return value;
}

core::Result<void> Device::wait(uint64_t value) {
  if (value == 0) return {};
  VkSemaphore timeline = mTimeline.get();
  VkSemaphoreWaitInfo info{VK_STRUCTURE_TYPE_SEMAPHORE_WAIT_INFO};
  info.semaphoreCount = 1;
  info.pSemaphores = &timeline;
  info.pValues = &value;
  VK_TRY(vkWaitSemaphores(mDevice, &info, UINT64_MAX));
  collect();
  return {};
}

uint64_t Device::completed() const {
  uint64_t value = 0;
  VK_CHECK(vkGetSemaphoreCounterValue(mDevice, mTimeline.get(), &value));
  return value;
}

void Device::collect() {
  uint64_t done = completed();
  std::erase_if(mRetired, [&](const auto& r) { return r.first <= done; });
  std::erase_if(mOnceBuffers, [&](auto& entry) {
    if (entry.first > done) return false;
    vkFreeCommandBuffers(mDevice, mOncePool.get(), 1, &entry.second);
    return true;
  });
}

core::Result<UniqueDescriptorPool> createDescriptorPool(VkDevice device,
                                                        std::initializer_list<VkDescriptorPoolSize> sizes,
                                                        uint32_t maxSets, VkDescriptorPoolCreateFlags flags) {
  VkDescriptorPoolCreateInfo info{VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO};
  info.flags = flags;
  info.maxSets = maxSets;
  info.poolSizeCount = static_cast<uint32_t>(sizes.size());
  info.pPoolSizes = sizes.begin();
  VkDescriptorPool pool = VK_NULL_HANDLE;
  VK_TRY(vkCreateDescriptorPool(device, &info, nullptr, &pool));
  return UniqueDescriptorPool(device, pool);
}

}  // namespace delineo::renderer
