#include "tools/Morphology.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "tools/DistanceTransform.h"

namespace delineo::tools {

namespace {

using core::makeError;

// Bounding box of the mask's voxels; empty when the mask is.
VoxelBox boundsOf(const VoxelMask& mask) {
  const core::Dims& d = mask.dims();
  VoxelBox b{{d[0], d[1], d[2]}, {0, 0, 0}};
  std::int64_t v = 0;
  for (std::int64_t k = 0; k < d[2]; ++k)
    for (std::int64_t j = 0; j < d[1]; ++j)
      for (std::int64_t i = 0; i < d[0]; ++i, ++v)
        if (mask[v]) {
          b.lo = {std::min(b.lo[0], i), std::min(b.lo[1], j), std::min(b.lo[2], k)};
          b.hi = {std::max(b.hi[0], i + 1), std::max(b.hi[1], j + 1), std::max(b.hi[2], k + 1)};
        }
  return b;
}

VoxelBox grown(const VoxelBox& b, const std::array<std::int64_t, 3>& by, const core::Dims& dims) {
  VoxelBox g;
  for (int a = 0; a < 3; ++a) {
    g.lo[a] = b.lo[a] - by[a];
    g.hi[a] = b.hi[a] + by[a];
  }
  return g.clippedTo(dims);
}

// Squared distance (mm^2) from each voxel of `box` to the nearest voxel of the box where
// `isFeature` holds.
template <typename F>
std::vector<double> distanceIn(const VoxelBox& box, core::Vec3 spacingMm, F&& isFeature) {
  const std::int64_t dims[3] = {box.hi[0] - box.lo[0], box.hi[1] - box.lo[1], box.hi[2] - box.lo[2]};
  std::vector<std::uint8_t> features(std::size_t(dims[0] * dims[1] * dims[2]));
  std::size_t n = 0;
  for (std::int64_t k = box.lo[2]; k < box.hi[2]; ++k)
    for (std::int64_t j = box.lo[1]; j < box.hi[1]; ++j)
      for (std::int64_t i = box.lo[0]; i < box.hi[0]; ++i) features[n++] = isFeature(i, j, k) ? 1 : 0;
  return squaredDistanceMm2(features, dims, spacingMm);
}

std::array<std::int64_t, 3> reachVoxels(double marginMm, core::Vec3 spacingMm) {
  std::array<std::int64_t, 3> r{};
  for (int a = 0; a < 3; ++a) r[a] = static_cast<std::int64_t>(std::ceil(std::abs(marginMm) / spacingMm[a])) + 1;
  return r;
}

// Tolerance so that distances exactly equal to the margin count as within it despite rounding.
double withinSquared(double marginMm) { return marginMm * marginMm * (1 + 1e-12) + 1e-12; }

core::Result<void> checkLabel(std::uint8_t label) {
  if (label == 0) return makeError("choose a label (1..255), not the background");
  return {};
}

}  // namespace

core::Result<std::int64_t> threshold(const core::Volume& volume, LabelEdit& edit, const ThresholdParams& p) {
  if (auto r = checkLabel(p.label); !r) return r.error();
  if (!std::isfinite(p.lower) || !std::isfinite(p.upper) || p.lower > p.upper) {
    std::ostringstream s;
    s << "empty threshold range [" << p.lower << ", " << p.upper << "]: lower must not exceed upper";
    return makeError(s.str());
  }
  const core::Geometry& g = volume.geometry();
  if (g.dims != edit.geometry().dims) return makeError("the labelmap does not lie on the volume's grid");
  VoxelBox box = p.roi ? p.roi->clippedTo(g.dims) : VoxelBox::whole(g.dims);
  if (box.empty()) return makeError("the region of interest does not overlap the volume");
  return core::dispatchScalar(volume.scalarType(), [&](auto zero) {
    using T = decltype(zero);
    auto vox = volume.voxels<T>();
    std::int64_t changed = 0;
    for (std::int64_t k = box.lo[2]; k < box.hi[2]; ++k)
      for (std::int64_t j = box.lo[1]; j < box.hi[1]; ++j) {
        const T* row = vox.data() + g.linearIndex(0, j, k);
        for (std::int64_t i = box.lo[0]; i < box.hi[0]; ++i) {
          double v = double(row[i]);
          if (v >= p.lower && v <= p.upper) changed += edit.set(i, j, k, p.label);
        }
      }
    return changed;
  });
}

VoxelMask dilate(const VoxelMask& mask, double marginMm, core::Vec3 spacingMm) {
  VoxelMask out(mask.dims());
  VoxelBox b = boundsOf(mask);
  if (b.empty()) return out;
  VoxelBox box = grown(b, reachVoxels(marginMm, spacingMm), mask.dims());
  auto d2 = distanceIn(box, spacingMm, [&](std::int64_t i, std::int64_t j, std::int64_t k) { return mask.at(i, j, k); });
  const double limit = withinSquared(marginMm);
  const core::Dims& d = mask.dims();
  std::size_t n = 0;
  for (std::int64_t k = box.lo[2]; k < box.hi[2]; ++k)
    for (std::int64_t j = box.lo[1]; j < box.hi[1]; ++j)
      for (std::int64_t i = box.lo[0]; i < box.hi[0]; ++i, ++n)
        if (d2[n] <= limit) out[i + d[0] * (j + d[1] * k)] = 1;
  return out;
}

VoxelMask erode(const VoxelMask& mask, double marginMm, core::Vec3 spacingMm) {
  VoxelMask out(mask.dims());
  VoxelBox b = boundsOf(mask);
  if (b.empty()) return out;
  VoxelBox box = grown(b, {1, 1, 1}, mask.dims());
  auto d2 = distanceIn(box, spacingMm, [&](std::int64_t i, std::int64_t j, std::int64_t k) { return !mask.at(i, j, k); });
  const double limit = withinSquared(marginMm);
  const core::Dims& d = mask.dims();
  std::size_t n = 0;
  for (std::int64_t k = box.lo[2]; k < box.hi[2]; ++k)
    for (std::int64_t j = box.lo[1]; j < box.hi[1]; ++j)
      for (std::int64_t i = box.lo[0]; i < box.hi[0]; ++i, ++n)
        if (mask.at(i, j, k) && d2[n] > limit) out[i + d[0] * (j + d[1] * k)] = 1;
  return out;
}

std::array<std::int64_t, 3> voxelRadius(double radiusMm, core::Vec3 spacingMm) {
  std::array<std::int64_t, 3> r{};
  for (int a = 0; a < 3; ++a) r[a] = std::llround(radiusMm / spacingMm[a]);
  return r;
}

VoxelMask binaryMedian(const VoxelMask& mask, const std::array<std::int64_t, 3>& radius) {
  const core::Dims& d = mask.dims();
  // Separable box sums with the border replicated: three passes of a sliding window.
  std::vector<std::int32_t> sum(std::size_t(mask.size()));
  for (std::int64_t v = 0; v < mask.size(); ++v) sum[std::size_t(v)] = mask[v] ? 1 : 0;
  const std::int64_t strides[3] = {1, d[0], d[0] * d[1]};
  std::vector<std::int32_t> line, prefix;
  for (int axis = 0; axis < 3; ++axis) {
    const std::int64_t n = d[axis], r = radius[axis], stride = strides[axis];
    if (r == 0) continue;
    const int a1 = (axis + 1) % 3, a2 = (axis + 2) % 3;
    line.resize(std::size_t(n));
    prefix.resize(std::size_t(n + 1));
    for (std::int64_t u = 0; u < d[a1]; ++u)
      for (std::int64_t w = 0; w < d[a2]; ++w) {
        const std::int64_t base = u * strides[a1] + w * strides[a2];
        prefix[0] = 0;
        for (std::int64_t q = 0; q < n; ++q) prefix[std::size_t(q + 1)] = prefix[std::size_t(q)] + sum[std::size_t(base + q * stride)];
        for (std::int64_t q = 0; q < n; ++q) {
          // Window [q - r, q + r]; positions beyond the ends repeat the end value.
          std::int64_t lo = q - r, hi = q + r;
          std::int64_t inLo = std::max<std::int64_t>(lo, 0), inHi = std::min<std::int64_t>(hi, n - 1);
          std::int64_t s = prefix[std::size_t(inHi + 1)] - prefix[std::size_t(inLo)];
          if (lo < 0) s += (-lo) * sum[std::size_t(base)];
          if (hi > n - 1) s += (hi - (n - 1)) * sum[std::size_t(base + (n - 1) * stride)];
          line[std::size_t(q)] = static_cast<std::int32_t>(s);
        }
        for (std::int64_t q = 0; q < n; ++q) sum[std::size_t(base + q * stride)] = line[std::size_t(q)];
      }
  }
  const std::int64_t size = (2 * radius[0] + 1) * (2 * radius[1] + 1) * (2 * radius[2] + 1);
  VoxelMask out(d);
  for (std::int64_t v = 0; v < mask.size(); ++v) out[v] = sum[std::size_t(v)] > size / 2;
  return out;
}

core::Result<std::int64_t> applyMargin(LabelEdit& edit, std::uint8_t label, double marginMm) {
  if (auto r = checkLabel(label); !r) return r.error();
  const core::Geometry& g = edit.geometry();
  const double extentMm = core::length(core::Vec3{double(g.dims[0]) * g.spacingMm.x, double(g.dims[1]) * g.spacingMm.y,
                                                  double(g.dims[2]) * g.spacingMm.z});
  if (!std::isfinite(marginMm) || marginMm == 0) return makeError("the margin must be a non-zero number of mm");
  if (std::abs(marginMm) > extentMm) {
    std::ostringstream s;
    s << "a margin of " << marginMm << " mm is larger than the volume (" << std::round(extentMm) << " mm across)";
    return makeError(s.str());
  }
  VoxelMask before = maskOfLabel(edit.labelmap(), label);
  if (marginMm > 0) return writeMask(edit, dilate(before, marginMm, g.spacingMm), label);
  return writeMaskChange(edit, before, erode(before, -marginMm, g.spacingMm), label);
}

core::Result<std::int64_t> smoothLabel(LabelEdit& edit, std::uint8_t label, SmoothMethod method, double radiusMm) {
  if (auto r = checkLabel(label); !r) return r.error();
  const core::Geometry& g = edit.geometry();
  if (!std::isfinite(radiusMm) || radiusMm <= 0) return makeError("the smoothing radius must be a positive number of mm");
  const double extentMm = std::max({double(g.dims[0]) * g.spacingMm.x, double(g.dims[1]) * g.spacingMm.y,
                                    double(g.dims[2]) * g.spacingMm.z});
  if (radiusMm > extentMm) return makeError("the smoothing radius is larger than the volume");
  VoxelMask before = maskOfLabel(edit.labelmap(), label);
  VoxelMask after;
  switch (method) {
    case SmoothMethod::Median: after = binaryMedian(before, voxelRadius(radiusMm, g.spacingMm)); break;
    case SmoothMethod::Opening:
      after = dilate(erode(before, radiusMm, g.spacingMm), radiusMm, g.spacingMm);
      break;
    case SmoothMethod::Closing:
      after = erode(dilate(before, radiusMm, g.spacingMm), radiusMm, g.spacingMm);
      break;
  }
  return writeMaskChange(edit, before, after, label);
}

core::Result<std::int64_t> logicalOperation(LabelEdit& edit, LogicalOp op, std::uint8_t a, const core::Labelmap& source,
                                            std::uint8_t b) {
  if (auto r = checkLabel(a); !r) return r.error();
  if (auto r = checkLabel(b); !r) return r.error();
  if (source.geometry().dims != edit.geometry().dims)
    return makeError("the other labelmap does not lie on the edited labelmap's grid");
  // Read both inputs before writing: `source` may be the labelmap being edited.
  VoxelMask inA = maskOfLabel(edit.labelmap(), a);
  VoxelMask inB = maskOfLabel(source, b);
  VoxelMask result(inA.dims());
  for (std::int64_t v = 0; v < result.size(); ++v) {
    switch (op) {
      case LogicalOp::Union: result[v] = inA[v] || inB[v]; break;
      case LogicalOp::Intersect: result[v] = inA[v] && inB[v]; break;
      case LogicalOp::Subtract: result[v] = inA[v] && !inB[v]; break;
    }
  }
  return writeMaskChange(edit, inA, result, a);
}

}  // namespace delineo::tools
