#include "renderer/Buffer.h"

#include "renderer/Device.h"
#include "renderer/VkCheck.h"

namespace delineo::renderer {

core::Result<Buffer> Buffer::create(const Device& device, VkDeviceSize size,
                                    VkBufferUsageFlags usage, Memory memory) {
  Buffer b;
  b.mDevice = device.handle();
  b.mSize = size;
  VkBufferCreateInfo info{VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO};
  info.size = size;
  info.usage = usage;
  info.sharingMode = VK_SHARING_MODE_EXCLUSIVE;
  VkBuffer buffer = VK_NULL_HANDLE;
  VK_TRY(vkCreateBuffer(device.handle(), &info, nullptr, &buffer));
  b.mBuffer = UniqueBuffer(device.handle(), buffer);

  VkMemoryRequirements req{};
  vkGetBufferMemoryRequirements(device.handle(), buffer, &req);
  bool host = memory == Memory::HostVisible;
  auto type = host ? device.memoryType(req.memoryTypeBits, VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT,
                                       VK_MEMORY_PROPERTY_HOST_COHERENT_BIT |
                                           VK_MEMORY_PROPERTY_HOST_CACHED_BIT)
                   : device.memoryType(req.memoryTypeBits, VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT);
  if (!type) return type.error();
  VkMemoryAllocateInfo alloc{VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO};
  alloc.allocationSize = req.size;
  alloc.memoryTypeIndex = *type;
  VkDeviceMemory mem = VK_NULL_HANDLE;
  VK_TRY(vkAllocateMemory(device.handle(), &alloc, nullptr, &mem));
  b.mMemory = UniqueMemory(device.handle(), mem);
  VK_TRY(vkBindBufferMemory(device.handle(), buffer, mem, 0));
  if (host) {
    VkPhysicalDeviceMemoryProperties props{};
    vkGetPhysicalDeviceMemoryProperties(device.physical(), &props);
    b.mCoherent = props.memoryTypes[*type].propertyFlags & VK_MEMORY_PROPERTY_HOST_COHERENT_BIT;
    VK_TRY(vkMapMemory(device.handle(), mem, 0, VK_WHOLE_SIZE, 0, &b.mMapped));
  }
  return b;
}

void Buffer::flush() const {
  if (mCoherent || !mMapped) return;
  VkMappedMemoryRange range{VK_STRUCTURE_TYPE_MAPPED_MEMORY_RANGE};
  range.memory = mMemory.get();
  range.size = VK_WHOLE_SIZE;
  VK_CHECK(vkFlushMappedMemoryRanges(mDevice, 1, &range));
}

}  // namespace delineo::renderer
