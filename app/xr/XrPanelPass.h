#pragma once
// XrPanelPass: draws the world-space panel (a textured quad, which FrameParams' overlays cannot
// express) into a RenderTarget after VolumeRenderer::render() has drawn the volume and the
// other overlays, in the same patient-space cameras, depth tested against the raymarch's depth
// (shaders/xr_overlay.comp). Owns its pipeline, the per-frame uniforms and descriptor pools and
// the panel texture; valid while its Device lives.

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "core/Math.h"
#include "core/Result.h"
#include "renderer/Buffer.h"
#include "renderer/ComputePipeline.h"
#include "renderer/FrameParams.h"
#include "renderer/Image.h"
#include "renderer/RgbaImage.h"

namespace delineo::renderer {
class Device;
class RenderTarget;
}  // namespace delineo::renderer

namespace delineo::app::xr {

// The panel's place in the scene: a rectangle in patient mm showing the panel texture.
struct PanelRect {
  core::Vec3 centreMm{};                // centre of the panel
  core::Vec3 halfWidthMm{};             // from the centre to the right edge (texture u)
  core::Vec3 halfHeightMm{};            // from the centre to the bottom edge (texture v, downwards)
  std::array<float, 4> rgba{1, 1, 1, 1};  // multiplies the texture; a < 1 lets the scene through
};

class XrPanelPass {
 public:
  static core::Result<XrPanelPass> create(renderer::Device& device);
  XrPanelPass(XrPanelPass&&) noexcept = default;
  XrPanelPass& operator=(XrPanelPass&&) noexcept = default;

  // Replaces the panel texture (RGBA8); only when it changed.
  core::Result<void> setPanelImage(const renderer::RgbaImage& image);
  // Draws the panel at `rect` into every view of `target`; `views` as given to render().
  core::Result<uint64_t> draw(std::span<const renderer::View> views, const PanelRect& rect,
                              renderer::RenderTarget& target);

 private:
  struct Slot {
    renderer::Buffer uniforms;
    renderer::UniqueDescriptorPool descriptors;
    uint64_t done = 0;
  };
  explicit XrPanelPass(renderer::Device& device) : mDevice(&device) {}

  renderer::Device* mDevice;
  renderer::ComputePipeline mPipeline;
  renderer::UniqueSampler mSampler;
  renderer::Image mPanel;
  bool mPanelDefined = false;
  std::vector<Slot> mSlots;
  uint64_t mFrames = 0;
};

}  // namespace delineo::app::xr
