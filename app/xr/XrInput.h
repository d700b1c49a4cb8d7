#pragma once
// What the XR scene reads each frame: the head and both hands as poses and button states. The
// OpenXR action set, the scripted simulator and the mouse/keyboard simulator all produce this,
// so the path from "controller pose and buttons" to "tool call" is the same for all of them.

#include <array>

#include "app/xr/XrMath.h"

namespace delineo::app::xr {

enum class Hand { Left = 0, Right = 1 };
inline Hand otherHand(Hand h) { return h == Hand::Left ? Hand::Right : Hand::Left; }

struct HandInput {
  bool tracked = false;          // poses valid this frame
  Pose grip;                     // where the hand holds the controller
  Pose aim;                      // the pointing ray: origin and -z direction
  double squeeze = 0;            // grip button, 0..1
  double trigger = 0;            // 0..1
  double thumbX = 0, thumbY = 0; // thumbstick (or trackpad), -1..1, +x right, +y up
  bool primary = false;          // A / X (lower face button), trackpad click on Vive
  bool secondary = false;        // B / Y (upper face button)
  bool menu = false;             // menu button
};

struct FrameInput {
  double timeS = 0;              // predicted display time, seconds (monotonic)
  Pose head;                     // the viewer's head (between the eyes)
  std::array<HandInput, 2> hands;  // indexed by Hand

  const HandInput& hand(Hand h) const { return hands[static_cast<int>(h)]; }
  HandInput& hand(Hand h) { return hands[static_cast<int>(h)]; }
};

}  // namespace delineo::app::xr
