#include "tools/DistanceTransform.h"

#include <limits>

namespace delineo::tools {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// 1-D lower envelope of parabolas: f holds squared distances along a line (kInf = none), with
// sample spacing `s`; writes the transformed line into `d`.
void transformLine(const double* f, double* d, std::int64_t n, double s, std::vector<std::int64_t>& v,
                   std::vector<double>& z) {
  v.resize(static_cast<std::size_t>(n));
  z.resize(static_cast<std::size_t>(n + 1));
  std::int64_t k = -1;
  for (std::int64_t q = 0; q < n; ++q) {
    if (f[q] == kInf) continue;
    double pq = double(q) * s;
    while (k >= 0) {
      std::int64_t p = v[static_cast<std::size_t>(k)];
      double pp = double(p) * s;
      double x = ((f[q] + pq * pq) - (f[p] + pp * pp)) / (2 * (pq - pp));
      if (x <= z[static_cast<std::size_t>(k)]) {
        --k;
        continue;
      }
      break;
    }
    ++k;
    v[static_cast<std::size_t>(k)] = q;
    z[static_cast<std::size_t>(k)] = k == 0 ? -kInf : 0;
    if (k > 0) {
      std::int64_t p = v[static_cast<std::size_t>(k - 1)];
      double pp = double(p) * s;
      z[static_cast<std::size_t>(k)] = ((f[q] + pq * pq) - (f[p] + pp * pp)) / (2 * (pq - pp));
    }
    z[static_cast<std::size_t>(k + 1)] = kInf;
  }
  if (k < 0) {
    for (std::int64_t q = 0; q < n; ++q) d[q] = kInf;
    return;
  }
  std::int64_t j = 0;
  for (std::int64_t q = 0; q < n; ++q) {
    double x = double(q) * s;
    while (z[static_cast<std::size_t>(j + 1)] < x) ++j;
    std::int64_t p = v[static_cast<std::size_t>(j)];
    double dx = x - double(p) * s;
    d[q] = dx * dx + f[p];
  }
}

}  // namespace

std::vector<double> squaredDistanceMm2(const std::vector<std::uint8_t>& features, const std::int64_t dims[3],
                                       core::Vec3 spacingMm) {
  const std::int64_t nx = dims[0], ny = dims[1], nz = dims[2];
  std::vector<double> g(features.size());
  for (std::size_t i = 0; i < features.size(); ++i) g[i] = features[i] ? 0.0 : kInf;
  std::vector<std::int64_t> v;
  std::vector<double> z;
  std::int64_t maxN = std::max(nx, std::max(ny, nz));
  std::vector<double> in(static_cast<std::size_t>(maxN)), out(static_cast<std::size_t>(maxN));
  // One pass per axis; each line is gathered, transformed, scattered.
  const std::int64_t strides[3] = {1, nx, nx * ny};
  for (int axis = 0; axis < 3; ++axis) {
    const std::int64_t n = dims[axis];
    const std::int64_t stride = strides[axis];
    const int a1 = (axis + 1) % 3, a2 = (axis + 2) % 3;
    for (std::int64_t u = 0; u < dims[a1]; ++u)
      for (std::int64_t w = 0; w < dims[a2]; ++w) {
        std::int64_t base = u * strides[a1] + w * strides[a2];
        for (std::int64_t q = 0; q < n; ++q) in[static_cast<std::size_t>(q)] = g[static_cast<std::size_t>(base + q * stride)];
        transformLine(in.data(), out.data(), n, spacingMm[axis], v, z);
        for (std::int64_t q = 0; q < n; ++q) g[static_cast<std::size_t>(base + q * stride)] = out[static_cast<std::size_t>(q)];
      }
  }
  return g;
}

}  // namespace delineo::tools
