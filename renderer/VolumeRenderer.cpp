#include "renderer/VolumeRenderer.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "renderer/Device.h"
#include "renderer/OverlayBatch.h"
#include "renderer/RenderTarget.h"
#include "renderer/StagingUpload.h"
#include "renderer/VkCheck.h"

namespace delineo::renderer {

namespace {

constexpr int kTransferSize = 1024;
constexpr float kVisibleAlpha = 1e-4f;  // the raymarcher ignores samples at or below this
constexpr uint32_t kInterleave = 8;     // matches raymarch.comp

struct ViewGpu {
  float eye[4], forward[4], dx[4], dy[4];
};
struct FrameUniforms {
  ViewGpu views[kMaxViews];
  float mmToIjk[16];
  float gradIjkToMm[16];
  float dims[4], valueMap[4], window[4], shading[4], isoColor[4], march[4], gradient[4],
      background[4], clipBoxMin[4], clipBoxMax[4];
  float clipPlanes[kMaxClipPlanes][4];
  int32_t counts[4];
  int32_t extent[4];
  float texelCode[4];  // x, y: 16-bit code of a normalised value = n * x + y (MIP brick bounds)
};
struct SliceGpu {
  float origin[4], du[4], dv[4];
};
struct SliceUniforms {
  SliceGpu views[kMaxViews];
  float mmToIjk[16];
  float dims[4], valueMap[4], window[4], labels[4], background[4];
  int32_t counts[4];
};
struct LabelUniforms {
  float colors[256][4];
};

void set4(float* dst, double x, double y, double z, double w) {
  dst[0] = static_cast<float>(x);
  dst[1] = static_cast<float>(y);
  dst[2] = static_cast<float>(z);
  dst[3] = static_cast<float>(w);
}
void set4(float* dst, core::Vec3 v, double w) { set4(dst, v.x, v.y, v.z, w); }

// Column-major mat4 of the affine map x -> m * x + t.
void setAffine(float* dst, const core::Mat3& m, core::Vec3 t) {
  std::fill(dst, dst + 16, 0.0f);
  for (int c = 0; c < 3; ++c)
    for (int r = 0; r < 3; ++r) dst[c * 4 + r] = static_cast<float>(m.m[r][c]);
  dst[12] = static_cast<float>(t.x);
  dst[13] = static_cast<float>(t.y);
  dst[14] = static_cast<float>(t.z);
  dst[15] = 1.0f;
}

}  // namespace

core::Result<std::unique_ptr<VolumeRenderer>> VolumeRenderer::create(Device& device,
                                                                      const RendererOptions& options) {
  std::unique_ptr<VolumeRenderer> r(new VolumeRenderer(device));
  if (auto ok = r->init(options); !ok) return ok.error();
  return r;
}

VolumeRenderer::~VolumeRenderer() {
  // Frame slots and textures may still be in use by the GPU.
  (void)mDevice.waitIdle();
}

core::Result<void> VolumeRenderer::init(const RendererOptions& options) {
  mOptions = options;
  VkDevice dev = mDevice.handle();
  VkSamplerCreateInfo s{VK_STRUCTURE_TYPE_SAMPLER_CREATE_INFO};
  s.magFilter = s.minFilter = VK_FILTER_LINEAR;
  s.mipmapMode = VK_SAMPLER_MIPMAP_MODE_NEAREST;
  s.addressModeU = s.addressModeV = s.addressModeW = VK_SAMPLER_ADDRESS_MODE_CLAMP_TO_EDGE;
  s.maxLod = 0;
  VkSampler sampler = VK_NULL_HANDLE;
  VK_TRY(vkCreateSampler(dev, &s, nullptr, &sampler));
  mLinear = UniqueSampler(dev, sampler);
  s.magFilter = s.minFilter = VK_FILTER_NEAREST;
  VK_TRY(vkCreateSampler(dev, &s, nullptr, &sampler));
  mNearest = UniqueSampler(dev, sampler);

  ImageDesc dummy;
  dummy.format = VK_FORMAT_R8_UINT;
  auto d3 = Image::create(mDevice, dummy);
  if (!d3) return d3.error();
  mDummy3D = std::move(d3).value();
  auto staging = StagingUpload::create(mDevice, 4);
  if (!staging) return staging.error();
  staging->bytes()[0] = 0;
  ImageRegion region;
  if (auto v = std::move(*staging).copyToImage(mDevice, mDummy3D, {&region, 1}, VK_IMAGE_LAYOUT_UNDEFINED,
                                               VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL);
      !v)
    return v.error();

  ImageDesc lut;
  lut.type = VK_IMAGE_TYPE_1D;
  lut.format = VK_FORMAT_R32G32B32A32_SFLOAT;
  lut.extent = {kTransferSize, 1, 1};
  auto transfer = Image::create(mDevice, lut);
  if (!transfer) return transfer.error();
  mTransfer = std::move(transfer).value();

  uint32_t slots = std::max(1u, options.framesInFlight);
  for (uint32_t i = 0; i < slots; ++i) {
    FrameSlot slot;
    VkCommandPoolCreateInfo pool{VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO};
    pool.flags = VK_COMMAND_POOL_CREATE_TRANSIENT_BIT;
    pool.queueFamilyIndex = mDevice.queueFamily();
    VkCommandPool p = VK_NULL_HANDLE;
    VK_TRY(vkCreateCommandPool(dev, &pool, nullptr, &p));
    slot.pool = UniqueCommandPool(dev, p);
    VkCommandBufferAllocateInfo alloc{VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO};
    alloc.commandPool = p;
    alloc.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
    alloc.commandBufferCount = 1;
    VK_TRY(vkAllocateCommandBuffers(dev, &alloc, &slot.commands));
    // Raymarch, slice and overlay sets.
    auto descriptors = createDescriptorPool(dev,
                                            {{VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, 8},
                                             {VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER, 4},
                                             {VK_DESCRIPTOR_TYPE_STORAGE_IMAGE, 6},
                                             {VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, 4}},
                                            3);
    if (!descriptors) return descriptors.error();
    slot.descriptors = std::move(descriptors).value();
    auto makeUniform = [&](VkDeviceSize size) {
      return Buffer::create(mDevice, size, VK_BUFFER_USAGE_UNIFORM_BUFFER_BIT, Buffer::Memory::HostVisible);
    };
    auto fu = makeUniform(sizeof(FrameUniforms));
    auto su = makeUniform(sizeof(SliceUniforms));
    auto lu = makeUniform(sizeof(LabelUniforms));
    if (!fu) return fu.error();
    if (!su) return su.error();
    if (!lu) return lu.error();
    slot.frameUniforms = std::move(fu).value();
    slot.sliceUniforms = std::move(su).value();
    slot.labelUniforms = std::move(lu).value();
    mSlots.push_back(std::move(slot));
  }
  return {};
}

core::Result<void> VolumeRenderer::setVolume(const core::Volume& volume) {
  auto gpu = GpuVolume::create(mDevice, volume, mOptions.upload);
  if (!gpu) return gpu.error();
  if (mVolume) mDevice.retire(std::move(mVolume));
  clearLabelmap();
  mVolume = std::move(gpu).value();
  mWarnings = mVolume->warnings();
  mSkipKey.reset();
  mSkip = {};
  return {};
}

void VolumeRenderer::clearLabelmap() {
  if (mLabels) mDevice.retire(std::move(mLabels));
  mLabels.reset();
  mLabelTable.reset();
  mSkipKey.reset();
}

core::Result<void> VolumeRenderer::setLabelmap(const core::Labelmap& labels) {
  if (!mVolume) return core::makeError("set a volume before its labelmap");
  auto gpu = GpuLabels::create(mDevice, labels, *mVolume);
  if (!gpu) return gpu.error();
  if (mLabels) mDevice.retire(std::move(mLabels));
  mLabels = std::move(gpu).value();
  mLabelTable = labels.labels();
  mSkipKey.reset();
  return {};
}

core::Result<void> VolumeRenderer::updateLabelBricks(const core::Labelmap& labels,
                                                     std::span<const std::int64_t> bricks) {
  if (!mLabels) return setLabelmap(labels);
  mLabelTable = labels.labels();
  return mLabels->updateBricks(mDevice, labels, bricks);
}

double VolumeRenderer::defaultStepMm() const {
  if (!mVolume) return 1.0;
  const auto& s = mVolume->geometry().spacingMm;
  return 0.5 * std::min({s.x, s.y, s.z});
}

core::Result<const ComputePipeline*> VolumeRenderer::raymarchPipeline(RenderMode mode, bool skip, bool labels) {
  bool packed = mVolume->packedGradients();
  uint32_t key = static_cast<uint32_t>(mode) << 4 | uint32_t{skip} << 2 | uint32_t{packed} << 1 | uint32_t{labels};
  if (auto it = mPipelines.find(key); it != mPipelines.end()) return &it->second;
  const VkDescriptorType bindings[] = {
      VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER,
      VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER,
      VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER,         VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER,
      VK_DESCRIPTOR_TYPE_STORAGE_IMAGE,          VK_DESCRIPTOR_TYPE_STORAGE_IMAGE};
  const uint32_t spec[] = {static_cast<uint32_t>(mode), skip, packed, labels};
  auto p = ComputePipeline::create(mDevice, "raymarch.comp", bindings, spec);
  if (!p) return p.error();
  return &mPipelines.emplace(key, std::move(p).value()).first->second;
}

core::Result<const ComputePipeline*> VolumeRenderer::overlayPipeline() {
  constexpr uint32_t key = 0x2000u;
  if (auto it = mPipelines.find(key); it != mPipelines.end()) return &it->second;
  const VkDescriptorType bindings[] = {VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, VK_DESCRIPTOR_TYPE_STORAGE_BUFFER,
                                       VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, VK_DESCRIPTOR_TYPE_STORAGE_BUFFER,
                                       VK_DESCRIPTOR_TYPE_STORAGE_IMAGE, VK_DESCRIPTOR_TYPE_STORAGE_IMAGE};
  auto p = ComputePipeline::create(mDevice, "overlay.comp", bindings, {});
  if (!p) return p.error();
  return &mPipelines.emplace(key, std::move(p).value()).first->second;
}

core::Result<void> VolumeRenderer::recordOverlays(const FrameParams& frame, RenderTarget& target, FrameSlot& slot,
                                                  VkCommandBuffer cb) {
  OverlayBatch batch = buildOverlayBatch(frame, target.extent());
  if (batch.tiles.empty()) return {};
  auto pipeline = overlayPipeline();
  if (!pipeline) return pipeline.error();

  // The four arrays share one host-visible buffer, each at an offset every device accepts.
  const VkDeviceSize align = std::max<VkDeviceSize>(
      16, mDevice.properties().limits.minStorageBufferOffsetAlignment);
  auto aligned = [&](VkDeviceSize n) { return (n + align - 1) / align * align; };
  const VkDeviceSize sizes[4] = {sizeof(batch.header), batch.prims.size() * sizeof(OverlayPrimGpu),
                                 batch.tiles.size() * sizeof(batch.tiles[0]),
                                 batch.indices.size() * sizeof(uint32_t)};
  VkDeviceSize offsets[4], total = 0;
  for (int i = 0; i < 4; ++i) {
    offsets[i] = total;
    total += aligned(sizes[i]);
  }
  if (slot.overlayData.size() < total) {
    // The slot's previous frame has finished (render() waited for it), so the old buffer can go.
    auto grown = Buffer::create(mDevice, std::max<VkDeviceSize>(total * 2, 64 * 1024),
                                VK_BUFFER_USAGE_STORAGE_BUFFER_BIT, Buffer::Memory::HostVisible);
    if (!grown) return grown.error();
    slot.overlayData = std::move(grown).value();
  }
  auto* bytes = static_cast<std::uint8_t*>(slot.overlayData.mapped());
  const void* sources[4] = {&batch.header, batch.prims.data(), batch.tiles.data(), batch.indices.data()};
  for (int i = 0; i < 4; ++i) std::memcpy(bytes + offsets[i], sources[i], sizes[i]);
  slot.overlayData.flush();

  VkDevice dev = mDevice.handle();
  VkDescriptorSetLayout layout = (*pipeline)->setLayout();
  VkDescriptorSetAllocateInfo a{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO};
  a.descriptorPool = slot.descriptors.get();
  a.descriptorSetCount = 1;
  a.pSetLayouts = &layout;
  VkDescriptorSet set = VK_NULL_HANDLE;
  VK_TRY(vkAllocateDescriptorSets(dev, &a, &set));
  VkDescriptorBufferInfo buffers[4];
  VkDescriptorImageInfo images[2] = {{VK_NULL_HANDLE, target.colorView(), VK_IMAGE_LAYOUT_GENERAL},
                                     {VK_NULL_HANDLE, target.depthView(), VK_IMAGE_LAYOUT_GENERAL}};
  VkWriteDescriptorSet writes[6];
  for (uint32_t i = 0; i < 6; ++i) {
    writes[i] = {VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET};
    writes[i].dstSet = set;
    writes[i].dstBinding = i;
    writes[i].descriptorCount = 1;
    if (i < 4) {
      buffers[i] = {slot.overlayData.handle(), offsets[i], std::max<VkDeviceSize>(sizes[i], 16)};
      writes[i].descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER;
      writes[i].pBufferInfo = &buffers[i];
    } else {
      writes[i].descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_IMAGE;
      writes[i].pImageInfo = &images[i - 4];
    }
  }
  vkUpdateDescriptorSets(dev, 6, writes, 0, nullptr);

  // The raymarch and slice passes' colour and depth are complete before overlays blend in.
  VkMemoryBarrier2 written{VK_STRUCTURE_TYPE_MEMORY_BARRIER_2};
  written.srcStageMask = VK_PIPELINE_STAGE_2_COMPUTE_SHADER_BIT;
  written.srcAccessMask = VK_ACCESS_2_SHADER_STORAGE_WRITE_BIT;
  written.dstStageMask = VK_PIPELINE_STAGE_2_COMPUTE_SHADER_BIT;
  written.dstAccessMask = VK_ACCESS_2_SHADER_STORAGE_READ_BIT | VK_ACCESS_2_SHADER_STORAGE_WRITE_BIT;
  VkDependencyInfo dep{VK_STRUCTURE_TYPE_DEPENDENCY_INFO};
  dep.memoryBarrierCount = 1;
  dep.pMemoryBarriers = &written;
  vkCmdPipelineBarrier2(cb, &dep);
  vkCmdBindPipeline(cb, VK_PIPELINE_BIND_POINT_COMPUTE, (*pipeline)->handle());
  vkCmdBindDescriptorSets(cb, VK_PIPELINE_BIND_POINT_COMPUTE, (*pipeline)->layout(), 0, 1, &set, 0, nullptr);
  vkCmdDispatch(cb, static_cast<uint32_t>(batch.tiles.size()), 1, 1);
  return {};
}

core::Result<const ComputePipeline*> VolumeRenderer::slicePipeline(bool labels) {
  uint32_t key = 0x1000u | uint32_t{labels};
  if (auto it = mPipelines.find(key); it != mPipelines.end()) return &it->second;
  const VkDescriptorType bindings[] = {
      VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER,
      VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER,         VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER,
      VK_DESCRIPTOR_TYPE_STORAGE_IMAGE,          VK_DESCRIPTOR_TYPE_STORAGE_IMAGE};
  const uint32_t spec[] = {labels};
  auto p = ComputePipeline::create(mDevice, "slice.comp", bindings, spec);
  if (!p) return p.error();
  return &mPipelines.emplace(key, std::move(p).value()).first->second;
}

core::Result<void> VolumeRenderer::updateTransfer(const FrameParams& frame, double stepMm) {
  auto table = frame.volume.transfer.bake(kTransferSize, stepMm);
  if (table == mTransferTable) return {};
  bool first = mTransferTable.empty();
  auto staging = StagingUpload::create(mDevice, table.size() * sizeof(table[0]));
  if (!staging) return staging.error();
  std::memcpy(staging->bytes().data(), table.data(), table.size() * sizeof(table[0]));
  ImageRegion region;
  region.extent = {kTransferSize, 1, 1};
  auto v = std::move(*staging).copyToImage(mDevice, mTransfer, {&region, 1},
                                           first ? VK_IMAGE_LAYOUT_UNDEFINED : VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL,
                                           VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL);
  if (!v) return v.error();
  mTransferTable = std::move(table);
  mTransferDomain = frame.volume.transfer.domain();
  return {};
}

core::Result<void> VolumeRenderer::updateEmptySpace(const FrameParams& frame) {
  const VolumeDisplay& display = frame.volume;
  const GpuVolume& vol = *mVolume;
  SkipKey key;
  key.mode = display.mode;
  key.volume = mVolume.get();
  key.labels = mLabels && display.showLabels && display.labelOpacity > 0 &&
               display.mode != RenderMode::Mip && display.mode != RenderMode::MinIp;
  key.labelGeneration = key.labels ? mLabels->generation() : 0;
  double low = display.windowLevel - display.windowWidth / 2;
  key.low = static_cast<float>(vol.toNormalized(low));
  key.high = static_cast<float>(vol.toNormalized(low + display.windowWidth));
  key.iso = static_cast<float>(vol.toNormalized(display.isoValue));
  if (display.mode == RenderMode::Dvr) {
    key.lutVisible.resize(mTransferTable.size());
    for (size_t i = 0; i < mTransferTable.size(); ++i) key.lutVisible[i] = mTransferTable[i][3] > kVisibleAlpha;
  }
  if (mSkipKey && *mSkipKey == key) return {};

  // Prefix counts of visible table entries: "any visible in [a, b]" in O(1) per brick.
  std::vector<int> prefix(key.lutVisible.size() + 1, 0);
  for (size_t i = 0; i < key.lutVisible.size(); ++i) prefix[i + 1] = prefix[i] + key.lutVisible[i];
  auto [d0, d1] = mTransferDomain;
  const double n1 = kTransferSize - 1;
  auto lutIndex = [&](float n) {  // continuous table index of a normalised value
    return (n * vol.valueScale() + vol.valueOffset() - d0) / (d1 - d0) * n1;
  };
  std::vector<std::uint8_t> occupied;
  if (key.labels) occupied = mLabels->occupiedBricks();
  const auto& mins = vol.brickMin();
  const auto& maxs = vol.brickMax();
  std::vector<std::uint8_t> nonEmpty(mins.size());
  for (size_t b = 0; b < mins.size(); ++b) {
    bool contributes = false;
    switch (display.mode) {
      case RenderMode::Dvr: {
        double a = std::clamp(std::floor(lutIndex(mins[b])), 0.0, n1);
        double c = std::clamp(std::ceil(lutIndex(maxs[b])), 0.0, n1);
        contributes = prefix[static_cast<size_t>(c) + 1] - prefix[static_cast<size_t>(a)] > 0;
        break;
      }
      case RenderMode::Mip: contributes = maxs[b] > key.low; break;
      case RenderMode::MinIp: contributes = mins[b] < key.high; break;
      // Skipping may only leap over values below the surface: a ray that starts inside it
      // shows the cut at once.
      case RenderMode::Isosurface: contributes = maxs[b] >= key.iso; break;
      case RenderMode::LabelsOnly: contributes = false; break;
    }
    if (key.labels && occupied[b]) contributes = true;
    nonEmpty[b] = contributes;
  }
  // MIP: a brick whose (dilated) maximum is at most the ray's maximum cannot change it; the
  // bound is the brick maximum's 16-bit texel code (see texelCode in the frame uniforms).
  std::vector<std::uint16_t> bound;
  if (display.mode == RenderMode::Mip) {
    auto [scale, bias] = vol.texelCode();
    bound.resize(maxs.size());
    for (size_t b = 0; b < maxs.size(); ++b)
      bound[b] = static_cast<std::uint16_t>(std::clamp(std::round(maxs[b] * scale + bias), 0.0f, 65535.0f));
  }
  if (auto r = mSkip.rebuild(mDevice, nonEmpty, vol.brickDims(), bound); !r) return r;
  mSkipKey = std::move(key);
  return {};
}

void VolumeRenderer::fillLabelColors(const FrameParams& frame, FrameSlot& slot) const {
  auto* u = static_cast<LabelUniforms*>(slot.labelUniforms.mapped());
  const core::LabelTable* table = frame.labels ? frame.labels : (mLabelTable ? &*mLabelTable : nullptr);
  for (int id = 0; id < 256; ++id) {
    std::array<std::uint8_t, 4> rgba = core::LabelTable::defaultColor(static_cast<std::uint8_t>(id));
    bool visible = id != 0;
    if (table && id != 0) {
      if (const core::Label* l = table->find(static_cast<std::uint8_t>(id))) {
        rgba = l->rgba;
        visible = l->visible;
      }
    }
    set4(u->colors[id], rgba[0] / 255.0, rgba[1] / 255.0, rgba[2] / 255.0, visible ? rgba[3] / 255.0 : 0.0);
  }
}

core::Result<uint64_t> VolumeRenderer::render(const FrameParams& frame, RenderTarget& target) {
  if (!mVolume) return core::makeError("no volume to render: call setVolume first");
  if (frame.views.empty()) return core::makeError("a frame needs at least one view");
  if (frame.views.size() > kMaxViews || frame.views.size() > target.layers())
    return core::makeError("a frame has " + std::to_string(frame.views.size()) + " views; at most " +
                           std::to_string(std::min<size_t>(kMaxViews, target.layers())) + " fit this target");
  if (frame.volume.clipPlanes.size() > kMaxClipPlanes)
    return core::makeError("at most " + std::to_string(kMaxClipPlanes) + " clip planes");
  const VolumeDisplay& display = frame.volume;
  if (!(display.windowWidth > 0)) return core::makeError("the window width must be positive");
  const GpuVolume& vol = *mVolume;
  const core::Geometry& g = vol.geometry();
  double stepMm = display.stepMm > 0 ? display.stepMm : defaultStepMm();

  bool anyVolumeView = false, anySliceView = false;
  for (const auto& v : frame.views) (v.kind == View::Kind::Volume ? anyVolumeView : anySliceView) = true;
  bool labels = mLabels && display.showLabels && display.labelOpacity > 0;
  bool skip = display.emptySpaceSkipping;
  if (anyVolumeView) {
    if (display.mode == RenderMode::Dvr)
      if (auto r = updateTransfer(frame, stepMm); !r) return r.error();
    if (mTransferTable.empty())  // bind a defined table in every mode
      if (auto r = updateTransfer(frame, stepMm); !r) return r.error();
    if (skip)
      if (auto r = updateEmptySpace(frame); !r) return r.error();
  }

  FrameSlot& slot = mSlots[mFrameCount % mSlots.size()];
  if (auto r = mDevice.wait(slot.done); !r) return r.error();
  VkDevice dev = mDevice.handle();
  VK_TRY(vkResetDescriptorPool(dev, slot.descriptors.get(), 0));
  VK_TRY(vkResetCommandPool(dev, slot.pool.get(), 0));

  const VkExtent2D extent = target.extent();
  core::Mat3 m = g.indexToPhysical();
  core::Mat3 mInv = m.inverse();
  core::Vec3 t = (mInv * g.originMm) * -1.0;
  double low = display.windowLevel - display.windowWidth / 2;
  double valueMap[4] = {vol.valueScale(), vol.valueOffset(), 0, 0};
  {
    auto [d0, d1] = mTransferDomain;
    const double n = kTransferSize;
    valueMap[2] = vol.valueScale() * (n - 1) / ((d1 - d0) * n);
    valueMap[3] = ((vol.valueOffset() - d0) * (n - 1) / (d1 - d0) + 0.5) / n;
  }

  fillLabelColors(frame, slot);
  VkDescriptorBufferInfo labelInfo{slot.labelUniforms.handle(), 0, VK_WHOLE_SIZE};
  VkDescriptorImageInfo volumeInfo{mLinear.get(), vol.texture().view(), VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL};
  VkDescriptorImageInfo labelsInfo{mNearest.get(), labels ? mLabels->texture().view() : mDummy3D.view(),
                                   VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL};
  VkDescriptorImageInfo skipInfo{mNearest.get(), skip && mSkip ? mSkip.texture().view() : mDummy3D.view(),
                                 VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL};
  VkDescriptorImageInfo transferInfo{mLinear.get(), mTransfer.view(), VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL};
  VkDescriptorImageInfo colorInfo{VK_NULL_HANDLE, target.colorView(), VK_IMAGE_LAYOUT_GENERAL};
  VkDescriptorImageInfo depthInfo{VK_NULL_HANDLE, target.depthView(), VK_IMAGE_LAYOUT_GENERAL};

  auto allocateSet = [&](const ComputePipeline& p) -> core::Result<VkDescriptorSet> {
    VkDescriptorSetLayout layout = p.setLayout();
    VkDescriptorSetAllocateInfo a{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO};
    a.descriptorPool = slot.descriptors.get();
    a.descriptorSetCount = 1;
    a.pSetLayouts = &layout;
    VkDescriptorSet set = VK_NULL_HANDLE;
    VK_TRY(vkAllocateDescriptorSets(dev, &a, &set));
    return set;
  };
  auto write = [](VkDescriptorSet set, uint32_t binding, VkDescriptorType type,
                  const VkDescriptorImageInfo* image, const VkDescriptorBufferInfo* buffer) {
    VkWriteDescriptorSet w{VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET};
    w.dstSet = set;
    w.dstBinding = binding;
    w.descriptorCount = 1;
    w.descriptorType = type;
    w.pImageInfo = image;
    w.pBufferInfo = buffer;
    return w;
  };

  VkCommandBuffer cb = slot.commands;
  VkCommandBufferBeginInfo begin{VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
  begin.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
  VK_TRY(vkBeginCommandBuffer(cb, &begin));
  // Earlier reads of the target (readback, presentation, overlays) finish before we write.
  VkMemoryBarrier2 before{VK_STRUCTURE_TYPE_MEMORY_BARRIER_2};
  before.srcStageMask = VK_PIPELINE_STAGE_2_COPY_BIT | VK_PIPELINE_STAGE_2_FRAGMENT_SHADER_BIT |
                        VK_PIPELINE_STAGE_2_COMPUTE_SHADER_BIT;
  before.srcAccessMask = VK_ACCESS_2_TRANSFER_READ_BIT | VK_ACCESS_2_SHADER_READ_BIT;
  before.dstStageMask = VK_PIPELINE_STAGE_2_COMPUTE_SHADER_BIT;
  before.dstAccessMask = VK_ACCESS_2_SHADER_STORAGE_WRITE_BIT;
  VkDependencyInfo dep{VK_STRUCTURE_TYPE_DEPENDENCY_INFO};
  dep.memoryBarrierCount = 1;
  dep.pMemoryBarriers = &before;
  vkCmdPipelineBarrier2(cb, &dep);

  if (anyVolumeView) {
    auto pipeline = raymarchPipeline(display.mode, skip, labels);
    if (!pipeline) return pipeline.error();
    auto* u = static_cast<FrameUniforms*>(slot.frameUniforms.mapped());
    std::memset(u, 0, sizeof(*u));
    int32_t views = 0;
    for (size_t i = 0; i < frame.views.size(); ++i) {
      if (frame.views[i].kind != View::Kind::Volume) continue;
      // The overlay pass projects with the same numbers, so overlays line up with the rays.
      const ViewProjection p = viewProjection(frame.views[i], extent);
      ViewGpu& v = u->views[views++];
      set4(v.eye, p.eyeMm, p.kind == ViewProjection::Kind::Orthographic ? 1 : 0);
      set4(v.forward, p.forward, double(i));
      set4(v.dx, p.dx, p.offsetX);
      set4(v.dy, p.dy, p.offsetY);
    }
    setAffine(u->mmToIjk, mInv, t);
    setAffine(u->gradIjkToMm, mInv.transposed(), {});
    set4(u->dims, double(g.dims[0]), double(g.dims[1]), double(g.dims[2]), vol.brickVoxels());
    set4(u->valueMap, valueMap[0], valueMap[1], valueMap[2], valueMap[3]);
    set4(u->window, low, display.windowWidth, vol.toNormalized(display.isoValue), vol.integerValues() ? 1 : 0);
    set4(u->shading, display.shading.ambient, display.shading.diffuse, display.shading.specular,
         display.shading.shininess);
    set4(u->isoColor, display.isoColor[0], display.isoColor[1], display.isoColor[2], display.shading.enabled ? 1 : 0);
    set4(u->march, stepMm, frame.frameIndex, display.jitter ? 1 : 0, labels ? display.labelOpacity : 0);
    set4(u->gradient, vol.gradientScale(), vol.gradientOffset(), vol.maxNormalized(), vol.minNormalized());
    set4(u->background, display.background[0], display.background[1], display.background[2], 1);
    set4(u->clipBoxMin, display.clipBox.minMm, display.clipBox.enabled ? 1 : 0);
    set4(u->clipBoxMax, display.clipBox.maxMm, 0);
    for (size_t i = 0; i < display.clipPlanes.size(); ++i)
      set4(u->clipPlanes[i], core::normalize(display.clipPlanes[i].normal), display.clipPlanes[i].offsetMm);
    int32_t tilesX = static_cast<int32_t>((extent.width + 7) / 8), tilesY = static_cast<int32_t>((extent.height + 7) / 8);
    uint32_t tiles = static_cast<uint32_t>(tilesX * tilesY * views);
    uint32_t chunk = (tiles + kInterleave - 1) / kInterleave;
    int32_t counts[4] = {views, static_cast<int32_t>(display.clipPlanes.size()), tilesX, tilesY};
    int32_t ext[4] = {static_cast<int32_t>(extent.width), static_cast<int32_t>(extent.height),
                      static_cast<int32_t>(chunk), 0};
    std::memcpy(u->counts, counts, sizeof(counts));
    std::memcpy(u->extent, ext, sizeof(ext));
    auto [codeScale, codeBias] = vol.texelCode();
    set4(u->texelCode, codeScale, codeBias, 0.0, 0.0);
    slot.frameUniforms.flush();

    auto set = allocateSet(**pipeline);
    if (!set) return set.error();
    VkDescriptorBufferInfo frameInfo{slot.frameUniforms.handle(), 0, VK_WHOLE_SIZE};
    VkWriteDescriptorSet writes[] = {
        write(*set, 0, VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, &volumeInfo, nullptr),
        write(*set, 1, VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, &labelsInfo, nullptr),
        write(*set, 2, VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, &skipInfo, nullptr),
        write(*set, 3, VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, &transferInfo, nullptr),
        write(*set, 4, VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER, nullptr, &frameInfo),
        write(*set, 5, VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER, nullptr, &labelInfo),
        write(*set, 6, VK_DESCRIPTOR_TYPE_STORAGE_IMAGE, &colorInfo, nullptr),
        write(*set, 7, VK_DESCRIPTOR_TYPE_STORAGE_IMAGE, &depthInfo, nullptr)};
    vkUpdateDescriptorSets(dev, 8, writes, 0, nullptr);
    vkCmdBindPipeline(cb, VK_PIPELINE_BIND_POINT_COMPUTE, (*pipeline)->handle());
    VkDescriptorSet s = *set;
    vkCmdBindDescriptorSets(cb, VK_PIPELINE_BIND_POINT_COMPUTE, (*pipeline)->layout(), 0, 1, &s, 0, nullptr);
    vkCmdDispatch(cb, chunk * kInterleave, 1, 1);
  }

  if (anySliceView) {
    auto pipeline = slicePipeline(labels);
    if (!pipeline) return pipeline.error();
    auto* u = static_cast<SliceUniforms*>(slot.sliceUniforms.mapped());
    std::memset(u, 0, sizeof(*u));
    int32_t views = 0;
    for (size_t i = 0; i < frame.views.size(); ++i) {
      if (frame.views[i].kind != View::Kind::Slice) continue;
      const SlicePlane& p = frame.views[i].slice;
      SliceGpu& v = u->views[views++];
      set4(v.origin, p.originMm, double(i));
      set4(v.du, p.columnStepMm, 0);
      set4(v.dv, p.rowStepMm, 0);
    }
    setAffine(u->mmToIjk, mInv, t);
    set4(u->dims, double(g.dims[0]), double(g.dims[1]), double(g.dims[2]), 0);
    set4(u->valueMap, valueMap[0], valueMap[1], 0, 0);
    set4(u->window, low, display.windowWidth, 0, vol.integerValues() ? 1 : 0);
    set4(u->labels, frame.slice.labelFillOpacity, frame.slice.labelOutlineOpacity, frame.slice.linear ? 1 : 0,
         labels ? 1 : 0);
    set4(u->background, display.background[0], display.background[1], display.background[2], 1);
    int32_t counts[4] = {views, static_cast<int32_t>(extent.width), static_cast<int32_t>(extent.height), 0};
    std::memcpy(u->counts, counts, sizeof(counts));
    slot.sliceUniforms.flush();

    auto set = allocateSet(**pipeline);
    if (!set) return set.error();
    VkDescriptorImageInfo sliceVolume = volumeInfo;
    VkDescriptorBufferInfo sliceInfo{slot.sliceUniforms.handle(), 0, VK_WHOLE_SIZE};
    VkWriteDescriptorSet writes[] = {
        write(*set, 0, VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, &sliceVolume, nullptr),
        write(*set, 1, VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, &labelsInfo, nullptr),
        write(*set, 2, VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER, nullptr, &sliceInfo),
        write(*set, 3, VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER, nullptr, &labelInfo),
        write(*set, 4, VK_DESCRIPTOR_TYPE_STORAGE_IMAGE, &colorInfo, nullptr),
        write(*set, 5, VK_DESCRIPTOR_TYPE_STORAGE_IMAGE, &depthInfo, nullptr)};
    vkUpdateDescriptorSets(dev, 6, writes, 0, nullptr);
    vkCmdBindPipeline(cb, VK_PIPELINE_BIND_POINT_COMPUTE, (*pipeline)->handle());
    VkDescriptorSet s = *set;
    vkCmdBindDescriptorSets(cb, VK_PIPELINE_BIND_POINT_COMPUTE, (*pipeline)->layout(), 0, 1, &s, 0, nullptr);
    vkCmdDispatch(cb, (extent.width + 7) / 8, (extent.height + 7) / 8, static_cast<uint32_t>(views));
  }

  if (!frame.overlays.empty())
    if (auto r = recordOverlays(frame, target, slot, cb); !r) return r.error();

  VkMemoryBarrier2 after{VK_STRUCTURE_TYPE_MEMORY_BARRIER_2};
  after.srcStageMask = VK_PIPELINE_STAGE_2_COMPUTE_SHADER_BIT;
  after.srcAccessMask = VK_ACCESS_2_SHADER_STORAGE_WRITE_BIT;
  after.dstStageMask = VK_PIPELINE_STAGE_2_COPY_BIT | VK_PIPELINE_STAGE_2_FRAGMENT_SHADER_BIT |
                       VK_PIPELINE_STAGE_2_COMPUTE_SHADER_BIT;
  after.dstAccessMask = VK_ACCESS_2_TRANSFER_READ_BIT | VK_ACCESS_2_SHADER_READ_BIT;
  dep.pMemoryBarriers = &after;
  vkCmdPipelineBarrier2(cb, &dep);
  VK_TRY(vkEndCommandBuffer(cb));
  auto value = mDevice.submit(cb);
  if (!value) return value.error();
  slot.done = *value;
  ++mFrameCount;
  return value;
}

}  // namespace delineo::renderer
