// DesktopApp, part 2: what the user's input does: navigation, the tools on slices and in 3D,
// and the keyboard commands. (Split from DesktopApp.cpp to keep each file readable.)

#include <cmath>
#include <cstdio>

#include "app/StepText.h"
#include "app/desktop/DesktopApp.h"
#include "app/desktop/Picking.h"

namespace delineo::app {

namespace {

bool isBrush(ToolKind tool) {
  return tool == ToolKind::Brush || tool == ToolKind::Erase || tool == ToolKind::ThresholdBrush;
}
}  // namespace

void DesktopApp::handle(const InputAction& a) {
  if (!mSession) return;
  using Kind = InputAction::Kind;
  switch (a.kind) {
    case Kind::PrimaryPress:
    case Kind::PrimaryDrag:
    case Kind::PrimaryRelease: handlePrimary(a); break;
    case Kind::Hover: break;
    case Kind::Pan:
      if (!a.view) break;
      if (*a.view == ViewId::Volume3D) mViews.volume().pan(a.dx, a.dy);
      else mViews.slice(*a.view).pan(a.dx, a.dy);
      break;
    case Kind::Secondary:
      if (!a.view) break;
      if (*a.view == ViewId::Volume3D) {
        mViews.volume().zoom(std::exp(-a.dy * 0.01));
      } else {
        // Window/level drag: right widens the window, down raises the level (ITK-SNAP's sense).
        mState.display.windowWidth = std::max(1.0, mState.display.windowWidth + a.dx * 2);
        mState.display.windowLevel += a.dy * 2;
      }
      break;
    case Kind::Scroll:
      if (!a.view) break;
      if (*a.view == ViewId::Volume3D) {
        mViews.volume().zoom(std::pow(1.1, a.dy));
      } else if (a.ctrl) {
        mViews.slice(*a.view).zoom(std::pow(1.1, a.dy), a.x, a.y);
      } else {
        const SliceViewController& s = mViews.slice(*a.view);
        mState.crosshairMm = mState.crosshairMm + s.normal() * (a.dy * s.sliceSpacingMm());
      }
      break;
    case Kind::Command: handleCommand(a); break;
  }
}

void DesktopApp::handlePrimary(const InputAction& a) {
  using Kind = InputAction::Kind;
  if (!a.view || !mEdits) return;
  const ToolKind tool = mState.tools.tool;
  const bool in3d = *a.view == ViewId::Volume3D;
  if (a.kind == Kind::PrimaryRelease) {
    mPrimaryNavigates = false;
    if (mEdits->stroking()) {
      auto name = mEdits->endStroke();
      mEdits->setMessage(name ? (name->empty() ? "The stroke changed nothing" : "Committed: " + *name)
                              : "Brush: " + name.message());
    }
    return;
  }
  if (a.kind == Kind::PrimaryPress) {
    mPrimaryNavigates = false;
    std::optional<core::Vec3> point;
    if (in3d) {
      if (tool != ToolKind::Navigate && tool != ToolKind::Contour && tool != ToolKind::Scissors)
        point = pickSurface(mSession->volume(), &mSession->labelmap(), mState.display, mViews.volume().ray(a.x, a.y));
    } else {
      point = mViews.slicePoint(*a.view, a.x, a.y);
    }
    if (in3d && tool == ToolKind::Scissors) {
      mOutline.emplace_back(a.x, a.y);
      return;
    }
    if (tool == ToolKind::Navigate || !point || (in3d && tool == ToolKind::Contour) || mEdits->busy()) {
      mPrimaryNavigates = true;
      if (!in3d && point) mState.crosshairMm = *point;
      if (in3d && point) mState.crosshairMm = *point;
      return;
    }
    if (isBrush(tool)) {
      std::optional<core::Vec3> normal;
      if (!in3d && !mState.tools.brushSphereOnSlices) normal = mViews.slice(*a.view).normal();
      mEdits->beginStroke(*point, mState.tools, normal);
    } else if (tool == ToolKind::Grow) {
      mEdits->growFromSeed(*point, mState.tools);
    } else if (tool == ToolKind::Contour) {
      if (mContourView != a.view) mContour.clear();
      mContourView = a.view;
      mContour.push_back(*point);
    }
    return;
  }
  // PrimaryDrag
  if (mPrimaryNavigates) {
    if (in3d) mViews.volume().orbit(a.dx, a.dy);
    else if (auto p = mViews.slicePoint(*a.view, a.x, a.y)) mState.crosshairMm = *p;
    return;
  }
  if (mEdits->stroking()) {
    std::optional<core::Vec3> point =
        in3d ? pickSurface(mSession->volume(), &mSession->labelmap(), mState.display, mViews.volume().ray(a.x, a.y))
             : mViews.slicePoint(*a.view, a.x, a.y);
    if (point) mEdits->continueStroke(*point);
  }
}

void DesktopApp::handleCommand(const InputAction& a) {
  if (!mEdits) return;
  auto report = [this](const core::Result<bool>& r, const char* what) {
    if (!r) mEdits->setMessage(std::string(what) + ": " + r.message());
    else mEdits->setMessage(*r ? std::string(what) : std::string("Nothing to ") + what);
  };
  switch (a.command) {
    case Command::Undo: report(mEdits->undo(), "Undo"); break;
    case Command::Redo: report(mEdits->redo(), "Redo"); break;
    case Command::Save: mEdits->save(); break;
    case Command::Screenshot: mScreenshotRequested = true; break;
    case Command::SelectLabel: {
      const auto& labels = mSession->labelmap().labels().labels();
      if (a.value >= 1 && size_t(a.value) <= labels.size()) mState.tools.label = labels[size_t(a.value - 1)].id;
      break;
    }
    case Command::BrushSmaller: mState.tools.brushRadiusMm = std::max(0.5, mState.tools.brushRadiusMm / 1.25); break;
    case Command::BrushBigger: mState.tools.brushRadiusMm = std::min(100.0, mState.tools.brushRadiusMm * 1.25); break;
    case Command::SetTool:
      mState.tools.tool = static_cast<ToolKind>(a.value);
      mContour.clear();
      mOutline.clear();
      break;
    case Command::ResetView:
      if (!a.view || *a.view == ViewId::Volume3D) mViews.volume().reset();
      for (ViewId v : {ViewId::Axial, ViewId::Sagittal, ViewId::Coronal})
        if (!a.view || *a.view == v) mViews.slice(v).reset();
      break;
    case Command::CycleLayout:
      if (mState.layout != LayoutKind::FourUp) mState.layout = LayoutKind::FourUp;
      else if (a.view)
        mState.layout = *a.view == ViewId::Volume3D ? LayoutKind::Volume3D
                        : *a.view == ViewId::Axial  ? LayoutKind::Axial
                        : *a.view == ViewId::Sagittal ? LayoutKind::Sagittal
                                                      : LayoutKind::Coronal;
      break;
    case Command::SliceUp:
    case Command::SliceDown: {
      ViewId v = a.view && *a.view != ViewId::Volume3D ? *a.view : ViewId::Axial;
      const SliceViewController& s = mViews.slice(v);
      double dir = a.command == Command::SliceUp ? 1 : -1;
      mState.crosshairMm = mState.crosshairMm + s.normal() * (dir * s.sliceSpacingMm());
      break;
    }
    case Command::Accept:
      if (mEdits->previewing()) {
        auto r = mEdits->acceptPreview();
        if (!r) mEdits->setMessage("Grow: " + r.message());
      } else if (mContour.size() >= 3) {
        nlohmann::json op{{"tool", "contour"}, {"label", mState.tools.label}, {"points_mm", nlohmann::json::array()}};
        for (const auto& p : mContour) op["points_mm"].push_back(jsonVec(p));
        auto r = mEdits->apply(op);
        mEdits->setMessage(r ? "Committed: " + *r : "Contour: " + r.message());
        mContour.clear();
      } else if (mOutline.size() >= 3) {
        const auto& cam = mViews.volume().camera();
        double depth = core::length(mState.crosshairMm - cam.eyeMm);
        nlohmann::json op{{"tool", "scissors"}, {"label", mState.tools.label}, {"side", "inside"},
                          {"erase", mState.tools.scissorsErase}, {"points_mm", nlohmann::json::array()}};
        if (cam.orthographic) {
          op["projection"] = "orthographic";
          op["direction"] = jsonVec(cam.forward);
        } else {
          op["projection"] = "perspective";
          op["eye_mm"] = jsonVec(cam.eyeMm);
        }
        for (auto [x, y] : mOutline) {
          Ray r = mViews.volume().ray(x, y);
          op["points_mm"].push_back(jsonVec(r.originMm + r.direction * depth));
        }
        auto r = mEdits->apply(op);
        mEdits->setMessage(r ? "Committed: " + *r : "Scissors: " + r.message());
        mOutline.clear();
      }
      break;
    case Command::Discard:
      if (mEdits->previewing()) mEdits->discardPreview();
      else if (mJob.busy()) mJob.cancel();
      mContour.clear();
      mOutline.clear();
      break;
  }
}

void DesktopApp::updateHover() {
  mOverlay = OverlayInput{};
  mOverlay.polygonMm = mContour;
  mOverlay.polygonView = mContourView;
  mOverlay.outlinePx = mOutline;
  mStatusHover.clear();
  if (!mSession || mJob.busy()) return;
  auto view = mInput->hoverView();
  if (!view) return;
  auto rect = mViews.layout().rect(*view);
  if (!rect) return;
  double x = mInput->cursorX() - rect->x, y = mInput->cursorY() - rect->y;
  std::optional<core::Vec3> p;
  if (*view == ViewId::Volume3D)
    p = pickSurface(mSession->volume(), &mSession->labelmap(), mState.display, mViews.volume().ray(x, y));
  else
    p = mViews.slicePoint(*view, x, y);
  mOverlay.hoverView = view;
  mOverlay.cursorMm = p;
  if (isBrush(mState.tools.tool)) mOverlay.brushRadiusMm = mState.tools.brushRadiusMm;
  if (!p) return;
  const core::Geometry& g = mSession->volume().geometry();
  core::Vec3 ijk = g.patientToIjk(*p);
  auto i = std::llround(ijk.x), j = std::llround(ijk.y), k = std::llround(ijk.z);
  char text[256];
  if (!g.contains(i, j, k)) {
    std::snprintf(text, sizeof(text), "%.1f, %.1f, %.1f mm (LPS)   outside the volume", p->x, p->y, p->z);
    mStatusHover = text;
    return;
  }
  double value = mSession->volume().valueAt(i, j, k);
  std::uint8_t id = mSession->labelmap().at(i, j, k);
  const core::Label* label = mSession->labelmap().labels().find(id);
  std::string labelText = id == 0 ? "background" : (label ? label->name : "label " + std::to_string(id));
  bool ct = mSession->volume().modality == "CT";
  std::snprintf(text, sizeof(text), "%.1f, %.1f, %.1f mm (LPS)   ijk %lld, %lld, %lld   %s %.0f%s   %s", p->x, p->y,
                p->z, static_cast<long long>(i), static_cast<long long>(j), static_cast<long long>(k),
                ct ? "" : "value", value, ct ? " HU" : "", labelText.c_str());
  mStatusHover = text;
}

}  // namespace delineo::app
