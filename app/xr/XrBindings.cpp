#include "app/xr/XrBindings.h"

namespace delineo::app::xr {

const char* xrActionName(XrActionId id) {
  switch (id) {
    case XrActionId::GripPose: return "grip_pose";
    case XrActionId::AimPose: return "aim_pose";
    case XrActionId::Squeeze: return "squeeze";
    case XrActionId::Trigger: return "trigger";
    case XrActionId::Thumbstick: return "thumbstick";
    case XrActionId::Primary: return "primary";
    case XrActionId::Secondary: return "secondary";
    case XrActionId::Menu: return "menu";
    case XrActionId::Haptic: return "haptic";
  }
  return "?";
}

namespace {

using A = XrActionId;

// Per hand: (action, path below /user/hand/<side>); "L:" / "R:" limit an entry to one hand.
struct Entry {
  A action;
  const char* path;
};

XrProfileBindings make(const char* profile, std::initializer_list<Entry> entries) {
  XrProfileBindings p{std::string("/interaction_profiles/") + profile, {}};
  for (const char* side : {"left", "right"}) {
    for (const Entry& e : entries) {
      std::string path = e.path;
      if (path.rfind("L:", 0) == 0) {
        if (std::string(side) != "left") continue;
        path = path.substr(2);
      } else if (path.rfind("R:", 0) == 0) {
        if (std::string(side) != "right") continue;
        path = path.substr(2);
      }
      p.bindings.push_back({e.action, std::string("/user/hand/") + side + path});
    }
  }
  return p;
}

}  // namespace

const std::vector<XrProfileBindings>& suggestedBindings() {
  static const std::vector<XrProfileBindings> table = {
      // Select only: trigger paints, menu shows the panel; no grab (no squeeze on this profile).
      make("khr/simple_controller", {{A::GripPose, "/input/grip/pose"},
                                     {A::AimPose, "/input/aim/pose"},
                                     {A::Trigger, "/input/select/click"},
                                     {A::Menu, "/input/menu/click"},
                                     {A::Haptic, "/output/haptic"}}),
      make("oculus/touch_controller", {{A::GripPose, "/input/grip/pose"},
                                       {A::AimPose, "/input/aim/pose"},
                                       {A::Squeeze, "/input/squeeze/value"},
                                       {A::Trigger, "/input/trigger/value"},
                                       {A::Thumbstick, "/input/thumbstick"},
                                       {A::Primary, "L:/input/x/click"},
                                       {A::Secondary, "L:/input/y/click"},
                                       {A::Menu, "L:/input/menu/click"},
                                       {A::Primary, "R:/input/a/click"},
                                       {A::Secondary, "R:/input/b/click"},
                                       {A::Haptic, "/output/haptic"}}),
      make("valve/index_controller", {{A::GripPose, "/input/grip/pose"},
                                      {A::AimPose, "/input/aim/pose"},
                                      {A::Squeeze, "/input/squeeze/value"},
                                      {A::Trigger, "/input/trigger/value"},
                                      {A::Thumbstick, "/input/thumbstick"},
                                      {A::Primary, "/input/a/click"},
                                      {A::Secondary, "/input/b/click"},
                                      {A::Menu, "/input/thumbstick/click"},
                                      {A::Haptic, "/output/haptic"}}),
      // The trackpad stands in for the thumbstick; its click is the primary button.
      make("htc/vive_controller", {{A::GripPose, "/input/grip/pose"},
                                   {A::AimPose, "/input/aim/pose"},
                                   {A::Squeeze, "/input/squeeze/click"},
                                   {A::Trigger, "/input/trigger/value"},
                                   {A::Thumbstick, "/input/trackpad"},
                                   {A::Primary, "/input/trackpad/click"},
                                   {A::Menu, "/input/menu/click"},
                                   {A::Haptic, "/output/haptic"}}),
      make("microsoft/motion_controller", {{A::GripPose, "/input/grip/pose"},
                                           {A::AimPose, "/input/aim/pose"},
                                           {A::Squeeze, "/input/squeeze/click"},
                                           {A::Trigger, "/input/trigger/value"},
                                           {A::Thumbstick, "/input/thumbstick"},
                                           {A::Primary, "/input/trackpad/click"},
                                           {A::Secondary, "/input/thumbstick/click"},
                                           {A::Menu, "/input/menu/click"},
                                           {A::Haptic, "/output/haptic"}}),
  };
  return table;
}

}  // namespace delineo::app::xr
