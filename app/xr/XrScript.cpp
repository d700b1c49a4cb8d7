#include "app/xr/XrScript.h"

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

namespace delineo::app::xr {

namespace {

using nlohmann::json;
constexpr double kPi = 3.14159265358979323846;

core::Result<Vec3> vec3(const json& j, const char* key) {
  const json& v = j[key];
  if (!v.is_array() || v.size() != 3 || !v[0].is_number() || !v[1].is_number() || !v[2].is_number())
    return core::makeError(std::string("\"") + key + "\" must be [x, y, z]");
  return Vec3{v[0].get<double>(), v[1].get<double>(), v[2].get<double>()};
}

// Applies the pose fields of `j` ("p", "q" or "yaw_deg"/"pitch_deg"/"roll_deg") to `pose`.
core::Result<void> applyPose(const json& j, Pose& pose) {
  if (j.contains("p")) {
    auto p = vec3(j, "p");
    if (!p) return p.error();
    pose.position = *p;
  }
  if (j.contains("q")) {
    const json& q = j["q"];
    if (!q.is_array() || q.size() != 4) return core::makeError("\"q\" must be [x, y, z, w]");
    pose.orientation = Quat{q[0].get<double>(), q[1].get<double>(), q[2].get<double>(), q[3].get<double>()}.normalized();
  } else if (j.contains("yaw_deg") || j.contains("pitch_deg") || j.contains("roll_deg")) {
    double yaw = j.value("yaw_deg", 0.0), pitch = j.value("pitch_deg", 0.0), roll = j.value("roll_deg", 0.0);
    pose.orientation = (Quat::axisAngle({0, 1, 0}, yaw * kPi / 180) * Quat::axisAngle({1, 0, 0}, pitch * kPi / 180) *
                        Quat::axisAngle({0, 0, -1}, roll * kPi / 180))
                           .normalized();
  }
  return {};
}

core::Result<void> applyHand(const json& j, HandInput& h, std::optional<std::pair<double, double>>& panel) {
  if (!j.is_object()) return core::makeError("a hand must be an object");
  if (auto r = applyPose(j, h.grip); !r) return r;
  h.aim = h.grip;
  h.tracked = j.value("tracked", h.tracked);
  h.squeeze = j.value("squeeze", h.squeeze);
  h.trigger = j.value("trigger", h.trigger);
  if (j.contains("thumb")) {
    const json& t = j["thumb"];
    if (!t.is_array() || t.size() != 2) return core::makeError("\"thumb\" must be [x, y]");
    h.thumbX = t[0].get<double>();
    h.thumbY = t[1].get<double>();
  }
  h.primary = j.value("a", h.primary);
  h.secondary = j.value("b", h.secondary);
  h.menu = j.value("menu", h.menu);
  if (j.contains("point_at_panel")) {
    const json& uv = j["point_at_panel"];
    if (uv.is_null()) panel.reset();
    else if (uv.is_array() && uv.size() == 2) panel = std::pair{uv[0].get<double>(), uv[1].get<double>()};
    else return core::makeError("\"point_at_panel\" must be [u, v] or null");
  }
  return {};
}

}  // namespace

FrameInput defaultSimulatedInput() {
  FrameInput in;
  in.head.position = {0, 1.6, 0};
  for (int h = 0; h < 2; ++h) {
    HandInput& hand = in.hands[h];
    hand.tracked = true;
    hand.grip.position = {h == 0 ? -0.2 : 0.2, 1.3, -0.3};
    hand.aim = hand.grip;
  }
  return in;
}

core::Result<XrScript> XrScript::load(const std::string& path) {
  std::ifstream in(path);
  if (!in) return core::makeError("cannot read the XR input script " + path);
  std::stringstream text;
  text << in.rdbuf();
  return parse(text.str(), path);
}

core::Result<XrScript> XrScript::parse(const std::string& text, const std::string& name) {
  XrScript script;
  ScriptFrame state;
  state.input = defaultSimulatedInput();
  double dt = 1.0 / 90;
  double t = 0;
  std::istringstream lines(text);
  std::string line;
  int number = 0;
  while (std::getline(lines, line)) {
    ++number;
    auto first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos || line[first] == '#') continue;
    auto where = [&](const std::string& why) { return core::makeError(name + ":" + std::to_string(number) + ": " + why); };
    json j = json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return where("not a JSON object");
    try {
      dt = j.value("dt", dt);
      if (j.contains("head"))
        if (auto r = applyPose(j["head"], state.input.head); !r) return where(r.message());
      if (j.contains("left"))
        if (auto r = applyHand(j["left"], state.input.hands[0], state.pointAtPanel[0]); !r) return where(r.message());
      if (j.contains("right"))
        if (auto r = applyHand(j["right"], state.input.hands[1], state.pointAtPanel[1]); !r) return where(r.message());
      int frames = j.value("frames", 1);
      if (frames < 0 || frames > 100000) return where("\"frames\" must be 0..100000");
      for (int f = 0; f < frames; ++f) {
        state.input.timeS = t;
        t += dt;
        script.mFrames.push_back(state);
      }
    } catch (const json::exception& e) {
      return where(std::string("bad value: ") + e.what());
    }
  }
  return script;
}

std::optional<ScriptFrame> XrScript::next() {
  if (mNext >= mFrames.size()) return std::nullopt;
  return mFrames[mNext++];
}

}  // namespace delineo::app::xr
