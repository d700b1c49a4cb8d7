#pragma once
// OverlayBatch: the CPU half of the overlay pass. Projects FrameParams::overlays into each
// view's pixels (segments, triangles) or keeps them analytic (spheres), and bins them into
// 16x16-pixel tiles, so the compute pass (overlay.comp) runs only on tiles that have something
// to draw and each pixel tests only the primitives that can reach it. Plain data, no Vulkan
// objects: built every frame, copied into the frame's buffer by VolumeRenderer.

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include <vulkan/vulkan.h>

#include "renderer/FrameParams.h"

namespace delineo::renderer {

constexpr uint32_t kOverlayTile = 16;  // matches overlay.comp's workgroup size

// How one view maps patient mm to its pixels: the numbers the raymarcher casts its rays from.
struct ViewProjection {
  enum class Kind { Perspective = 0, Orthographic = 1, Slice = 2 };
  Kind kind = Kind::Perspective;
  core::Vec3 eyeMm;    // perspective: eye; orthographic: image centre; slice: pixel (0,0)'s centre
  core::Vec3 forward;  // unit viewing direction (slice: unit plane normal)
  core::Vec3 dx, dy;   // one pixel right / down (perspective: ray-direction offset at unit depth)
  double offsetX = 0;  // asymmetric frustum: image-centre offset from the axis in pixels
  double offsetY = 0;

  // Pixel coordinates (pixel (i, j) has its centre at i + 0.5, j + 0.5) and depth: mm along
  // `forward` from the eye (the depth output's measure), or the signed distance from a slice
  // plane. Nothing when the point is behind a perspective eye.
  std::optional<std::array<double, 3>> project(core::Vec3 pointMm, VkExtent2D extent) const;
};
ViewProjection viewProjection(const View& view, VkExtent2D extent);

// GPU layouts (std430), mirrored in overlay.comp.
struct OverlayViewGpu {
  float eye[4];      // w: ViewProjection::Kind
  float forward[4];  // w: target layer
  float dx[4];       // w: offsetX
  float dy[4];       // w: offsetY
};
struct OverlayHeaderGpu {
  OverlayViewGpu views[kMaxViews];
  float style[4];     // x: occluded opacity, y: slice thickness (mm)
  int32_t extent[4];  // image width, height
};
struct OverlayPrimGpu {
  float p0[4];     // segment/triangle: pixel x, y and depth of a vertex; sphere: centre, radius
  float p1[4];     // segment/triangle: second vertex; slice sphere: centre's plane distance, cut radius
  float p2[4];     // triangle: third vertex
  float color[4];  // straight rgba (triangles: already lit)
  int32_t info[4]; // x: kind (0 segment, 1 triangle, 2 sphere), y: view, z: 1 = depth interpolates as 1/z
  float style[4];  // x: segment half width in pixels
};

struct OverlayBatch {
  OverlayHeaderGpu header{};
  std::vector<OverlayPrimGpu> prims;
  // Per tile with something to draw: view index, tileX | tileY << 16, first index, count.
  std::vector<std::array<uint32_t, 4>> tiles;
  std::vector<uint32_t> indices;  // into prims, in drawing order within each tile
};

OverlayBatch buildOverlayBatch(const FrameParams& frame, VkExtent2D extent);

}  // namespace delineo::renderer
