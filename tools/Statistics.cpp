#include "tools/Statistics.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>

namespace delineo::tools {

std::vector<LabelStatistics> computeStatistics(const core::Labelmap& labelmap, const core::Volume* volume) {
  const core::Geometry& g = labelmap.geometry();
  assert(!volume || volume->geometry().dims == g.dims);
  struct Acc {
    std::int64_t n = 0;
    double sum = 0, sumSq = 0, min = std::numeric_limits<double>::max(), max = std::numeric_limits<double>::lowest();
    double si = 0, sj = 0, sk = 0;
    std::int64_t lo[3] = {INT64_MAX, INT64_MAX, INT64_MAX}, hi[3] = {-1, -1, -1};
  };
  std::vector<Acc> acc(256);
  auto voxels = labelmap.voxels();
  std::int64_t index = 0;
  for (std::int64_t k = 0; k < g.dims[2]; ++k)
    for (std::int64_t j = 0; j < g.dims[1]; ++j)
      for (std::int64_t i = 0; i < g.dims[0]; ++i, ++index) {
        std::uint8_t id = voxels[static_cast<std::size_t>(index)];
        if (!id) continue;
        Acc& a = acc[id];
        ++a.n;
        a.si += double(i);
        a.sj += double(j);
        a.sk += double(k);
        std::int64_t p[3] = {i, j, k};
        for (int c = 0; c < 3; ++c) {
          a.lo[c] = std::min(a.lo[c], p[c]);
          a.hi[c] = std::max(a.hi[c], p[c]);
        }
        if (volume) {
          double v = volume->valueAtIndex(index);
          a.sum += v;
          a.sumSq += v * v;
          a.min = std::min(a.min, v);
          a.max = std::max(a.max, v);
        }
      }
  std::vector<LabelStatistics> out;
  for (int id = 1; id < 256; ++id) {
    const Acc& a = acc[id];
    if (a.n == 0 && !labelmap.labels().find(static_cast<std::uint8_t>(id))) continue;
    LabelStatistics s;
    s.id = static_cast<std::uint8_t>(id);
    s.voxels = a.n;
    s.volumeMl = double(a.n) * g.voxelVolumeMm3() / 1000.0;
    if (a.n > 0) {
      double n = double(a.n);
      s.centroidMm = g.ijkToPatient({a.si / n, a.sj / n, a.sk / n});
      for (int c = 0; c < 3; ++c) {
        s.ijkMin[c] = a.lo[c];
        s.ijkMax[c] = a.hi[c];
      }
      // The LPS box of an oblique index box: the extremes over its 8 corners.
      for (int c = 0; c < 3; ++c) {
        s.boundsMinMm[c] = std::numeric_limits<double>::max();
        s.boundsMaxMm[c] = std::numeric_limits<double>::lowest();
      }
      for (int corner = 0; corner < 8; ++corner) {
        core::Vec3 p = g.ijkToPatient({double((corner & 1) ? a.hi[0] : a.lo[0]),
                                       double((corner & 2) ? a.hi[1] : a.lo[1]),
                                       double((corner & 4) ? a.hi[2] : a.lo[2])});
        for (int c = 0; c < 3; ++c) {
          s.boundsMinMm[c] = std::min(s.boundsMinMm[c], p[c]);
          s.boundsMaxMm[c] = std::max(s.boundsMaxMm[c], p[c]);
        }
      }
      if (volume) {
        s.mean = a.sum / n;
        s.stddev = std::sqrt(std::max(0.0, a.sumSq / n - s.mean * s.mean));
        s.min = a.min;
        s.max = a.max;
      }
    }
    out.push_back(s);
  }
  return out;
}

}  // namespace delineo::tools
