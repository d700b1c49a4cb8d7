#pragma once
// VolumeRenderer: the one entry point every front end draws through,
// render(FrameParams, RenderTarget). Holds the volume and labelmap on the GPU, the transfer
// function table, the empty-space map (rebuilt when what counts as empty changes) and the
// per-frame resources of up to framesInFlight frames; a frame's resources are reused once
// the timeline says the GPU finished with them. Valid while its Device lives.

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/Labelmap.h"
#include "core/Result.h"
#include "core/Volume.h"
#include "renderer/Buffer.h"
#include "renderer/ComputePipeline.h"
#include "renderer/EmptySpaceMap.h"
#include "renderer/FrameParams.h"
#include "renderer/GpuLabels.h"
#include "renderer/GpuVolume.h"
#include "renderer/Image.h"

namespace delineo::renderer {

class Device;
class RenderTarget;

struct RendererOptions {
  VolumeUploadOptions upload;    // how volumes go to the GPU (gradients, bricks, limits)
  uint32_t framesInFlight = 2;   // frames recorded ahead of the GPU
};

class VolumeRenderer {
 public:
  static core::Result<std::unique_ptr<VolumeRenderer>> create(Device& device,
                                                              const RendererOptions& options = {});
  ~VolumeRenderer();

  // Replaces the volume (and drops the labelmap). Warnings (downsampling, no gradients) are
  // in warnings().
  core::Result<void> setVolume(const core::Volume& volume);
  // Labels on the volume's grid; its LabelTable is used when FrameParams::labels is null.
  core::Result<void> setLabelmap(const core::Labelmap& labels);
  // After an edit: copies only the labelmap bricks that changed (core::Labelmap brick indices).
  core::Result<void> updateLabelBricks(const core::Labelmap& labels, std::span<const std::int64_t> bricks);
  void clearLabelmap();

  // Records and submits the frame; returns the timeline value that signals its completion.
  core::Result<uint64_t> render(const FrameParams& frame, RenderTarget& target);

  const std::vector<std::string>& warnings() const { return mWarnings; }
  const GpuVolume* volume() const { return mVolume.get(); }
  // Half the smallest spacing of the volume on the GPU: the default sample distance.
  double defaultStepMm() const;

 private:
  struct FrameSlot {
    UniqueCommandPool pool;
    VkCommandBuffer commands = VK_NULL_HANDLE;  // freed with pool
    UniqueDescriptorPool descriptors;
    Buffer frameUniforms;
    Buffer sliceUniforms;
    Buffer labelUniforms;
    Buffer overlayData;  // this frame's overlay primitives and tile lists; grows on demand
    uint64_t done = 0;  // timeline value of the last submit that used this slot
  };
  struct SkipKey {
    RenderMode mode = RenderMode::Dvr;
    std::vector<std::uint8_t> lutVisible;
    float low = 0, high = 0, iso = 0;
    bool labels = false;
    std::uint64_t labelGeneration = 0;
    const GpuVolume* volume = nullptr;
    bool operator==(const SkipKey&) const = default;
  };

  explicit VolumeRenderer(Device& device) : mDevice(device) {}
  core::Result<void> init(const RendererOptions& options);
  core::Result<const ComputePipeline*> raymarchPipeline(RenderMode mode, bool skip, bool labels);
  core::Result<const ComputePipeline*> slicePipeline(bool labels);
  core::Result<const ComputePipeline*> overlayPipeline();
  // Blends FrameParams::overlays into the target after the volume and slice passes.
  core::Result<void> recordOverlays(const FrameParams& frame, RenderTarget& target, FrameSlot& slot,
                                    VkCommandBuffer cb);
  core::Result<void> updateTransfer(const FrameParams& frame, double stepMm);
  core::Result<void> updateEmptySpace(const FrameParams& frame);
  void fillLabelColors(const FrameParams& frame, FrameSlot& slot) const;

  Device& mDevice;
  RendererOptions mOptions;
  std::unique_ptr<GpuVolume> mVolume;
  std::unique_ptr<GpuLabels> mLabels;
  std::optional<core::LabelTable> mLabelTable;
  EmptySpaceMap mSkip;
  std::optional<SkipKey> mSkipKey;
  Image mDummy3D;    // R8_UINT 1^3: bound where there are no labels or no skip map yet
  Image mTransfer;   // 1D RGBA32F table
  std::vector<std::array<float, 4>> mTransferTable;
  std::pair<double, double> mTransferDomain{0, 1};
  UniqueSampler mLinear;
  UniqueSampler mNearest;
  std::map<std::uint32_t, ComputePipeline> mPipelines;
  std::vector<FrameSlot> mSlots;
  std::uint64_t mFrameCount = 0;
  std::vector<std::string> mWarnings;
};

}  // namespace delineo::renderer
