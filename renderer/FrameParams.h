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
  // Asymmetric perspective frustum (a headset eye, OpenXR's XrFovf): tangents of the angles
  // from `forward` to the image's left, right, top and bottom edges (left and down negative).
  // Used instead of fovYDeg when tanRight > tanLeft and tanUp > tanDown.
  double tanLeft = 0, tanRight = 0, tanUp = 0, tanDown = 0;
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

// Overlays: geometry drawn over the views after the volume, in patient LPS millimetres. In a
// volume view each is hidden where the volume's depth output is nearer (the surface in front
// of it); in a slice view only what lies within sliceThicknessMm of the plane shows, and a
// sphere shows as the outline of its cross-section (the brush disk). Every item has a viewMask:
// bit i draws it in FrameParams::views[i]. Drawn in the order meshes, spheres, polylines, lines.
using Rgba = std::array<float, 4>;  // straight (not premultiplied) colour and opacity, 0..1

struct OverlaySphere {
  core::Vec3 centreMm{0, 0, 0};          // centre (the brush cursor: the picked point)
  double radiusMm = 5;                   // its true size
  Rgba color{1.0f, 0.85f, 0.2f, 0.45f};  // shaded with a headlight; the rim is drawn denser
  uint32_t viewMask = ~0u;               // views that draw it
};

struct OverlayPolyline {
  std::vector<core::Vec3> pointsMm;  // vertices in order (a contour: points in its slice plane)
  bool closed = false;               // also joins the last point to the first
  Rgba color{1, 1, 0, 1};            // line colour
  float widthPx = 2;                 // line width in pixels, anti-aliased
  uint32_t viewMask = ~0u;           // views that draw it
};

struct OverlayLine {
  core::Vec3 fromMm{0, 0, 0};  // one end (a controller ray: the controller's tip)
  core::Vec3 toMm{0, 0, 0};    // other end
  Rgba color{1, 1, 1, 1};      // line colour
  float widthPx = 2;           // line width in pixels, anti-aliased
  uint32_t viewMask = ~0u;     // views that draw it
};

struct OverlayMesh {
  std::vector<core::Vec3> verticesMm;  // vertex positions
  std::vector<uint32_t> indices;       // three per triangle, into verticesMm
  Rgba color{0.7f, 0.7f, 0.75f, 1};    // flat colour, lit by the headlight; opaque meshes hide
                                       // the overlays drawn after them and enter the depth output
  uint32_t viewMask = ~0u;             // views that draw it (volume views only)
};

struct Overlays {
  std::vector<OverlayMesh> meshes;          // controller models, clip-plane quads
  std::vector<OverlaySphere> spheres;       // the brush cursor
  std::vector<OverlayPolyline> polylines;   // contours, scissors outlines
  std::vector<OverlayLine> lines;           // controller rays, crosshair
  float occludedOpacity = 0;                // opacity kept by parts behind the volume (x-ray)
  double sliceThicknessMm = 0.5;            // slice views: distance from the plane still drawn
  bool empty() const { return meshes.empty() && spheres.empty() && polylines.empty() && lines.empty(); }
};

struct FrameParams {
  std::vector<View> views;              // one per target layer, at most kMaxViews
  VolumeDisplay volume;                 // shared by the volume views
  SliceDisplay slice;                   // shared by the slice views
  const core::LabelTable* labels = nullptr;  // colours and visibility; null: the labelmap's own
  uint32_t frameIndex = 0;              // varies the jitter from frame to frame
  Overlays overlays;                    // drawn after the volume and slices, with depth
};

}  // namespace delineo::renderer
