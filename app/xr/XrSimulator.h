#pragma once
// XrSimulator: the XR scene without a headset. Simulated head and hands come from a scripted
// input file (XrScript) or from the mouse and keyboard of a desktop window; both eyes are
// rendered exactly as for a headset (one dispatch, asymmetric per-eye frusta) into an
// offscreen stereo target, and a mirror window shows the left eye. Demos and tests.

#include <string>

#include "core/Result.h"

namespace delineo::app::xr {

struct SimulatorOptions {
  std::string input;          // study to open; empty: the bundled sample
  std::string sample = "ct";  // sample opened when there is no input
  std::string labels;         // labelmap to edit; empty: beside the study
  std::string script;         // scripted input (XrScript); empty: mouse and keyboard in a window
  int frames = 0;             // > 0: stop after this many frames (the script's last state held)
  std::string screenshot;     // PNG of the left eye (or the mirror window) after the last frame
  bool mirror = false;        // show the left eye in a desktop window (always with no script)
  int eyeWidth = 720;         // per-eye render size (a headset's recommended size is larger)
  int eyeHeight = 800;
  bool validate = false;      // Vulkan validation layer; any message fails the run (exit 3)
  int gpu = -1;               // device index
  std::string annotator;      // recorded with every edit
  bool adaptive = false;      // adaptive quality (off by default: scripted runs are reproducible)
  bool printTiming = false;   // print the mean frame time at exit
};

// Runs the simulator; the process exit code (0 ok, 1 error with a one-line message, 3
// validation messages).
int runSimulator(const SimulatorOptions& options);

}  // namespace delineo::app::xr
