#pragma once
// Views: the layout and the four view controllers (3D, axial, sagittal, coronal) together:
// the views of a frame in layer order, where a view pixel lies in the patient, the overlays
// the renderer draws into them with depth (crosshair, brush cursor, contour, scissors outline)
// and the view names ImGui writes over them.

#include <array>
#include <optional>
#include <vector>

#include "app/desktop/SliceViewController.h"
#include "app/desktop/ViewLayout.h"
#include "app/desktop/ViewerState.h"
#include "app/desktop/VolumeViewController.h"
#include "core/Volume.h"
#include "renderer/FrameParams.h"

struct ImDrawList;

namespace delineo::app {

// What the overlays show besides the crosshair.
struct OverlayInput {
  std::optional<ViewId> hoverView;           // view under the pointer
  std::optional<core::Vec3> cursorMm;        // brush centre under the pointer (slice point or 3D hit)
  double brushRadiusMm = 0;                  // 0: no brush cursor
  std::vector<core::Vec3> polygonMm;         // contour points being placed (slice)
  std::optional<ViewId> polygonView;
  std::vector<std::pair<double, double>> outlinePx;  // scissors outline in 3D view pixels
};

class Views {
 public:
  Views();

  ViewLayout& layout() { return mLayout; }
  const ViewLayout& layout() const { return mLayout; }
  SliceViewController& slice(ViewId view);
  const SliceViewController& slice(ViewId view) const;
  VolumeViewController& volume() { return mVolume; }
  const VolumeViewController& volume() const { return mVolume; }

  // Updates every visible view for this frame and returns them in layer order.
  std::vector<renderer::View> frameViews(const core::Geometry& geometry, const ViewerState& state);
  // The patient point under view pixel (x, y) of a slice view (nullopt for the 3D view).
  std::optional<core::Vec3> slicePoint(ViewId view, double x, double y) const;

  // The frame's overlays for the views frameViews() returned (call it after that).
  renderer::Overlays overlays(const ViewerState& state, const OverlayInput& input) const;
  // Names and slice numbers in the corner of each view (text stays with ImGui).
  void drawViewNames(ImDrawList* draw) const;

 private:
  ViewLayout mLayout;
  std::array<SliceViewController, 3> mSlices;
  VolumeViewController mVolume;
};

}  // namespace delineo::app
