#pragma once
// Device: the chosen physical device, its logical device and one queue that does compute,
// transfer (and graphics where offered), a timeline semaphore counting submissions, and the
// deferred destruction of resources that submitted work may still use (retire()). Owns every
// object created from it only through the RAII types; destroy it last.

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <vulkan/vulkan.h>

#include "core/Result.h"
#include "renderer/DeviceHandle.h"

namespace delineo::renderer {

class Instance;

struct DeviceOptions {
  int gpuIndex = -1;  // index into listDevices(); -1: prefer a discrete GPU, else any usable one
  // The device an OpenXR runtime drives (xrGetVulkanGraphicsDevice2KHR); overrides gpuIndex.
  VkPhysicalDevice physicalDevice = VK_NULL_HANDLE;
  // Creates the VkDevice in place of vkCreateDevice (OpenXR's xrCreateVulkanDeviceKHR adds the
  // runtime's extensions); empty: vkCreateDevice.
  std::function<VkResult(VkPhysicalDevice, const VkDeviceCreateInfo&, VkDevice*)> createDevice;
};

struct PhysicalDeviceInfo {
  int index = 0;             // what --gpu / DELINEO_GPU take
  std::string name;          // e.g. "llvmpipe (LLVM 15.0.6, 256 bits)"
  std::string type;          // "discrete", "integrated", "virtual", "cpu", "other"
  std::string unusableWhy;   // empty when the device has everything Delineo needs
};

// Every Vulkan device the instance sees, with the reason each unusable one cannot be used.
std::vector<PhysicalDeviceInfo> listDevices(VkInstance instance);

// The GPU index a front end should use: `cliIndex` when >= 0, else DELINEO_GPU when set to a
// number, else -1 (automatic choice).
int resolveGpuIndex(int cliIndex);

// A descriptor pool of `sizes` for up to `maxSets` sets.
core::Result<UniqueDescriptorPool> createDescriptorPool(VkDevice device,
                                                        std::initializer_list<VkDescriptorPoolSize> sizes,
                                                        uint32_t maxSets, VkDescriptorPoolCreateFlags flags = 0);

class Device {
 public:
  // `extensions`: device extensions beyond the renderer's own (VK_KHR_swapchain for a window).
  static core::Result<std::unique_ptr<Device>> create(const Instance& instance,
                                                      const DeviceOptions& options,
                                                      const std::vector<std::string>& extensions = {});
  ~Device();
  Device(const Device&) = delete;
  Device& operator=(const Device&) = delete;

  VkDevice handle() const { return mDevice; }
  VkPhysicalDevice physical() const { return mPhysical; }
  VkQueue queue() const { return mQueue; }
  uint32_t queueFamily() const { return mQueueFamily; }
  const VkPhysicalDeviceProperties& properties() const { return mProperties; }
  std::string name() const { return mProperties.deviceName; }

  // A memory type allowed by `typeBits` with all `required` flags, preferring `preferred`.
  core::Result<uint32_t> memoryType(uint32_t typeBits, VkMemoryPropertyFlags required,
                                    VkMemoryPropertyFlags preferred = 0) const;
  bool formatSupports(VkFormat format, VkFormatFeatureFlags features) const;

  // Submits one command buffer that signals the next timeline value; returns that value.
  core::Result<uint64_t> submit(VkCommandBuffer commands);
  // Records `record` into a fresh command buffer and submits it (uploads, readbacks).
  core::Result<uint64_t> submitOnce(const std::function<void(VkCommandBuffer)>& record);
  // Blocks until the GPU has finished the submission that signalled `value`.
  core::Result<void> wait(uint64_t value);
  core::Result<void> waitIdle() { return wait(mLastSubmitted); }
  uint64_t lastSubmitted() const { return mLastSubmitted; }
  uint64_t completed() const;

  // Keeps `resource` alive until the GPU has finished everything submitted so far.
  template <typename T>
  void retire(T&& resource) {
    mRetired.emplace_back(mLastSubmitted,
                          std::make_unique<Holder<std::decay_t<T>>>(std::forward<T>(resource)));
  }
  // Destroys retired resources and one-shot command buffers whose work has finished.
  void collect();

 private:
  struct Retired {
    virtual ~Retired() = default;
  };
  template <typename T>
  struct Holder : Retired {
    explicit Holder(T&& v) : value(std::move(v)) {}
    T value;
  };

  Device() = default;

  VkPhysicalDevice mPhysical = VK_NULL_HANDLE;
  VkPhysicalDeviceProperties mProperties{};
  VkPhysicalDeviceMemoryProperties mMemory{};
  VkDevice mDevice = VK_NULL_HANDLE;
  VkQueue mQueue = VK_NULL_HANDLE;
  uint32_t mQueueFamily = 0;
  UniqueSemaphore mTimeline;
  UniqueCommandPool mOncePool;
  uint64_t mLastSubmitted = 0;
  std::vector<std::pair<uint64_t, VkCommandBuffer>> mOnceBuffers;  // freed with mOncePool
  std::vector<std::pair<uint64_t, std::unique_ptr<Retired>>> mRetired;
};

}  // namespace delineo::renderer
