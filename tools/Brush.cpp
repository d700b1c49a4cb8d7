#include "tools/Brush.h"

#include <algorithm>
#include <cmath>

namespace delineo::tools {

namespace {

// Paints every voxel whose centre lies within `radius` of the segment [a, b] (a capsule; a == b
// gives a ball) and, for a disk, within half a voxel's thickness of the plane.
std::int64_t paintCapsule(LabelEdit& edit, core::Vec3 a, core::Vec3 b, const BrushParams& params) {
  const core::Geometry& g = edit.geometry();
  const core::Mat3 toMm = g.indexToPhysical();
  const core::Mat3 toIndex = toMm.inverse();
  const double r = params.radiusMm;
  const double r2 = r * r;

  core::Vec3 n = core::normalize(params.planeNormal);
  const bool disk = params.shape == BrushParams::Shape::Disk;
  // Thickness of one voxel measured along the plane normal: the disk is one voxel layer thick,
  // whatever the plane's obliquity.
  double halfThickness = 0;
  for (int c = 0; c < 3; ++c) halfThickness += std::abs(core::dot(n, toMm.column(c)));
  halfThickness *= 0.5;

  // Index-space bounding box: the extent of a ball of radius r along index axis c is
  // r * |row c of toIndex|.
  core::Vec3 ia = g.patientToIjk(a), ib = g.patientToIjk(b);
  std::int64_t lo[3], hi[3];
  for (int c = 0; c < 3; ++c) {
    core::Vec3 row{toIndex.m[c][0], toIndex.m[c][1], toIndex.m[c][2]};
    double ext = r * core::length(row);
    lo[c] = std::max<std::int64_t>(0, static_cast<std::int64_t>(std::ceil(std::min(ia[c], ib[c]) - ext - 1e-9)));
    hi[c] = std::min<std::int64_t>(g.dims[c] - 1, static_cast<std::int64_t>(std::floor(std::max(ia[c], ib[c]) + ext + 1e-9)));
    if (lo[c] > hi[c]) return 0;
  }

  const core::Vec3 ab = b - a;
  const double abLen2 = core::dot(ab, ab);
  const std::uint8_t value = params.erase ? 0 : params.label;
  // Small tolerance so voxel centres exactly on the surface count as inside despite rounding.
  const double eps = 1e-9 * std::max(1.0, r2);
  std::int64_t changed = 0;
  const core::Vec3 stepI = toMm.column(0);
  for (std::int64_t k = lo[2]; k <= hi[2]; ++k)
    for (std::int64_t j = lo[1]; j <= hi[1]; ++j) {
      const core::Vec3 rowStart = g.originMm + toMm * core::Vec3{double(lo[0]), double(j), double(k)};
      for (std::int64_t i = lo[0]; i <= hi[0]; ++i) {
        core::Vec3 ap = rowStart + stepI * double(i - lo[0]) - a;
        double t = abLen2 > 0 ? std::clamp(core::dot(ap, ab) / abLen2, 0.0, 1.0) : 0.0;
        core::Vec3 d = ap - ab * t;
        if (disk) {
          double h = core::dot(d, n);
          if (std::abs(h) > halfThickness) continue;
          d = d - n * h;  // in-plane distance
        }
        if (core::dot(d, d) > r2 + eps) continue;
        changed += edit.set(i, j, k, value);
      }
    }
  return changed;
}

}  // namespace

std::int64_t paintDab(LabelEdit& edit, core::Vec3 centreMm, const BrushParams& params) {
  return paintCapsule(edit, centreMm, centreMm, params);
}

std::int64_t paintStroke(LabelEdit& edit, std::span<const core::Vec3> pointsMm, const BrushParams& params) {
  if (pointsMm.empty()) return 0;
  if (pointsMm.size() == 1) return paintDab(edit, pointsMm[0], params);
  std::int64_t changed = 0;
  for (std::size_t s = 0; s + 1 < pointsMm.size(); ++s)
    changed += paintCapsule(edit, pointsMm[s], pointsMm[s + 1], params);
  return changed;
}

}  // namespace delineo::tools
