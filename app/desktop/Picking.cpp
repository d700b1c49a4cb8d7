#include "app/desktop/Picking.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace delineo::app {

std::optional<core::Vec3> pickSurface(const core::Volume& volume, const core::Labelmap* labels,
                                      const renderer::VolumeDisplay& display, const Ray& ray,
                                      const PickOptions& options) {
  const core::Geometry& g = volume.geometry();
  // Clip the ray to the volume's box in index space (slab method).
  core::Vec3 o = g.patientToIjk(ray.originMm);
  core::Vec3 d = g.patientToIjk(ray.originMm + ray.direction) - o;
  double t0 = 0, t1 = std::numeric_limits<double>::max();
  for (int a = 0; a < 3; ++a) {
    double lo = -0.5, hi = static_cast<double>(g.dims[a]) - 0.5;
    if (std::abs(d[a]) < 1e-12) {
      if (o[a] < lo || o[a] > hi) return std::nullopt;
      continue;
    }
    double ta = (lo - o[a]) / d[a], tb = (hi - o[a]) / d[a];
    t0 = std::max(t0, std::min(ta, tb));
    t1 = std::min(t1, std::max(ta, tb));
  }
  if (t0 > t1) return std::nullopt;
  double step = options.stepMm > 0 ? options.stepMm
                                   : 0.5 * std::min({g.spacingMm.x, g.spacingMm.y, g.spacingMm.z});
  const bool transfer = display.mode == renderer::RenderMode::Dvr;
  for (double t = t0; t <= t1; t += step) {
    core::Vec3 p = ray.originMm + ray.direction * t;
    if (display.clipBox.enabled) {
      bool inside = true;
      for (int a = 0; a < 3; ++a)
        inside = inside && p[a] >= display.clipBox.minMm[a] && p[a] <= display.clipBox.maxMm[a];
      if (!inside) continue;
    }
    core::Vec3 ijk = o + d * t;
    auto i = std::llround(ijk.x), j = std::llround(ijk.y), k = std::llround(ijk.z);
    if (!g.contains(i, j, k)) continue;
    if (options.labels && labels && display.showLabels) {
      std::uint8_t id = labels->at(i, j, k);
      if (id != 0) {
        const core::Label* e = labels->labels().find(id);
        if (e && e->visible) return p;
      }
    }
    double value = volume.valueAt(i, j, k);
    bool opaque = transfer ? display.transfer.evaluate(value)[3] >= options.minOpacity
                           : value >= (display.mode == renderer::RenderMode::Isosurface
                                           ? display.isoValue
                                           : display.windowLevel);
    if (opaque) return p;
  }
  return std::nullopt;
}

}  // namespace delineo::app
