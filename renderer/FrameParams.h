#pragma once
// FrameParams: everything one call of VolumeRenderer::render() draws: 1 view (desktop), 2
// (headset) or more, each a camera on the volume or a slice plane, and the display state they
// share. Plain data in patient LPS millimetres and data units; the renderer converts.

#include <array>
#include <cstdint>
#include <vector>

#include "core/Geometry.h"
#include "core/LabelTable.h"
#include "renderer/TransferFunction.h"

namespace delineo::renderer {

enum class RenderMode {
  Dvr,         // direct volume rendering through the transfer function
  Mip,         // maximum intensity projection (window/level to grey)
  MinIp,       // minimum intensity projection
  Isosurface,  // first crossing of isoValue, shaded
  LabelsOnly,  // only the label surfaces
};

struct Camera {
  core::Vec3 eyeMm{0, -500, 0};  // perspective: eye; orthographic: centre of the image plane
  core::Vec3 forward{0, 1, 0};   // unit viewing direction
  core::Vec3 right{1, 0, 0};     // unit direction of increasing image column
  core::Vec3 down{0, 0, -1};     // unit direction of increasing image row
  bool orthographic = false;     // parallel rays
  double fovYDeg = 30;           // perspective: vertical field of view
  double heightMm = 200;         // orthographic: image height in mm
  double widthMm = 0;            // orthographic: image width in mm; 0: square pixels
};

// A slice: pixel (x, y) shows the patient point originMm + x * columnStepMm + y * rowStepMm.
struct SlicePlane {
  core::Vec3 originMm{0, 0, 0};      // centre of the top-left pixel
  core::Vec3 columnStepMm{1, 0, 0};  // one pixel to the right
  core::Vec3 rowStepMm{0, 1, 0};     // one pixel down
};

struct View {
  enum class Kind { Volume, Slice };
  Kind kind = Kind::Volume;  // which of the two below is drawn
  Camera camera;             // Kind::Volume
  SlicePlane slice;          // Kind::Slice
};

// Keeps the half-space dot(normal, p) <= offsetMm.
struct ClipPlane {
  core::Vec3 normal{0, 0, 1};  // unit normal (LPS) pointing at the part that is cut away
  double offsetMm = 0;         // plane position along normal
};

// Keeps what lies inside an LPS-aligned box.
struct ClipBox {
  bool enabled = false;       // off: the whole volume
  core::Vec3 minMm{0, 0, 0};  // corner with the smallest L, P, S
  core::Vec3 maxMm{0, 0, 0};  // corner with the largest L, P, S
};

struct Shading {
  bool enabled = true;      // off: unlit colours
  float ambient = 0.3f;     // light that reaches every sample
  float diffuse = 0.7f;     // Lambert term of the headlight
  float specular = 0.25f;   // Blinn-Phong highlight strength
  float shininess = 32.0f;  // highlight exponent
};

constexpr int kMaxClipPlanes = 6;
constexpr int kMaxViews = 4;

struct VolumeDisplay {
  RenderMode mode = RenderMode::Dvr;           // what a ray computes
  TransferFunction transfer;                   // Dvr colours and opacities (data units)
  double windowWidth = 400;                    // Mip/MinIp and slices: data range mapped to grey
  double windowLevel = 40;                     // centre of that range
  double isoValue = 300;                       // Isosurface: data value of the surface
  std::array<float, 3> isoColor{0.92f, 0.86f, 0.76f};  // Isosurface colour
  Shading shading;                             // gradient shading (Dvr, Isosurface, labels)
  double stepMm = 0;                           // sample distance; 0: half the smallest spacing
  bool jitter = true;                          // random ray start against wood-grain (not MIP/MinIP)
  bool emptySpaceSkipping = true;              // leap over bricks that cannot contribute
  ClipBox clipBox;                             // optional box that keeps its inside
  std::vector<ClipPlane> clipPlanes;           // up to kMaxClipPlanes half-spaces
  bool showLabels = true;                      // composite label surfaces (Dvr, Iso, LabelsOnly)
  float labelOpacity = 1.0f;                   // multiplies every label's own opacity
  std::array<float, 3> background{0, 0, 0};    // where rays see nothing
};

struct SliceDisplay {
  bool linear = true;               // trilinear interpolation; false: nearest voxel
  float labelFillOpacity = 0.4f;    // label colour blended over the grey inside labels
  float labelOutlineOpacity = 1.0f; // label colour on the label's border pixels
};

struct FrameParams {
  std::vector<View> views;              // one per target layer, at most kMaxViews
  VolumeDisplay volume;                 // shared by the volume views
  SliceDisplay slice;                   // shared by the slice views
  const core::LabelTable* labels = nullptr;  // colours and visibility; null: the labelmap's own
  uint32_t frameIndex = 0;              // varies the jitter from frame to frame
};

}  // namespace delineo::renderer
