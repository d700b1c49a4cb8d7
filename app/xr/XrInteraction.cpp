#include "app/xr/XrInteraction.h"

#include <algorithm>
#include <cmath>

namespace delineo::app::xr {

namespace {
constexpr double kContourMarkerM = 0.003;  // the contour tool's cursor: a 3 mm bead on the plane
}  // namespace

const char* xrToolName(XrTool tool) {
  switch (tool) {
    case XrTool::Brush: return "Brush";
    case XrTool::Erase: return "Erase";
    case XrTool::Grow: return "Grow";
    case XrTool::Contour: return "Contour";
  }
  return "?";
}

std::optional<PanelHit> hitPanel(const PanelQuad& quad, const Pose& aim) {
  Vec3 n = quad.pose.orientation.rotate({0, 0, 1});
  Vec3 d = aim.forward();
  double nd = core::dot(n, d);
  if (nd > -1e-6) return std::nullopt;  // parallel, or pointing at the back
  double t = core::dot(quad.pose.position - aim.position, n) / nd;
  if (t < 0) return std::nullopt;
  Vec3 local = quad.pose.orientation.conjugate().rotate(aim.position + d * t - quad.pose.position);
  double u = local.x / quad.widthM + 0.5, v = 0.5 - local.y / quad.heightM;
  if (u < 0 || u > 1 || v < 0 || v > 1) return std::nullopt;
  return PanelHit{u, v, t};
}

HeldPlane heldPlane(const Pose& aim) {
  return {aim.position, aim.orientation.rotate({1, 0, 0}), aim.orientation.rotate({0, 1, 0}), aim.forward()};
}

HeldPlane patientPlane(const HeldPlane& w, const VolumePlacement& placement) {
  return {placement.patientFromWorld(w.point), placement.patientDirection(w.u), placement.patientDirection(w.v),
          placement.patientDirection(w.normal)};
}

HeldPlane worldPlane(const HeldPlane& p, const VolumePlacement& placement) {
  return {placement.worldFromPatient(p.point), placement.pose.orientation.rotate(p.u),
          placement.pose.orientation.rotate(p.v), placement.pose.orientation.rotate(p.normal)};
}

Vec3 projectOntoPlane(const HeldPlane& plane, Vec3 point) {
  return point - plane.normal * core::dot(point - plane.point, plane.normal);
}

bool XrInteraction::press(bool& state, double value) {
  bool now = state ? value > mOptions.releaseAt : value > mOptions.pressAt;
  return edge(state, now);
}

// True on the frame the button goes down.
bool XrInteraction::edge(bool& state, bool now) {
  bool down = now && !state;
  state = now;
  return down;
}

void XrInteraction::cycleLabel(int direction, std::span<const std::uint8_t> labelIds) {
  if (labelIds.empty()) {
    mSettings.label = static_cast<std::uint8_t>(std::clamp(mSettings.label + direction, 1, 255));
    return;
  }
  auto it = std::find(labelIds.begin(), labelIds.end(), mSettings.label);
  std::ptrdiff_t n = static_cast<std::ptrdiff_t>(labelIds.size());
  std::ptrdiff_t i = it == labelIds.end() ? (direction > 0 ? -1 : 0) : it - labelIds.begin();
  mSettings.label = labelIds[static_cast<std::size_t>(((i + direction) % n + n) % n)];
}

void XrInteraction::cycleTool(int direction) {
  int t = (static_cast<int>(mSettings.tool) + direction + kXrToolCount) % kXrToolCount;
  mSettings.tool = static_cast<XrTool>(t);
}

std::optional<std::pair<Vec3, double>> XrInteraction::clipPlaneMm(const VolumePlacement& placement) const {
  if (!mVisuals.clipEnabled) return std::nullopt;
  Vec3 n = core::normalize(placement.patientDirection(mVisuals.clipNormalM));
  Vec3 p = placement.patientFromWorld(mVisuals.clipPointM);
  return std::pair{n, core::dot(n, p)};
}

std::vector<XrCommand> XrInteraction::update(const FrameInput& input, const VolumePlacement& placement,
                                             const PanelQuad* panel, std::span<const std::uint8_t> labelIds,
                                             bool previewing) {
  std::vector<XrCommand> out;
  double dt = mLastTimeS < 0 ? 0 : std::clamp(input.timeS - mLastTimeS, 0.0, 0.1);
  mLastTimeS = input.timeS;
  const Hand dominantHand = mSettings.dominant;
  const HandInput& tool = input.hand(dominantHand);
  const HandInput& other = input.hand(otherHand(dominantHand));
  Edges& te = mEdges[static_cast<int>(dominantHand)];
  Edges& oe = mEdges[static_cast<int>(otherHand(dominantHand))];

  // Non-dominant hand: undo, redo, clip plane, panel.
  if (other.tracked) {
    if (edge(oe.primary, other.primary)) out.push_back({XrCommand::Kind::Undo});
    if (edge(oe.secondary, other.secondary)) out.push_back({XrCommand::Kind::Redo});
    if (press(oe.trigger, other.trigger)) mClip = !mClip;
  }
  if (edge(oe.menu, other.menu && other.tracked) || edge(te.menu, tool.menu && tool.tracked))
    mPanelVisible = !mPanelVisible;
  mVisuals.clipEnabled = mClip && other.tracked;
  if (other.tracked) {
    mVisuals.clipPointM = other.aim.position;
    mVisuals.clipNormalM = other.aim.forward();
  }

  mVisuals.cursorVisible = false;
  mVisuals.rayVisible = false;
  mVisuals.projectionVisible = false;
  // The contour tool's plane: the one drawn on while drawing, else the one in the other hand.
  mVisuals.contourPlaneVisible = mContouring || (mSettings.tool == XrTool::Contour && other.tracked);
  if (mContouring) mVisuals.contourPlaneM = worldPlane(mContourPlaneMm, placement);
  else if (mVisuals.contourPlaneVisible) mVisuals.contourPlaneM = heldPlane(other.aim);
  if (!tool.tracked) {
    // A hand that loses tracking ends what it was doing: the stroke so far is kept, a contour
    // (which would be closed where the hand happened to be) is dropped.
    if (mStroking) out.push_back({XrCommand::Kind::StrokeEnd});
    if (mContouring) out.push_back({XrCommand::Kind::ContourCancel});
    if (mPanelPressed) out.push_back({XrCommand::Kind::PanelPointer, {}, 0, 0, false});
    mStroking = mContouring = mPanelPressed = false;
    mVisuals.contourMm.clear();
    te = Edges{};
    return out;
  }

  // Thumbstick: brush size (y, continuous) and label (x, one flick per cycle).
  if (std::abs(tool.thumbY) > mOptions.deadZone) {
    double rate = std::log(2.0) / mOptions.radiusDoublingS;
    double y = (std::abs(tool.thumbY) - mOptions.deadZone) / (1 - mOptions.deadZone) * (tool.thumbY > 0 ? 1 : -1);
    mSettings.brushRadiusMm =
        std::clamp(mSettings.brushRadiusMm * std::exp(rate * y * dt), mOptions.minRadiusMm, mOptions.maxRadiusMm);
  }
  if (te.flickArmed && std::abs(tool.thumbX) > mOptions.flickAt) {
    cycleLabel(tool.thumbX > 0 ? 1 : -1, labelIds);
    te.flickArmed = false;
  } else if (std::abs(tool.thumbX) < mOptions.rearmAt) {
    te.flickArmed = true;
  }

  if (edge(te.primary, tool.primary)) {
    if (previewing) out.push_back({XrCommand::Kind::GrowAccept});
    else cycleTool(1);
  }
  if (edge(te.secondary, tool.secondary)) {
    if (previewing) out.push_back({XrCommand::Kind::GrowDiscard});
    else cycleTool(-1);
  }

  Vec3 tipM = tool.aim.apply({0, 0, -mOptions.tipOffsetM});
  Vec3 tipMm = placement.patientFromWorld(tipM);
  std::optional<PanelHit> hit;
  if (panel && mPanelVisible && !mStroking && !mContouring) hit = hitPanel(*panel, tool.aim);

  bool wasDown = te.trigger;
  bool pressedNow = press(te.trigger, tool.trigger);
  bool released = wasDown && !te.trigger;

  if (hit || mPanelPressed) {
    if (pressedNow) mPanelPressed = true;
    bool down = mPanelPressed && te.trigger;
    if (hit) out.push_back({XrCommand::Kind::PanelPointer, {}, hit->u, hit->v, down});
    else if (released) out.push_back({XrCommand::Kind::PanelPointer, {}, -1, -1, false});
    if (released) mPanelPressed = false;
    if (hit) {
      mVisuals.rayVisible = true;
      mVisuals.rayFromM = tool.aim.position;
      mVisuals.rayToM = tool.aim.position + tool.aim.forward() * hit->distanceM;
      return out;
    }
  }

  mVisuals.cursorVisible = true;
  mVisuals.tipM = tipM;
  mVisuals.cursorRadiusM = mSettings.brushRadiusMm * placement.metresPerMm;

  // What was begun goes on (or ends) whatever tool is selected meanwhile.
  if (mContouring) {
    Vec3 onPlaneMm = projectOntoPlane(mContourPlaneMm, tipMm);
    showProjection(tipM, placement.worldFromPatient(onPlaneMm));
    if (te.trigger) {
      if (core::length(onPlaneMm - mVisuals.contourMm.back()) >= mOptions.contourStepMm) {
        out.push_back({XrCommand::Kind::ContourTo, onPlaneMm});
        mVisuals.contourMm.push_back(onPlaneMm);
      }
    } else {
      mContouring = false;
      mVisuals.contourMm.clear();
      out.push_back({XrCommand::Kind::ContourEnd});
    }
    return out;
  }
  if (mStroking) {
    if (te.trigger) {
      if (core::length(tipMm - mLastTipMm) > 1e-6) {
        out.push_back({XrCommand::Kind::StrokeTo, tipMm});
        mLastTipMm = tipMm;
      }
    } else {
      mStroking = false;
      out.push_back({XrCommand::Kind::StrokeEnd});
    }
    return out;
  }

  switch (mSettings.tool) {
    case XrTool::Grow:
      if (pressedNow) out.push_back({XrCommand::Kind::GrowSeed, tipMm});
      break;
    case XrTool::Contour: {
      // Without the other hand there is no plane to draw on: the trigger does nothing.
      if (!other.tracked) {
        mVisuals.cursorRadiusM = kContourMarkerM;
        break;
      }
      HeldPlane planeMm = patientPlane(heldPlane(other.aim), placement);
      Vec3 onPlaneMm = projectOntoPlane(planeMm, tipMm);
      showProjection(tipM, placement.worldFromPatient(onPlaneMm));
      if (!pressedNow) break;
      mContouring = true;
      mContourPlaneMm = planeMm;
      mVisuals.contourMm = {onPlaneMm};
      out.push_back({XrCommand::Kind::ContourBegin, onPlaneMm});
      break;
    }
    case XrTool::Brush:
    case XrTool::Erase:
      if (!pressedNow) break;
      mStroking = true;
      mLastTipMm = tipMm;
      out.push_back({XrCommand::Kind::StrokeBegin, tipMm});
      break;
  }
  return out;
}

// The contour tool's cursor: a small marker where the tip lands on the plane, joined to the tip.
void XrInteraction::showProjection(Vec3 tipM, Vec3 onPlaneM) {
  mVisuals.tipM = onPlaneM;
  mVisuals.cursorRadiusM = kContourMarkerM;
  mVisuals.projectionVisible = true;
  mVisuals.projectionFromM = tipM;
  mVisuals.projectionToM = onPlaneM;
}

}  // namespace delineo::app::xr
