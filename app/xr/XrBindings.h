#pragma once
// The action set's suggested bindings: for each supported interaction profile, which input
// path of each hand drives which of Delineo's actions. Pure data (no OpenXR calls) so that the
// table is unit tested against the OpenXR specification's interaction profile paths.

#include <string>
#include <vector>

namespace delineo::app::xr {

enum class XrActionId {
  GripPose,   // pose: where the hand holds the controller
  AimPose,    // pose: the pointing ray
  Squeeze,    // float: grab
  Trigger,    // float: tool / panel click
  Thumbstick, // vector2f: brush size, label cycling (trackpad where there is no stick)
  Primary,    // boolean: A / X (accept, undo)
  Secondary,  // boolean: B / Y (discard, redo)
  Menu,       // boolean: panel on/off
  Haptic,     // vibration output
};
const char* xrActionName(XrActionId id);  // "grip_pose", ...

struct XrBinding {
  XrActionId action;
  std::string path;  // full input path, e.g. "/user/hand/right/input/trigger/value"
};

struct XrProfileBindings {
  std::string profile;  // "/interaction_profiles/oculus/touch_controller"
  std::vector<XrBinding> bindings;
};

// Every profile Delineo suggests bindings for, with both hands' bindings.
const std::vector<XrProfileBindings>& suggestedBindings();

}  // namespace delineo::app::xr
