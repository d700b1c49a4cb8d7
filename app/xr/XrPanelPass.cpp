#include "app/xr/XrPanelPass.h"

#include <cmath>
#include <cstring>

#include "renderer/Device.h"
#include "renderer/RenderTarget.h"
#include "renderer/StagingUpload.h"
#include "renderer/VkCheck.h"

namespace delineo::app::xr {

namespace {

// The part of the panel behind the volume's surface stays faintly visible, as the overlays do.
constexpr float kOccludedOpacity = 0.3f;

struct ViewGpu {
  float eye[4], forward[4], dx[4], dy[4];
};
struct PanelUniforms {  // std140 mirror of xr_overlay.comp's Panel block
  ViewGpu views[renderer::kMaxViews];
  float centre[4], halfWidth[4], halfHeight[4], color[4];
  int32_t counts[4];
  float style[4];
};

void set4(float* dst, core::Vec3 v, double w) {
  dst[0] = static_cast<float>(v.x);
  dst[1] = static_cast<float>(v.y);
  dst[2] = static_cast<float>(v.z);
  dst[3] = static_cast<float>(w);
}

// The same pixel rays as VolumeRenderer's perspective views (symmetric or asymmetric).
ViewGpu viewRays(const renderer::Camera& c, VkExtent2D extent, int layer) {
  ViewGpu v{};
  set4(v.eye, c.eyeMm, 0);
  set4(v.forward, core::normalize(c.forward), layer);
  if (c.tanRight > c.tanLeft && c.tanUp > c.tanDown) {
    double sx = (c.tanRight - c.tanLeft) / extent.width, sy = (c.tanUp - c.tanDown) / extent.height;
    set4(v.dx, c.right * sx, 0.5 * (c.tanRight + c.tanLeft) / sx);
    set4(v.dy, c.down * sy, -0.5 * (c.tanUp + c.tanDown) / sy);
  } else {
    double pixel = 2 * std::tan(c.fovYDeg * 3.14159265358979323846 / 360) / extent.height;
    set4(v.dx, c.right * pixel, 0);
    set4(v.dy, c.down * pixel, 0);
  }
  return v;
}

}  // namespace

core::Result<XrPanelPass> XrPanelPass::create(renderer::Device& device) {
  XrPanelPass pass(device);
  const VkDescriptorType bindings[] = {VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER, VK_DESCRIPTOR_TYPE_STORAGE_IMAGE,
                                       VK_DESCRIPTOR_TYPE_STORAGE_IMAGE, VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER};
  auto pipeline = renderer::ComputePipeline::create(device, "xr_overlay.comp", bindings, {});
  if (!pipeline) return pipeline.error();
  pass.mPipeline = std::move(pipeline).value();

  VkSamplerCreateInfo s{VK_STRUCTURE_TYPE_SAMPLER_CREATE_INFO};
  s.magFilter = s.minFilter = VK_FILTER_LINEAR;
  s.addressModeU = s.addressModeV = s.addressModeW = VK_SAMPLER_ADDRESS_MODE_CLAMP_TO_EDGE;
  VkSampler sampler = VK_NULL_HANDLE;
  VK_TRY(vkCreateSampler(device.handle(), &s, nullptr, &sampler));
  pass.mSampler = renderer::UniqueSampler(device.handle(), sampler);

  // A 1x1 white panel until the first real one arrives: the binding is always defined.
  renderer::RgbaImage white{1, 1, {255, 255, 255, 255}};
  if (auto r = pass.setPanelImage(white); !r) return r.error();

  for (int i = 0; i < 2; ++i) {
    Slot slot;
    auto buffer = renderer::Buffer::create(device, sizeof(PanelUniforms), VK_BUFFER_USAGE_UNIFORM_BUFFER_BIT,
                                           renderer::Buffer::Memory::HostVisible);
    if (!buffer) return buffer.error();
    slot.uniforms = std::move(buffer).value();
    auto descriptors = renderer::createDescriptorPool(device.handle(),
                                                      {{VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER, 1},
                                                       {VK_DESCRIPTOR_TYPE_STORAGE_IMAGE, 2},
                                                       {VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, 1}},
                                                      1);
    if (!descriptors) return descriptors.error();
    slot.descriptors = std::move(descriptors).value();
    pass.mSlots.push_back(std::move(slot));
  }
  return pass;
}

core::Result<void> XrPanelPass::setPanelImage(const renderer::RgbaImage& image) {
  uint32_t w = static_cast<uint32_t>(image.width), h = static_cast<uint32_t>(image.height);
  if (!mPanel || mPanel.extent().width != w || mPanel.extent().height != h) {
    if (mPanel) mDevice->retire(std::move(mPanel));
    renderer::ImageDesc desc;
    desc.type = VK_IMAGE_TYPE_2D;
    desc.format = VK_FORMAT_R8G8B8A8_UNORM;
    desc.extent = {w, h, 1};
    auto created = renderer::Image::create(*mDevice, desc);
    if (!created) return created.error();
    mPanel = std::move(created).value();
    mPanelDefined = false;
  }
  auto staging = renderer::StagingUpload::create(*mDevice, image.pixels.size());
  if (!staging) return staging.error();
  std::memcpy(staging->bytes().data(), image.pixels.data(), image.pixels.size());
  renderer::ImageRegion region;
  region.extent = {w, h, 1};
  auto copied = std::move(*staging).copyToImage(
      *mDevice, mPanel, {&region, 1}, mPanelDefined ? VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL : VK_IMAGE_LAYOUT_UNDEFINED,
      VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL);
  if (!copied) return copied.error();
  mPanelDefined = true;
  return {};
}

core::Result<uint64_t> XrPanelPass::draw(std::span<const renderer::View> views, const PanelRect& rect,
                                         renderer::RenderTarget& target) {
  Slot& slot = mSlots[mFrames++ % mSlots.size()];
  if (auto r = mDevice->wait(slot.done); !r) return r.error();
  VkDevice dev = mDevice->handle();
  VK_TRY(vkResetDescriptorPool(dev, slot.descriptors.get(), 0));

  const VkExtent2D extent = target.extent();
  auto* u = static_cast<PanelUniforms*>(slot.uniforms.mapped());
  std::memset(u, 0, sizeof(*u));
  int32_t viewCount = 0;
  for (size_t i = 0; i < views.size() && viewCount < renderer::kMaxViews; ++i)
    if (views[i].kind == renderer::View::Kind::Volume && !views[i].camera.orthographic)
      u->views[viewCount++] = viewRays(views[i].camera, extent, static_cast<int>(i));
  set4(u->centre, rect.centreMm, 0);
  set4(u->halfWidth, rect.halfWidthMm, 0);
  set4(u->halfHeight, rect.halfHeightMm, 0);
  std::memcpy(u->color, rect.rgba.data(), sizeof(u->color));
  int32_t counts[4] = {viewCount, 0, static_cast<int32_t>(extent.width), static_cast<int32_t>(extent.height)};
  std::memcpy(u->counts, counts, sizeof(counts));
  u->style[0] = kOccludedOpacity;
  slot.uniforms.flush();
  if (viewCount == 0) return mDevice->lastSubmitted();

  VkDescriptorSetLayout layout = mPipeline.setLayout();
  VkDescriptorSetAllocateInfo a{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO};
  a.descriptorPool = slot.descriptors.get();
  a.descriptorSetCount = 1;
  a.pSetLayouts = &layout;
  VkDescriptorSet set = VK_NULL_HANDLE;
  VK_TRY(vkAllocateDescriptorSets(dev, &a, &set));
  VkDescriptorBufferInfo uniformInfo{slot.uniforms.handle(), 0, VK_WHOLE_SIZE};
  VkDescriptorImageInfo colorInfo{VK_NULL_HANDLE, target.colorView(), VK_IMAGE_LAYOUT_GENERAL};
  VkDescriptorImageInfo depthInfo{VK_NULL_HANDLE, target.depthView(), VK_IMAGE_LAYOUT_GENERAL};
  VkDescriptorImageInfo panelInfo{mSampler.get(), mPanel.view(), VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL};
  VkWriteDescriptorSet writes[4]{};
  const VkDescriptorType types[] = {VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER, VK_DESCRIPTOR_TYPE_STORAGE_IMAGE,
                                    VK_DESCRIPTOR_TYPE_STORAGE_IMAGE, VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER};
  const VkDescriptorImageInfo* images[] = {nullptr, &colorInfo, &depthInfo, &panelInfo};
  for (uint32_t i = 0; i < 4; ++i) {
    writes[i].sType = VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET;
    writes[i].dstSet = set;
    writes[i].dstBinding = i;
    writes[i].descriptorCount = 1;
    writes[i].descriptorType = types[i];
    writes[i].pImageInfo = images[i];
    writes[i].pBufferInfo = i == 0 ? &uniformInfo : nullptr;
  }
  vkUpdateDescriptorSets(dev, 4, writes, 0, nullptr);

  VkPipeline pipeline = mPipeline.handle();
  VkPipelineLayout pipelineLayout = mPipeline.layout();
  auto value = mDevice->submitOnce([&](VkCommandBuffer cb) {
    // The raymarch's writes (and earlier reads of the target) complete before we read and write.
    VkMemoryBarrier2 before{VK_STRUCTURE_TYPE_MEMORY_BARRIER_2};
    before.srcStageMask = VK_PIPELINE_STAGE_2_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_2_COPY_BIT |
                          VK_PIPELINE_STAGE_2_BLIT_BIT | VK_PIPELINE_STAGE_2_FRAGMENT_SHADER_BIT;
    before.srcAccessMask = VK_ACCESS_2_SHADER_STORAGE_WRITE_BIT | VK_ACCESS_2_TRANSFER_READ_BIT |
                           VK_ACCESS_2_SHADER_READ_BIT;
    before.dstStageMask = VK_PIPELINE_STAGE_2_COMPUTE_SHADER_BIT;
    before.dstAccessMask = VK_ACCESS_2_SHADER_STORAGE_READ_BIT | VK_ACCESS_2_SHADER_STORAGE_WRITE_BIT;
    VkDependencyInfo dep{VK_STRUCTURE_TYPE_DEPENDENCY_INFO};
    dep.memoryBarrierCount = 1;
    dep.pMemoryBarriers = &before;
    vkCmdPipelineBarrier2(cb, &dep);
    vkCmdBindPipeline(cb, VK_PIPELINE_BIND_POINT_COMPUTE, pipeline);
    vkCmdBindDescriptorSets(cb, VK_PIPELINE_BIND_POINT_COMPUTE, pipelineLayout, 0, 1, &set, 0, nullptr);
    vkCmdDispatch(cb, (extent.width + 7) / 8, (extent.height + 7) / 8, static_cast<uint32_t>(viewCount));
    VkMemoryBarrier2 after{VK_STRUCTURE_TYPE_MEMORY_BARRIER_2};
    after.srcStageMask = VK_PIPELINE_STAGE_2_COMPUTE_SHADER_BIT;
    after.srcAccessMask = VK_ACCESS_2_SHADER_STORAGE_WRITE_BIT;
    after.dstStageMask = VK_PIPELINE_STAGE_2_COPY_BIT | VK_PIPELINE_STAGE_2_BLIT_BIT |
                         VK_PIPELINE_STAGE_2_FRAGMENT_SHADER_BIT | VK_PIPELINE_STAGE_2_COMPUTE_SHADER_BIT;
    after.dstAccessMask = VK_ACCESS_2_TRANSFER_READ_BIT | VK_ACCESS_2_SHADER_READ_BIT;
    dep.pMemoryBarriers = &after;
    vkCmdPipelineBarrier2(cb, &dep);
  });
  if (!value) return value.error();
  slot.done = *value;
  return value;
}

}  // namespace delineo::app::xr
