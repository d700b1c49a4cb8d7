#pragma once
// `delineo vr`: the immersive mode on an OpenXR headset, or the XR simulator (--simulate).

#include <string>

#include <CLI/CLI.hpp>

namespace delineo::app {

struct VrOptions {
  std::string input;       // study (default: the bundled sample)
  std::string labels;      // labelmap to edit
  bool simulate = false;   // no headset: simulated head and hands
  std::string script;      // --input: scripted head/hand input (simulator)
  int frames = 0;          // stop after N frames
  std::string screenshot;  // PNG of the left eye after the last frame
  bool mirror = false;     // desktop window showing the left eye
  std::string eyeSize;     // simulator only: per-eye size WxH (a headset refuses it)
  bool validate = false;   // Vulkan validation layer (exit 3 on any message)
  bool timing = false;     // print the stereo frame time (headset: work and runtime period)
  bool adaptive = false;   // simulator: adaptive quality (the headset always adapts)
  int gpu = -1;            // simulator only: device index (a headset's runtime picks; refused)
  std::string annotator;   // recorded with every edit
  std::string sample = "ct";
};

void addVrCommand(CLI::App& cli, VrOptions& options);
int runVr(const VrOptions& options);

}  // namespace delineo::app
