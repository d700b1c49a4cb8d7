#pragma once
// XrScript: scripted head and hand input for the XR simulator (`delineo vr --simulate --input
// SCRIPT.jsonl`), one JSON object per line. Each line changes the simulated state (fields left
// out keep their values) and holds it for "frames" frames (default 1); time advances by "dt"
// seconds per frame (default 1/90). Lines starting with '#' are comments.
//   {"head": {"p": [0, 1.6, 0], "yaw_deg": 0, "pitch_deg": 0}}
//   {"right": {"p": [0.1, 1.4, -0.4], "q": [x, y, z, w], "squeeze": 1, "trigger": 0,
//              "thumb": [x, y], "a": false, "b": false, "menu": false, "tracked": true}}
//   {"left": {"point_at_panel": [u, v]}}   aims the hand's ray at that point of the panel
//   {"frames": 10}                        holds the state for 10 frames
// A hand's aim pose equals its grip pose in the simulator.

#include <optional>
#include <string>
#include <vector>

#include "app/xr/XrInput.h"
#include "core/Result.h"

namespace delineo::app::xr {

struct ScriptFrame {
  FrameInput input;
  // Per hand: aim at this panel point (u, v) instead of the given orientation.
  std::array<std::optional<std::pair<double, double>>, 2> pointAtPanel;
};

class XrScript {
 public:
  static core::Result<XrScript> load(const std::string& path);
  static core::Result<XrScript> parse(const std::string& text, const std::string& name = "script");

  // Frames in order; empty when the script is done.
  std::optional<ScriptFrame> next();
  std::size_t frameCount() const { return mFrames.size(); }

 private:
  std::vector<ScriptFrame> mFrames;
  std::size_t mNext = 0;
};

// The standing simulated viewer: head at 1.6 m, hands in front at chest height, untouched.
FrameInput defaultSimulatedInput();

}  // namespace delineo::app::xr
