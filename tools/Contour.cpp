#include "tools/Contour.h"

#include <algorithm>
#include <cmath>

#include "tools/PlanarPolygon.h"

namespace delineo::tools {

core::Result<std::int64_t> fillContour(LabelEdit& edit, const ContourParams& params) {
  const core::Geometry& g = edit.geometry();
  if (!params.erase && params.label == 0) return core::makeError("choose a label (1..255) to fill the contour with");
  const double minSpacing = std::min({g.spacingMm.x, g.spacingMm.y, g.spacingMm.z});
  auto polygon = PlanarPolygon::fromPoints(params.pointsMm, 0.25 * minSpacing);
  if (!polygon) return polygon.error();
  const core::Mat3 toMm = g.indexToPhysical();
  const core::Vec3 n = polygon->normal();
  // One voxel's thickness along the normal: exactly one layer is selected, whatever the obliquity.
  double halfThickness = 0;
  for (int c = 0; c < 3; ++c) halfThickness += std::abs(core::dot(n, toMm.column(c)));
  halfThickness *= 0.5;

  std::int64_t lo[3], hi[3];
  for (int a = 0; a < 3; ++a) {
    lo[a] = g.dims[a];
    hi[a] = -1;
  }
  for (const auto& p : polygon->pointsMm()) {
    core::Vec3 ijk = g.patientToIjk(p);
    for (int a = 0; a < 3; ++a) {
      lo[a] = std::min(lo[a], static_cast<std::int64_t>(std::floor(ijk[a])) - 1);
      hi[a] = std::max(hi[a], static_cast<std::int64_t>(std::ceil(ijk[a])) + 1);
    }
  }
  for (int a = 0; a < 3; ++a) {
    lo[a] = std::max<std::int64_t>(lo[a], 0);
    hi[a] = std::min<std::int64_t>(hi[a], g.dims[a] - 1);
    if (lo[a] > hi[a]) return std::int64_t{0};  // entirely outside the volume
  }
  const std::uint8_t value = params.erase ? 0 : params.label;
  std::int64_t changed = 0;
  for (std::int64_t k = lo[2]; k <= hi[2]; ++k)
    for (std::int64_t j = lo[1]; j <= hi[1]; ++j)
      for (std::int64_t i = lo[0]; i <= hi[0]; ++i) {
        core::Vec3 p = g.ijkToPatient({double(i), double(j), double(k)});
        double h = polygon->height(p);
        if (h <= -halfThickness || h > halfThickness) continue;  // half-open: one layer, never two
        if (!polygon->contains(p)) continue;
        if (params.erase && params.label != 0 && edit.labelmap().at(i, j, k) != params.label) continue;
        changed += edit.set(i, j, k, value);
      }
  return changed;
}

}  // namespace delineo::tools
