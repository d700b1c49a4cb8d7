#pragma once
// TransferFunction: piecewise-linear colour and opacity over data values (HU for CT), the
// form the presets in assets/presets/*.json take. Opacity is per opacityUnitDistanceMm of ray,
// so a picture does not change with the sampling step; bake() corrects it for the step.

#include <array>
#include <string>
#include <vector>

#include "core/Result.h"

namespace delineo::renderer {

struct ColorPoint {
  double value = 0;                   // data units (HU for CT)
  std::array<float, 3> rgb{1, 1, 1};  // linear 0..1
  friend bool operator==(const ColorPoint&, const ColorPoint&) = default;
};

struct OpacityPoint {
  double value = 0;   // data units
  float opacity = 0;  // 0..1 per opacityUnitDistanceMm of ray
  friend bool operator==(const OpacityPoint&, const OpacityPoint&) = default;
};

struct TransferFunction {
  std::string name;                     // preset name, e.g. "ct-bone"
  std::vector<ColorPoint> colors;       // sorted by value; constant beyond the ends
  std::vector<OpacityPoint> opacities;  // sorted by value; constant beyond the ends
  double opacityUnitDistanceMm = 1.0;   // ray length the opacities refer to
  double windowWidth = 400;             // default window for MIP, MinIP and slices
  double windowLevel = 40;              // default level
  double isoValue = 300;                // default isosurface value

  // Colour and opacity at a data value (opacity per unit distance, not step-corrected).
  std::array<float, 4> evaluate(double value) const;
  // The value range the points span (both lists).
  std::pair<double, double> domain() const;

  // RGBA table of `size` entries over domain(), opacity corrected for `stepMm`. Entry e holds
  // the value domain.first + e * (domain.second - domain.first) / (size - 1).
  std::vector<std::array<float, 4>> bake(int size, double stepMm) const;

  friend bool operator==(const TransferFunction&, const TransferFunction&) = default;
};

// Parses a preset (see assets/presets/README.md for the format); the error names the file.
core::Result<TransferFunction> loadTransferFunction(const std::string& path);

// Where presets are looked up: $DELINEO_PRESETS_DIR when set, else the source tree's
// assets/presets (compiled in).
std::string presetsDirectory();
// The preset called `name` ("ct-bone") from presetsDirectory(); the error lists the names.
core::Result<TransferFunction> loadPreset(const std::string& name);
std::vector<std::string> presetNames();

}  // namespace delineo::renderer
