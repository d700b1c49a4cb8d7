#include "tools/Interpolation.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "tools/DistanceTransform.h"

namespace delineo::tools {

namespace {

// One slice as a 2D image: axes (u, v) are the two index axes other than the slice axis.
struct SliceFrame {
  int axis, au, av;
  std::int64_t nu, nv;
  double su, sv;  // spacing (mm)
  std::int64_t index(const core::Dims& d, std::int64_t s, std::int64_t u, std::int64_t v) const {
    std::int64_t ijk[3];
    ijk[axis] = s;
    ijk[au] = u;
    ijk[av] = v;
    return ijk[0] + d[0] * (ijk[1] + d[1] * ijk[2]);
  }
};

// Signed distance (mm) of a 2D mask: negative inside, positive outside.
std::vector<double> signedDistance(const std::vector<std::uint8_t>& inside, const SliceFrame& f) {
  const std::int64_t dims[3] = {f.nu, f.nv, 1};
  core::Vec3 spacing{f.su, f.sv, 1.0};
  auto toInside = squaredDistanceMm2(inside, dims, spacing);
  std::vector<std::uint8_t> outside(inside.size());
  for (std::size_t n = 0; n < inside.size(); ++n) outside[n] = !inside[n];
  auto toOutside = squaredDistanceMm2(outside, dims, spacing);
  std::vector<double> sdf(inside.size());
  for (std::size_t n = 0; n < inside.size(); ++n)
    sdf[n] = inside[n] ? -std::sqrt(toOutside[n]) : std::sqrt(toInside[n]);
  return sdf;
}

// Bilinear sample with clamped coordinates (the SDF continues past the slice's edge).
double sample(const std::vector<double>& sdf, const SliceFrame& f, double u, double v) {
  u = std::clamp(u, 0.0, double(f.nu - 1));
  v = std::clamp(v, 0.0, double(f.nv - 1));
  auto u0 = static_cast<std::int64_t>(std::floor(u)), v0 = static_cast<std::int64_t>(std::floor(v));
  std::int64_t u1 = std::min(u0 + 1, f.nu - 1), v1 = std::min(v0 + 1, f.nv - 1);
  double fu = u - double(u0), fv = v - double(v0);
  auto at = [&](std::int64_t a, std::int64_t b) { return sdf[std::size_t(a + f.nu * b)]; };
  return (1 - fv) * ((1 - fu) * at(u0, v0) + fu * at(u1, v0)) + fv * ((1 - fu) * at(u0, v1) + fu * at(u1, v1));
}

}  // namespace

core::Result<std::int64_t> interpolateSlices(LabelEdit& edit, const InterpolationParams& params) {
  if (params.label == 0) return core::makeError("choose a label (1..255) to interpolate");
  if (params.sliceAxis < 0 || params.sliceAxis > 2) return core::makeError("the slice axis must be 0, 1 or 2");
  const core::Labelmap& m = edit.labelmap();
  const core::Geometry& g = m.geometry();
  const core::Dims& d = g.dims;
  SliceFrame f;
  f.axis = params.sliceAxis;
  f.au = (f.axis + 1) % 3;
  f.av = (f.axis + 2) % 3;
  f.nu = d[f.au];
  f.nv = d[f.av];
  f.su = g.spacingMm[f.au];
  f.sv = g.spacingMm[f.av];

  auto sliceMask = [&](std::int64_t s, std::vector<std::uint8_t>& out, double& cu, double& cv) {
    out.assign(std::size_t(f.nu * f.nv), 0);
    std::int64_t count = 0;
    cu = cv = 0;
    for (std::int64_t v = 0; v < f.nv; ++v)
      for (std::int64_t u = 0; u < f.nu; ++u)
        if (m.voxels()[std::size_t(f.index(d, s, u, v))] == params.label) {
          out[std::size_t(u + f.nu * v)] = 1;
          cu += double(u);
          cv += double(v);
          ++count;
        }
    if (count) {
      cu /= double(count);
      cv /= double(count);
    }
    return count;
  };

  std::vector<std::int64_t> drawn;
  {
    std::vector<std::uint8_t> scratch;
    double cu, cv;
    for (std::int64_t s = 0; s < d[f.axis]; ++s)
      if (sliceMask(s, scratch, cu, cv) > 0) drawn.push_back(s);
  }
  if (drawn.size() < 2)
    return core::makeError("interpolation needs the label on at least two slices along axis " +
                           std::to_string(params.sliceAxis) + " (found " + std::to_string(drawn.size()) + ")");

  // Compute every gap first, then write: the drawn slices are read from the untouched labelmap.
  struct Fill {
    std::int64_t s;
    std::vector<std::uint8_t> inside;
  };
  std::vector<Fill> fills;
  std::vector<std::uint8_t> m0, m1;
  for (std::size_t n = 0; n + 1 < drawn.size(); ++n) {
    const std::int64_t s0 = drawn[n], s1 = drawn[n + 1];
    if (s1 - s0 < 2) continue;
    double c0u, c0v, c1u, c1v;
    sliceMask(s0, m0, c0u, c0v);
    sliceMask(s1, m1, c1u, c1v);
    auto sdf0 = signedDistance(m0, f);
    auto sdf1 = signedDistance(m1, f);
    for (std::int64_t s = s0 + 1; s < s1; ++s) {
      const double t = double(s - s0) / double(s1 - s0);
      // Shift of each shape onto the interpolated centroid (in voxels).
      // Whole voxels: a fractional shift would resample the discrete shapes and erode them by
      // up to half a voxel; the centroid path is followed to within half a voxel instead.
      double du0 = 0, dv0 = 0, du1 = 0, dv1 = 0;
      if (params.alignCentroids) {
        double cu = c0u + t * (c1u - c0u), cv = c0v + t * (c1v - c0v);
        du0 = std::round(cu - c0u);
        dv0 = std::round(cv - c0v);
        du1 = std::round(cu - c1u);
        dv1 = std::round(cv - c1v);
      }
      Fill fill{s, std::vector<std::uint8_t>(std::size_t(f.nu * f.nv), 0)};
      for (std::int64_t v = 0; v < f.nv; ++v)
        for (std::int64_t u = 0; u < f.nu; ++u) {
          double a = sample(sdf0, f, double(u) - du0, double(v) - dv0);
          double b = sample(sdf1, f, double(u) - du1, double(v) - dv1);
          fill.inside[std::size_t(u + f.nu * v)] = (1 - t) * a + t * b < 0;
        }
      fills.push_back(std::move(fill));
    }
  }
  std::int64_t changed = 0;
  for (const Fill& fill : fills)
    for (std::int64_t v = 0; v < f.nv; ++v)
      for (std::int64_t u = 0; u < f.nu; ++u) {
        if (!fill.inside[std::size_t(u + f.nu * v)]) continue;
        std::int64_t ijk[3];
        ijk[f.axis] = fill.s;
        ijk[f.au] = u;
        ijk[f.av] = v;
        changed += edit.set(ijk[0], ijk[1], ijk[2], params.label);
      }
  return changed;
}

}  // namespace delineo::tools
