#pragma once
// Picking on the CPU against the same transfer function the 3D view shows: the first point
// along a ray whose sample is visibly opaque (or lies in a visible label). Used to put the
// brush, seeds and the crosshair on the surface the user sees.

#include <optional>

#include "app/desktop/VolumeViewController.h"
#include "core/Labelmap.h"
#include "core/Volume.h"
#include "renderer/FrameParams.h"

namespace delineo::app {

struct PickOptions {
  float minOpacity = 0.05f;     // transfer-function opacity (per unit distance) that counts as visible
  bool labels = true;           // a visible label counts as a surface
  double stepMm = 0;            // sample distance; 0: half the smallest spacing
};

std::optional<core::Vec3> pickSurface(const core::Volume& volume, const core::Labelmap* labels,
                                      const renderer::VolumeDisplay& display, const Ray& ray,
                                      const PickOptions& options = {});

}  // namespace delineo::app
