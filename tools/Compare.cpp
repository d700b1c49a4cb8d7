#include "tools/Compare.h"

#include <algorithm>
#include <cmath>

#include "tools/DistanceTransform.h"

namespace delineo::tools {

namespace {

struct Box {
  std::int64_t lo[3], hi[3];  // inclusive
  std::int64_t dims(int a) const { return hi[a] - lo[a] + 1; }
};

bool isSurface(const core::Labelmap& m, std::uint8_t id, std::int64_t i, std::int64_t j, std::int64_t k) {
  const auto& g = m.geometry();
  static const int kOffsets[6][3] = {{1, 0, 0}, {-1, 0, 0}, {0, 1, 0}, {0, -1, 0}, {0, 0, 1}, {0, 0, -1}};
  for (const auto& o : kOffsets) {
    std::int64_t x = i + o[0], y = j + o[1], z = k + o[2];
    if (!g.contains(x, y, z) || m.at(x, y, z) != id) return true;
  }
  return false;
}

std::optional<Box> labelBox(const core::Labelmap& a, const core::Labelmap& b, std::uint8_t id) {
  const auto& g = a.geometry();
  Box box{{INT64_MAX, INT64_MAX, INT64_MAX}, {-1, -1, -1}};
  bool any = false;
  for (std::int64_t k = 0; k < g.dims[2]; ++k)
    for (std::int64_t j = 0; j < g.dims[1]; ++j)
      for (std::int64_t i = 0; i < g.dims[0]; ++i)
        if (a.at(i, j, k) == id || b.at(i, j, k) == id) {
          any = true;
          std::int64_t p[3] = {i, j, k};
          for (int c = 0; c < 3; ++c) {
            box.lo[c] = std::min(box.lo[c], p[c]);
            box.hi[c] = std::max(box.hi[c], p[c]);
          }
        }
  if (!any) return std::nullopt;
  return box;
}

}  // namespace

double percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  double rank = p / 100.0 * double(values.size() - 1);
  auto lo = static_cast<std::size_t>(std::floor(rank));
  auto hi = std::min(lo + 1, values.size() - 1);
  return values[lo] + (values[hi] - values[lo]) * (rank - double(lo));
}

namespace {

std::vector<double> directedWithin(const core::Labelmap& a, const core::Labelmap& b, std::uint8_t id,
                                   const Box* box) {
  const std::int64_t dims[3] = {box->dims(0), box->dims(1), box->dims(2)};
  std::vector<std::uint8_t> features(static_cast<std::size_t>(dims[0] * dims[1] * dims[2]), 0);
  bool anyB = false;
  for (std::int64_t k = box->lo[2]; k <= box->hi[2]; ++k)
    for (std::int64_t j = box->lo[1]; j <= box->hi[1]; ++j)
      for (std::int64_t i = box->lo[0]; i <= box->hi[0]; ++i)
        if (b.at(i, j, k) == id && isSurface(b, id, i, j, k)) {
          features[static_cast<std::size_t>((i - box->lo[0]) + dims[0] * ((j - box->lo[1]) + dims[1] * (k - box->lo[2])))] = 1;
          anyB = true;
        }
  if (!anyB) return {};
  auto d2 = squaredDistanceMm2(features, dims, a.geometry().spacingMm);
  std::vector<double> out;
  for (std::int64_t k = box->lo[2]; k <= box->hi[2]; ++k)
    for (std::int64_t j = box->lo[1]; j <= box->hi[1]; ++j)
      for (std::int64_t i = box->lo[0]; i <= box->hi[0]; ++i)
        if (a.at(i, j, k) == id && isSurface(a, id, i, j, k))
          out.push_back(std::sqrt(
              d2[static_cast<std::size_t>((i - box->lo[0]) + dims[0] * ((j - box->lo[1]) + dims[1] * (k - box->lo[2])))]));
  return out;
}

}  // namespace

std::vector<double> directedSurfaceDistancesMm(const core::Labelmap& a, const core::Labelmap& b, std::uint8_t id) {
  auto box = labelBox(a, b, id);
  if (!box) return {};
  return directedWithin(a, b, id, &*box);
}

core::Result<std::vector<LabelComparison>> compareLabelmaps(const core::Labelmap& a, const core::Labelmap& b) {
  if (auto r = b.checkMatches(a.geometry(), "second labelmap"); !r) return r.error();
  std::array<std::int64_t, 256> countA{}, countB{}, both{};
  std::vector<Box> boxes(256, Box{{INT64_MAX, INT64_MAX, INT64_MAX}, {-1, -1, -1}});
  const auto& g = a.geometry();
  auto va = a.voxels();
  auto vb = b.voxels();
  std::size_t index = 0;
  for (std::int64_t k = 0; k < g.dims[2]; ++k)
    for (std::int64_t j = 0; j < g.dims[1]; ++j)
      for (std::int64_t i = 0; i < g.dims[0]; ++i, ++index) {
        std::uint8_t x = va[index], y = vb[index];
        ++countA[x];
        ++countB[y];
        if (x == y) ++both[x];
        std::int64_t p[3] = {i, j, k};
        for (std::uint8_t id : {x, y}) {
          if (!id) continue;
          Box& box = boxes[id];
          for (int c = 0; c < 3; ++c) {
            box.lo[c] = std::min(box.lo[c], p[c]);
            box.hi[c] = std::max(box.hi[c], p[c]);
          }
        }
      }
  const double mlPerVoxel = a.geometry().voxelVolumeMm3() / 1000.0;
  std::vector<LabelComparison> out;
  for (int id = 1; id < 256; ++id) {
    if (!countA[id] && !countB[id]) continue;
    LabelComparison c;
    c.id = static_cast<std::uint8_t>(id);
    c.voxelsA = countA[id];
    c.voxelsB = countB[id];
    c.voxelsBoth = both[id];
    c.dice = 2.0 * double(c.voxelsBoth) / double(c.voxelsA + c.voxelsB);
    c.jaccard = double(c.voxelsBoth) / double(c.voxelsA + c.voxelsB - c.voxelsBoth);
    c.volumeDifferenceMl = double(c.voxelsB - c.voxelsA) * mlPerVoxel;
    if (c.voxelsA && c.voxelsB) {
      auto ab = directedWithin(a, b, c.id, &boxes[id]);
      auto ba = directedWithin(b, a, c.id, &boxes[id]);
      double maxAb = ab.empty() ? 0 : *std::max_element(ab.begin(), ab.end());
      double maxBa = ba.empty() ? 0 : *std::max_element(ba.begin(), ba.end());
      c.hausdorffMm = std::max(maxAb, maxBa);
      c.hausdorff95Mm = std::max(percentile(ab, 95), percentile(ba, 95));
    }
    out.push_back(c);
  }
  return out;
}

}  // namespace delineo::tools
