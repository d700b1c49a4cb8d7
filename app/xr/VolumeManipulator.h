#pragma once
// VolumeManipulator: grab, move, turn and scale the floating volume with the controllers'
// grips. One squeezing hand carries the volume rigidly; with both squeezing, the volume turns
// with the line between the hands and scales with their distance, about their midpoint. Pure
// logic over poses: the same for OpenXR and the simulator, and unit tested.

#include <optional>

#include "app/xr/XrInput.h"
#include "app/xr/XrMath.h"
#include "core/Geometry.h"

namespace delineo::app::xr {

struct ManipulatorOptions {
  double pressAt = 0.6;               // squeeze above this starts a grab
  double releaseAt = 0.4;             // squeeze below this ends it (hysteresis against flicker)
  double minMetresPerMm = 0.0001;     // smallest scale: a 300 mm head becomes 3 cm
  double maxMetresPerMm = 0.01;       // largest: ten times life size
};

// The volume in front of the viewer at a comfortable size: its largest extent `sizeM` wide,
// `distanceM` ahead of the head and a little below eye level, anterior side facing the viewer,
// superior up (the anterior view of the desktop viewer).
VolumePlacement defaultPlacement(const core::Geometry& geometry, const Pose& head, double sizeM = 0.4,
                                 double distanceM = 0.55);

class VolumeManipulator {
 public:
  explicit VolumeManipulator(VolumePlacement placement, const ManipulatorOptions& options = {})
      : mPlacement(placement), mOptions(options) {}

  // Follows the grips of this frame's input.
  void update(const FrameInput& input);
  const VolumePlacement& placement() const { return mPlacement; }
  void setPlacement(const VolumePlacement& placement);
  bool grabbing(Hand hand) const { return mGrabbing[static_cast<int>(hand)]; }

 private:
  void anchor(const FrameInput& input);

  VolumePlacement mPlacement;
  ManipulatorOptions mOptions;
  bool mGrabbing[2] = {false, false};
  // One-hand grab: the volume's pose in the grabbing hand's frame.
  Pose mInHand;
  // Two-hand grab: the hands and the placement when both closed.
  Vec3 mMid0{}, mSpan0{};
  VolumePlacement mStart;
};

}  // namespace delineo::app::xr
