#include "app/xr/VolumeManipulator.h"

#include <algorithm>
#include <cmath>

namespace delineo::app::xr {

namespace {
constexpr double kPi = 3.14159265358979323846;

// The head's heading only: the volume stays upright whichever way the head is tilted.
Quat yawOf(const Quat& q) {
  Vec3 f = q.rotate({0, 0, -1});
  return Quat::axisAngle({0, 1, 0}, std::atan2(-f.x, -f.z));
}
}  // namespace

VolumePlacement defaultPlacement(const core::Geometry& g, const Pose& head, double sizeM, double distanceM) {
  Vec3 lo{1e300, 1e300, 1e300}, hi{-1e300, -1e300, -1e300};
  for (int c = 0; c < 8; ++c) {
    auto d = [&](int a) { return static_cast<double>(g.dims[a]); };
    Vec3 ijk{(c & 1) ? d(0) - 0.5 : -0.5, (c & 2) ? d(1) - 0.5 : -0.5, (c & 4) ? d(2) - 0.5 : -0.5};
    Vec3 p = g.ijkToPatient(ijk);
    for (int a = 0; a < 3; ++a) lo[a] = std::min(lo[a], p[a]), hi[a] = std::max(hi[a], p[a]);
  }
  double extent = std::max({hi.x - lo.x, hi.y - lo.y, hi.z - lo.z, 1e-3});
  VolumePlacement v;
  v.centreMm = (lo + hi) * 0.5;
  v.metresPerMm = sizeM / extent;
  Quat yaw = yawOf(head.orientation);
  v.pose.position = head.position + yaw.rotate({0, -0.15, -distanceM});
  // LPS -> world: L to the viewer's right, P away from the viewer, S up.
  v.pose.orientation = (yaw * Quat::axisAngle({1, 0, 0}, -kPi / 2)).normalized();
  return v;
}

void VolumeManipulator::setPlacement(const VolumePlacement& placement) {
  mPlacement = placement;
  mGrabbing[0] = mGrabbing[1] = false;
}

void VolumeManipulator::anchor(const FrameInput& input) {
  const HandInput& l = input.hand(Hand::Left);
  const HandInput& r = input.hand(Hand::Right);
  if (mGrabbing[0] && mGrabbing[1]) {
    mMid0 = (l.grip.position + r.grip.position) * 0.5;
    mSpan0 = r.grip.position - l.grip.position;
    mStart = mPlacement;
  } else if (mGrabbing[0] || mGrabbing[1]) {
    const HandInput& h = mGrabbing[0] ? l : r;
    mInHand = h.grip.inverse() * mPlacement.pose;
  }
}

void VolumeManipulator::update(const FrameInput& input) {
  bool changed = false;
  for (int i = 0; i < 2; ++i) {
    const HandInput& h = input.hands[i];
    bool now = h.tracked && (mGrabbing[i] ? h.squeeze > mOptions.releaseAt : h.squeeze > mOptions.pressAt);
    if (now != mGrabbing[i]) changed = true;
    mGrabbing[i] = now;
  }
  if (changed) anchor(input);
  const HandInput& l = input.hand(Hand::Left);
  const HandInput& r = input.hand(Hand::Right);
  if (mGrabbing[0] && mGrabbing[1]) {
    Vec3 span = r.grip.position - l.grip.position;
    double d0 = core::length(mSpan0), d = core::length(span);
    if (d0 < 1e-4 || d < 1e-4) return;
    double factor = std::clamp(mStart.metresPerMm * d / d0, mOptions.minMetresPerMm, mOptions.maxMetresPerMm) /
                    mStart.metresPerMm;
    Quat turn = rotationBetween(mSpan0 / d0, span / d);
    Vec3 mid = (l.grip.position + r.grip.position) * 0.5;
    mPlacement.metresPerMm = mStart.metresPerMm * factor;
    mPlacement.pose.position = mid + turn.rotate(mStart.pose.position - mMid0) * factor;
    mPlacement.pose.orientation = (turn * mStart.pose.orientation).normalized();
  } else if (mGrabbing[0] || mGrabbing[1]) {
    const HandInput& h = mGrabbing[0] ? l : r;
    mPlacement.pose = h.grip * mInHand;
  }
}

}  // namespace delineo::app::xr
