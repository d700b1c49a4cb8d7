#include "app/desktop/ViewLayout.h"

#include <algorithm>

namespace delineo::app {

core::Result<LayoutKind> parseLayout(const std::string& name) {
  if (name == "four-up") return LayoutKind::FourUp;
  if (name == "3d") return LayoutKind::Volume3D;
  if (name == "axial") return LayoutKind::Axial;
  if (name == "sagittal") return LayoutKind::Sagittal;
  if (name == "coronal") return LayoutKind::Coronal;
  return core::makeError("unknown layout '" + name + "' (four-up, 3d, axial, sagittal, coronal)");
}

const char* layoutName(LayoutKind kind) {
  switch (kind) {
    case LayoutKind::FourUp: return "four-up";
    case LayoutKind::Volume3D: return "3d";
    case LayoutKind::Axial: return "axial";
    case LayoutKind::Sagittal: return "sagittal";
    case LayoutKind::Coronal: return "coronal";
  }
  return "four-up";
}

const char* viewName(ViewId view) {
  switch (view) {
    case ViewId::Volume3D: return "3D";
    case ViewId::Axial: return "Axial";
    case ViewId::Sagittal: return "Sagittal";
    case ViewId::Coronal: return "Coronal";
  }
  return "";
}

void ViewLayout::update(LayoutKind kind, int width, int height, const LayoutMargins& m) {
  mKind = kind;
  mRects = {};
  Rect area{m.left, m.top, std::max(1, width - m.left), std::max(1, height - m.top - m.bottom)};
  if (kind == LayoutKind::FourUp) {
    // 3D top left, axial top right, coronal bottom left, sagittal bottom right (ITK-SNAP's order).
    int w = std::max(1, (area.width - m.gap) / 2), h = std::max(1, (area.height - m.gap) / 2);
    mCell = {0, 0, w, h};
    mRects[int(ViewId::Volume3D)] = {area.x, area.y, w, h};
    mRects[int(ViewId::Axial)] = {area.x + w + m.gap, area.y, w, h};
    mRects[int(ViewId::Coronal)] = {area.x, area.y + h + m.gap, w, h};
    mRects[int(ViewId::Sagittal)] = {area.x + w + m.gap, area.y + h + m.gap, w, h};
    mVisible = {ViewId::Volume3D, ViewId::Axial, ViewId::Sagittal, ViewId::Coronal};
    return;
  }
  ViewId only = kind == LayoutKind::Volume3D ? ViewId::Volume3D
                : kind == LayoutKind::Axial  ? ViewId::Axial
                : kind == LayoutKind::Sagittal ? ViewId::Sagittal
                                               : ViewId::Coronal;
  mCell = {0, 0, area.width, area.height};
  mRects[int(only)] = area;
  mVisible = {only};
}

std::optional<Rect> ViewLayout::rect(ViewId view) const {
  if (std::find(mVisible.begin(), mVisible.end(), view) == mVisible.end()) return std::nullopt;
  return mRects[int(view)];
}

std::optional<ViewId> ViewLayout::viewAt(double x, double y) const {
  for (ViewId v : mVisible)
    if (mRects[int(v)].contains(x, y)) return v;
  return std::nullopt;
}

int ViewLayout::layerOf(ViewId view) const {
  auto it = std::find(mVisible.begin(), mVisible.end(), view);
  return it == mVisible.end() ? -1 : static_cast<int>(it - mVisible.begin());
}

}  // namespace delineo::app
