#pragma once
// Buffer: a VkBuffer with its own memory. Host-visible buffers (staging, uniforms, readback)
// stay mapped for their whole life; device-local ones are filled through a staging copy.

#include <cstdint>

#include "core/Result.h"
#include "renderer/DeviceHandle.h"

namespace delineo::renderer {

class Device;

class Buffer {
 public:
  enum class Memory { HostVisible, DeviceLocal };

  static core::Result<Buffer> create(const Device& device, VkDeviceSize size,
                                     VkBufferUsageFlags usage, Memory memory);
  Buffer() = default;
  Buffer(Buffer&&) noexcept = default;
  Buffer& operator=(Buffer&&) noexcept = default;

  VkBuffer handle() const { return mBuffer.get(); }
  VkDeviceSize size() const { return mSize; }
  // Host-visible buffers only: the mapped bytes (coherent or flushed by flush()).
  void* mapped() const { return mMapped; }
  // Makes host writes visible to the device when the memory is not coherent.
  void flush() const;

 private:
  UniqueMemory mMemory;  // declared first: destroyed after the buffer that is bound to it
  UniqueBuffer mBuffer;
  VkDevice mDevice = VK_NULL_HANDLE;
  VkDeviceSize mSize = 0;
  void* mMapped = nullptr;
  bool mCoherent = true;
};

}  // namespace delineo::renderer
