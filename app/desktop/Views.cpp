#include "app/desktop/Views.h"

#include <cmath>

#include <imgui.h>

namespace delineo::app {

namespace {

constexpr double kOutlineDepthMm = 10;  // where scissors outline points sit along their rays

int sliceSlot(ViewId view) {
  return view == ViewId::Axial ? 0 : view == ViewId::Sagittal ? 1 : 2;
}

// Crosshair colours per slice orientation (ITK-SNAP-like: axial red, sagittal green, coronal blue).
ImU32 orientationColor(ViewId view, int alpha = 200) {
  switch (view) {
    case ViewId::Axial: return IM_COL32(230, 70, 70, alpha);
    case ViewId::Sagittal: return IM_COL32(90, 210, 90, alpha);
    case ViewId::Coronal: return IM_COL32(90, 140, 240, alpha);
    default: return IM_COL32(230, 230, 80, alpha);
  }
}

}  // namespace

Views::Views()
    : mSlices{SliceViewController(renderer::SliceOrientation::Axial),
              SliceViewController(renderer::SliceOrientation::Sagittal),
              SliceViewController(renderer::SliceOrientation::Coronal)} {}

SliceViewController& Views::slice(ViewId view) { return mSlices[sliceSlot(view)]; }
const SliceViewController& Views::slice(ViewId view) const { return mSlices[sliceSlot(view)]; }

std::vector<renderer::View> Views::frameViews(const core::Geometry& geometry, const ViewerState& state) {
  std::vector<renderer::View> views;
  const int w = mLayout.viewWidth(), h = mLayout.viewHeight();
  for (ViewId id : mLayout.visible()) {
    renderer::View v;
    if (id == ViewId::Volume3D) {
      v.kind = renderer::View::Kind::Volume;
      v.camera = mVolume.update(geometry, w, h);
    } else {
      v.kind = renderer::View::Kind::Slice;
      v.slice = slice(id).update(geometry, state.crosshairMm, w, h);
    }
    views.push_back(v);
  }
  return views;
}

std::optional<core::Vec3> Views::slicePoint(ViewId view, double x, double y) const {
  if (view == ViewId::Volume3D) return std::nullopt;
  return slice(view).pixelToMm(x, y);
}

renderer::Overlays Views::overlays(const ViewerState& state, const OverlayInput& input) const {
  renderer::Overlays out;
  auto rgba = [](ImU32 c) {
    ImVec4 v = ImGui::ColorConvertU32ToFloat4(c);
    return renderer::Rgba{v.x, v.y, v.z, v.w};
  };
  const renderer::Rgba brushColor{1.0f, 0.85f, 0.1f, 0.4f};
  const renderer::Rgba contourColor{1.0f, 0.78f, 0.0f, 1.0f};
  for (ViewId id : mLayout.visible()) {
    const uint32_t mask = 1u << mLayout.layerOf(id);
    const bool hovered = input.hoverView == id;
    if (id != ViewId::Volume3D) {
      const SliceViewController& s = slice(id);
      const double w = mLayout.viewWidth(), h = mLayout.viewHeight();
      if (state.showCrosshair) {
        auto [cx, cy] = s.mmToPixel(state.crosshairMm);
        // Each line has the colour of the other view whose plane it is.
        ViewId vertical = id == ViewId::Sagittal ? ViewId::Coronal : ViewId::Sagittal;
        ViewId horizontal = id == ViewId::Axial ? ViewId::Coronal : ViewId::Axial;
        out.lines.push_back({s.pixelToMm(cx, 0), s.pixelToMm(cx, h), rgba(orientationColor(vertical, 150)), 1, mask});
        out.lines.push_back({s.pixelToMm(0, cy), s.pixelToMm(w, cy), rgba(orientationColor(horizontal, 150)), 1, mask});
      }
      // The brush disk: the cross-section of the brush sphere with this slice.
      if (input.cursorMm && hovered && input.brushRadiusMm > 0)
        out.spheres.push_back({*input.cursorMm, input.brushRadiusMm, brushColor, mask});
      if (input.polygonView == id && !input.polygonMm.empty()) {
        out.polylines.push_back({input.polygonMm, false, contourColor, 1.5f, mask});
        for (const auto& p : input.polygonMm)
          out.spheres.push_back({p, 3 * s.mmPerPixel(), {contourColor[0], contourColor[1], contourColor[2], 1}, mask});
      }
    } else {
      // The brush as the sphere it paints, centred where the picking ray met the surface.
      if (input.cursorMm && hovered && input.brushRadiusMm > 0)
        out.spheres.push_back({*input.cursorMm, input.brushRadiusMm, brushColor, mask});
      if (!input.outlinePx.empty()) {
        // The scissors outline lies on the screen: points just in front of the eye (or the
        // orthographic image plane) project back onto the pixels it was drawn on.
        renderer::OverlayPolyline outline{{}, false, {1.0f, 0.47f, 0.0f, 1.0f}, 1.5f, mask};
        for (auto [x, y] : input.outlinePx) {
          Ray r = mVolume.ray(x, y);
          outline.pointsMm.push_back(r.originMm + r.direction * kOutlineDepthMm);
        }
        out.polylines.push_back(std::move(outline));
      }
    }
  }
  return out;
}

void Views::drawViewNames(ImDrawList* draw) const {
  for (ViewId id : mLayout.visible()) {
    auto r = mLayout.rect(id);
    if (!r) continue;
    ImVec2 at(float(r->x + 6), float(r->y + 4));
    if (id == ViewId::Volume3D) {
      draw->AddText(at, orientationColor(id, 255), "3D");
      continue;
    }
    const SliceViewController& s = slice(id);
    char text[96];
    std::snprintf(text, sizeof(text), "%s  %lld/%lld", viewName(id), static_cast<long long>(s.sliceIndex() + 1),
                  static_cast<long long>(s.sliceCount()));
    draw->AddText(at, orientationColor(id, 255), text);
  }
}

}  // namespace delineo::app
