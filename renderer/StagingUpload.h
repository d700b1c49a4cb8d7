#pragma once
// StagingUpload: a host-visible buffer that the caller fills in place, then copies into regions
// of an image in one submission. The buffer is retired to the device (freed when the copy has
// finished), so an upload never waits; callers that need the data on the GPU now wait on the
// returned timeline value. Used for volume slabs, transfer functions, the empty-space map and
// the labelmap bricks that changed.

#include <cstdint>
#include <span>

#include "core/Result.h"
#include "renderer/Buffer.h"

namespace delineo::renderer {

class Device;
class Image;

struct ImageRegion {
  VkOffset3D offset{0, 0, 0};  // texel offset of the region in the image
  VkExtent3D extent{1, 1, 1};  // region size; its texels lie tightly packed in the buffer
  VkDeviceSize bufferOffset = 0;
};

class StagingUpload {
 public:
  static core::Result<StagingUpload> create(const Device& device, VkDeviceSize bytes);

  std::span<std::uint8_t> bytes() {
    return {static_cast<std::uint8_t*>(mBuffer.mapped()), static_cast<size_t>(mBuffer.size())};
  }

  // Copies the regions into `image`, which is in `oldLayout` (UNDEFINED discards its content)
  // and ends in `newLayout`. Earlier compute-shader reads of the image complete first; later
  // compute-shader and transfer reads see the copy. Consumes the staging buffer.
  core::Result<uint64_t> copyToImage(Device& device, const Image& image,
                                     std::span<const ImageRegion> regions,
                                     VkImageLayout oldLayout, VkImageLayout newLayout) &&;

 private:
  Buffer mBuffer;
};

}  // namespace delineo::renderer
