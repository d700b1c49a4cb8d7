#pragma once
// DeviceHandle: a move-only owner of one Vulkan object created from a VkDevice, destroyed
// with its vkDestroy* (or vkFree*) function when the owner goes away. Objects that a pending
// submission may still use are handed to Device::retire() instead of being dropped.

#include <utility>

#include <vulkan/vulkan.h>

namespace delineo::renderer {

template <typename T, void (*Destroy)(VkDevice, T, const VkAllocationCallbacks*)>
class DeviceHandle {
 public:
  DeviceHandle() = default;
  DeviceHandle(VkDevice device, T handle) : mDevice(device), mHandle(handle) {}
  DeviceHandle(const DeviceHandle&) = delete;
  DeviceHandle& operator=(const DeviceHandle&) = delete;
  DeviceHandle(DeviceHandle&& o) noexcept
      : mDevice(std::exchange(o.mDevice, VK_NULL_HANDLE)),
        mHandle(std::exchange(o.mHandle, VK_NULL_HANDLE)) {}
  DeviceHandle& operator=(DeviceHandle&& o) noexcept {
    if (this != &o) {
      reset();
      mDevice = std::exchange(o.mDevice, VK_NULL_HANDLE);
      mHandle = std::exchange(o.mHandle, VK_NULL_HANDLE);
    }
    return *this;
  }
  ~DeviceHandle() { reset(); }

  T get() const { return mHandle; }
  explicit operator bool() const { return mHandle != VK_NULL_HANDLE; }
  void reset() {
    if (mHandle != VK_NULL_HANDLE) Destroy(mDevice, mHandle, nullptr);
    mHandle = VK_NULL_HANDLE;
  }

 private:
  VkDevice mDevice = VK_NULL_HANDLE;
  T mHandle = VK_NULL_HANDLE;
};

using UniqueBuffer = DeviceHandle<VkBuffer, &vkDestroyBuffer>;
using UniqueImage = DeviceHandle<VkImage, &vkDestroyImage>;
using UniqueImageView = DeviceHandle<VkImageView, &vkDestroyImageView>;
using UniqueMemory = DeviceHandle<VkDeviceMemory, &vkFreeMemory>;
using UniqueSampler = DeviceHandle<VkSampler, &vkDestroySampler>;
using UniqueSemaphore = DeviceHandle<VkSemaphore, &vkDestroySemaphore>;
using UniqueCommandPool = DeviceHandle<VkCommandPool, &vkDestroyCommandPool>;
using UniqueDescriptorPool = DeviceHandle<VkDescriptorPool, &vkDestroyDescriptorPool>;
using UniqueDescriptorSetLayout = DeviceHandle<VkDescriptorSetLayout, &vkDestroyDescriptorSetLayout>;
using UniquePipelineLayout = DeviceHandle<VkPipelineLayout, &vkDestroyPipelineLayout>;
using UniquePipeline = DeviceHandle<VkPipeline, &vkDestroyPipeline>;
using UniqueShaderModule = DeviceHandle<VkShaderModule, &vkDestroyShaderModule>;

}  // namespace delineo::renderer
