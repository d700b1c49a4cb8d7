#pragma once
// ComputePipeline: one embedded compute shader with its descriptor-set layout (set 0, one
// descriptor per binding, in binding order), pipeline layout and pipeline, specialised with
// 32-bit constants (constant_id 0, 1, ... in order): the way shader variants are made.

#include <span>
#include <string>
#include <vector>

#include "core/Result.h"
#include "renderer/DeviceHandle.h"

namespace delineo::renderer {

class Device;

class ComputePipeline {
 public:
  // `shader` is a name known to shaders::spirv() ("raymarch.comp").
  static core::Result<ComputePipeline> create(const Device& device, const std::string& shader,
                                              std::span<const VkDescriptorType> bindings,
                                              std::span<const uint32_t> specialization);
  ComputePipeline() = default;
  ComputePipeline(ComputePipeline&&) noexcept = default;
  ComputePipeline& operator=(ComputePipeline&&) noexcept = default;

  VkPipeline handle() const { return mPipeline.get(); }
  VkPipelineLayout layout() const { return mLayout.get(); }
  VkDescriptorSetLayout setLayout() const { return mSetLayout.get(); }
  const std::vector<VkDescriptorType>& bindings() const { return mBindings; }

 private:
  UniqueDescriptorSetLayout mSetLayout;
  UniquePipelineLayout mLayout;
  UniquePipeline mPipeline;
  std::vector<VkDescriptorType> mBindings;
};

}  // namespace delineo::renderer
