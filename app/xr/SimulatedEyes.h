#pragma once
// The simulated headset's eyes: 64 mm apart, each with the slightly asymmetric field of view
// of a typical headset (wider towards the temple), so the simulator exercises the same
// asymmetric-frustum path as a real runtime.

#include <array>
#include <cmath>

#include "app/xr/XrScene.h"

namespace delineo::app::xr {

inline std::array<EyeView, 2> simulatedEyes(const Pose& head) {
  constexpr double kDeg = 3.14159265358979323846 / 180;
  std::array<EyeView, 2> eyes;
  for (int e = 0; e < 2; ++e) {
    double side = e == 0 ? -1 : 1;
    eyes[e].pose.position = head.apply({side * 0.032, 0, 0});
    eyes[e].pose.orientation = head.orientation;
    double outer = std::tan(50 * kDeg), inner = std::tan(42 * kDeg);
    eyes[e].tanLeft = -(e == 0 ? outer : inner);
    eyes[e].tanRight = e == 0 ? inner : outer;
    eyes[e].tanUp = std::tan(44 * kDeg);
    eyes[e].tanDown = -std::tan(48 * kDeg);
  }
  return eyes;
}

}  // namespace delineo::app::xr
