#include "app/xr/XrInteraction.h"

#include <algorithm>
#include <cmath>

namespace delineo::app::xr {

const char* xrToolName(XrTool tool) {
  switch (tool) {
    case XrTool::Brush: return "Brush";
    case XrTool::Erase: return "Erase";
    case XrTool::Grow: return "Grow";
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
  int t = (static_cast<int>(mSettings.tool) + direction + 3) % 3;
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
  if (!tool.tracked) {
    // A hand that loses tracking ends what it was doing; the stroke so far is kept.
    if (mStroking) out.push_back({XrCommand::Kind::StrokeEnd});
    if (mPanelPressed) out.push_back({XrCommand::Kind::PanelPointer, {}, 0, 0, false});
    mStroking = mPanelPressed = false;
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
  if (panel && mPanelVisible && !mStroking) hit = hitPanel(*panel, tool.aim);

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
  if (mSettings.tool == XrTool::Grow) {
    if (pressedNow) out.push_back({XrCommand::Kind::GrowSeed, tipMm});
    return out;
  }
  if (pressedNow) {
    mStroking = true;
    mLastTipMm = tipMm;
    out.push_back({XrCommand::Kind::StrokeBegin, tipMm});
  } else if (mStroking && te.trigger) {
    if (core::length(tipMm - mLastTipMm) > 1e-6) {
      out.push_back({XrCommand::Kind::StrokeTo, tipMm});
      mLastTipMm = tipMm;
    }
  } else if (mStroking && released) {
    mStroking = false;
    out.push_back({XrCommand::Kind::StrokeEnd});
  }
  return out;
}

}  // namespace delineo::app::xr
