#pragma once
// XrOverlayPass: draws the XR scene's overlays (cursor, controllers, rays, panel, clip plane)
// into a RenderTarget after VolumeRenderer::render(), in the same patient-space cameras, depth
// tested against the raymarch's depth (shaders/xr_overlay.comp). Owns its pipeline, the
// per-frame uniforms and descriptor pools and the panel texture; valid while its Device lives.

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

struct OverlayPrim {
  enum class Kind { Sphere = 0, Capsule = 1, Quad = 2 };
  Kind kind = Kind::Sphere;
  core::Vec3 a{};          // sphere centre, capsule end, quad centre (patient mm)
  core::Vec3 b{};          // capsule end, quad half-width axis (texture u)
  core::Vec3 c{};          // quad half-height axis (texture v, downwards)
  double radiusMm = 1;     // sphere and capsule
  std::array<float, 4> rgba{1, 1, 1, 1};
  bool textured = false;   // quad shows the panel texture
  bool rim = false;        // sphere drawn as a shell brighter at its silhouette (the cursor)
};

constexpr int kMaxOverlayPrims = 16;

class XrOverlayPass {
 public:
  static core::Result<XrOverlayPass> create(renderer::Device& device);
  XrOverlayPass(XrOverlayPass&&) noexcept = default;
  XrOverlayPass& operator=(XrOverlayPass&&) noexcept = default;

  // Replaces the panel texture (RGBA8); only when it changed.
  core::Result<void> setPanelImage(const renderer::RgbaImage& image);
  // Draws `prims` into every view of `target`; `views` as given to render().
  core::Result<uint64_t> draw(std::span<const renderer::View> views, std::span<const OverlayPrim> prims,
                              renderer::RenderTarget& target);

 private:
  struct Slot {
    renderer::Buffer uniforms;
    renderer::UniqueDescriptorPool descriptors;
    uint64_t done = 0;
  };
  explicit XrOverlayPass(renderer::Device& device) : mDevice(&device) {}

  renderer::Device* mDevice;
  renderer::ComputePipeline mPipeline;
  renderer::UniqueSampler mSampler;
  renderer::Image mPanel;
  bool mPanelDefined = false;
  std::vector<Slot> mSlots;
  uint64_t mFrames = 0;
};

}  // namespace delineo::app::xr
