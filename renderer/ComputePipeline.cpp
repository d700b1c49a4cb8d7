#include "renderer/ComputePipeline.h"

#include "renderer/Device.h"
#include "renderer/VkCheck.h"
#include "shaders/EmbeddedShaders.h"

namespace delineo::renderer {

core::Result<ComputePipeline> ComputePipeline::create(const Device& device, const std::string& shader,
                                                      std::span<const VkDescriptorType> bindings,
                                                      std::span<const uint32_t> specialization) {
  auto code = shaders::spirv(shader);
  if (code.empty()) return core::makeError("shader " + shader + " is not embedded in this build");
  VkDevice dev = device.handle();
  ComputePipeline p;
  p.mBindings.assign(bindings.begin(), bindings.end());

  std::vector<VkDescriptorSetLayoutBinding> layoutBindings;
  for (uint32_t i = 0; i < bindings.size(); ++i)
    layoutBindings.push_back({i, bindings[i], 1, VK_SHADER_STAGE_COMPUTE_BIT, nullptr});
  VkDescriptorSetLayoutCreateInfo setInfo{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO};
  setInfo.bindingCount = static_cast<uint32_t>(layoutBindings.size());
  setInfo.pBindings = layoutBindings.data();
  VkDescriptorSetLayout setLayout = VK_NULL_HANDLE;
  VK_TRY(vkCreateDescriptorSetLayout(dev, &setInfo, nullptr, &setLayout));
  p.mSetLayout = UniqueDescriptorSetLayout(dev, setLayout);

  VkPipelineLayoutCreateInfo layoutInfo{VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO};
  layoutInfo.setLayoutCount = 1;
  layoutInfo.pSetLayouts = &setLayout;
  VkPipelineLayout layout = VK_NULL_HANDLE;
  VK_TRY(vkCreatePipelineLayout(dev, &layoutInfo, nullptr, &layout));
  p.mLayout = UniquePipelineLayout(dev, layout);

  VkShaderModuleCreateInfo moduleInfo{VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO};
  moduleInfo.codeSize = code.size_bytes();
  moduleInfo.pCode = code.data();
  VkShaderModule module = VK_NULL_HANDLE;
  VK_TRY(vkCreateShaderModule(dev, &moduleInfo, nullptr, &module));
  UniqueShaderModule moduleOwner(dev, module);

  std::vector<VkSpecializationMapEntry> entries;
  for (uint32_t i = 0; i < specialization.size(); ++i)
    entries.push_back({i, i * 4u, 4});
  VkSpecializationInfo spec{};
  spec.mapEntryCount = static_cast<uint32_t>(entries.size());
  spec.pMapEntries = entries.data();
  spec.dataSize = specialization.size_bytes();
  spec.pData = specialization.data();

  VkComputePipelineCreateInfo info{VK_STRUCTURE_TYPE_COMPUTE_PIPELINE_CREATE_INFO};
  info.stage.sType = VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO;
  info.stage.stage = VK_SHADER_STAGE_COMPUTE_BIT;
  info.stage.module = module;
  info.stage.pName = "main";
  info.stage.pSpecializationInfo = specialization.empty() ? nullptr : &spec;
  info.layout = layout;
  VkPipeline pipeline = VK_NULL_HANDLE;
  VK_TRY(vkCreateComputePipelines(dev, VK_NULL_HANDLE, 1, &info, nullptr, &pipeline));
  p.mPipeline = UniquePipeline(dev, pipeline);
  return p;
}

}  // namespace delineo::renderer
