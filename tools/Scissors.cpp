#include "tools/Scissors.h"

#include <cmath>

#include "tools/PlanarPolygon.h"

namespace delineo::tools {

core::Result<std::int64_t> applyScissors(LabelEdit& edit, const ScissorsParams& params) {
  using core::makeError;
  if (!params.erase && params.label == 0) return makeError("choose a label (1..255) for the scissors to fill");
  // A drawn outline is planar by construction; allow for rounding in the caller's unprojection.
  auto polygon = PlanarPolygon::fromPoints(params.polygonMm, 1e-3);
  if (!polygon) return polygon.error();
  const core::Vec3 n = polygon->normal();
  const core::Vec3 c = polygon->centroidMm();
  const bool ortho = params.projection == ScissorsParams::Projection::Orthographic;
  const core::Vec3 dir = core::normalize(params.directionMm);
  if (ortho) {
    if (core::length(params.directionMm) < 1e-12 || std::abs(core::dot(dir, n)) < 1e-6)
      return makeError("the scissors' view direction must not lie in the outline's plane");
  } else if (std::abs(core::dot(params.eyeMm - c, n)) < 1e-6) {
    return makeError("the scissors' eye point lies on the outline's plane: no ray crosses the outline");
  }
  const core::Geometry& g = edit.geometry();
  VoxelBox box = params.roi ? params.roi->clippedTo(g.dims) : VoxelBox::whole(g.dims);
  if (box.empty()) return makeError("the region of interest does not overlap the volume");
  const double eyeHeight = core::dot(c - params.eyeMm, n);

  auto inside = [&](core::Vec3 p) {
    if (ortho) {
      // Slide p along the view direction onto the outline's plane.
      double t = core::dot(c - p, n) / core::dot(dir, n);
      return polygon->contains(p + dir * t);
    }
    core::Vec3 r = p - params.eyeMm;
    double denom = core::dot(r, n);
    if (std::abs(denom) < 1e-12) return false;
    double t = eyeHeight / denom;
    if (t <= 0) return false;  // behind the eye
    return polygon->contains(params.eyeMm + r * t);
  };
  const bool wantInside = params.side == ScissorsParams::Side::Inside;
  const std::uint8_t value = params.erase ? 0 : params.label;
  std::int64_t changed = 0;
  for (std::int64_t k = box.lo[2]; k < box.hi[2]; ++k)
    for (std::int64_t j = box.lo[1]; j < box.hi[1]; ++j)
      for (std::int64_t i = box.lo[0]; i < box.hi[0]; ++i) {
        if (params.erase && params.label != 0 && edit.labelmap().at(i, j, k) != params.label) continue;
        if (inside(g.ijkToPatient({double(i), double(j), double(k)})) != wantInside) continue;
        changed += edit.set(i, j, k, value);
      }
  return changed;
}

}  // namespace delineo::tools
