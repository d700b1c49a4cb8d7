#include "tools/GrowFromSeeds.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

namespace delineo::tools {

namespace {

using core::makeError;

// Largest intensity term of one step; the bucket ring holds one more than the largest step cost.
constexpr std::uint32_t kMaxExtraCost = 255;
constexpr std::uint32_t kBucketCount = kMaxExtraCost + 2;
constexpr std::uint32_t kUnreached = std::numeric_limits<std::uint32_t>::max();

}  // namespace

core::Result<GrowFromSeedsStats> GrowFromSeeds::run(const core::Volume& volume, const core::Labelmap& seeds,
                                                    const GrowFromSeedsParams& params,
                                                    const core::TaskControl& control) {
  auto t0 = std::chrono::steady_clock::now();
  const core::Geometry& g = volume.geometry();
  if (seeds.geometry().dims != g.dims) return makeError("the seed labelmap does not lie on the volume's grid");
  VoxelBox roi = params.roi ? params.roi->clippedTo(g.dims) : VoxelBox::whole(g.dims);
  if (roi.empty()) return makeError("the region of interest does not overlap the volume");
  if (params.intensityStep < 0 || !std::isfinite(params.intensityStep))
    return makeError("the intensity step must be positive (or 0 for automatic)");
  core::Dims padded{roi.hi[0] - roi.lo[0] + 2, roi.hi[1] - roi.lo[1] + 2, roi.hi[2] - roi.lo[2] + 2};
  const std::int64_t total = padded[0] * padded[1] * padded[2];
  if (total >= std::int64_t(std::numeric_limits<std::uint32_t>::max()))
    return makeError("the region of interest is too large for grow from seeds; set a smaller one");

  // Seeds first: reject before allocating anything.
  std::array<bool, 256> present{};
  GrowFromSeedsStats stats;
  for (std::int64_t k = roi.lo[2]; k < roi.hi[2]; ++k)
    for (std::int64_t j = roi.lo[1]; j < roi.hi[1]; ++j)
      for (std::int64_t i = roi.lo[0]; i < roi.hi[0]; ++i) {
        std::uint8_t s = seeds.at(i, j, k);
        if (!s) continue;
        present[s] = true;
        ++stats.seeds;
      }
  stats.labels = int(std::count(present.begin(), present.end(), true));
  if (stats.labels < 2)
    return makeError("grow from seeds needs seeds of at least two labels in the region of interest (the structure "
                     "and what surrounds it); found " + std::to_string(stats.labels));

  mParams = params;
  mVolumeDims = g.dims;
  mRoi = roi;
  mPadded = padded;
  mLevel.assign(std::size_t(total), 0);
  mDist.assign(std::size_t(total), 0);  // the wall stays 0: never improved, never queued
  mLabel.assign(std::size_t(total), 0);
  mBuckets.assign(kBucketCount, {});
  mPending = 0;

  double lo = std::numeric_limits<double>::max(), hi = std::numeric_limits<double>::lowest();
  core::dispatchScalar(volume.scalarType(), [&](auto zero) {
    using T = decltype(zero);
    auto vox = volume.voxels<T>();
    for (std::int64_t k = roi.lo[2]; k < roi.hi[2]; ++k)
      for (std::int64_t j = roi.lo[1]; j < roi.hi[1]; ++j) {
        const T* row = vox.data() + g.linearIndex(0, j, k);
        for (std::int64_t i = roi.lo[0]; i < roi.hi[0]; ++i) {
          lo = std::min(lo, double(row[i]));
          hi = std::max(hi, double(row[i]));
        }
      }
    const double step = params.intensityStep > 0 ? params.intensityStep : std::max(1e-12, (hi - lo) / 256.0);
    for (std::int64_t k = roi.lo[2]; k < roi.hi[2]; ++k)
      for (std::int64_t j = roi.lo[1]; j < roi.hi[1]; ++j) {
        const T* row = vox.data() + g.linearIndex(0, j, k);
        std::int64_t p = paddedIndex(roi.lo[0], j, k);
        for (std::int64_t i = roi.lo[0]; i < roi.hi[0]; ++i, ++p) {
          double level = std::floor((double(row[i]) - lo) / step);
          mLevel[std::size_t(p)] = static_cast<std::uint16_t>(std::clamp(level, 0.0, 65535.0));
          std::uint8_t s = seeds.at(i, j, k);
          mLabel[std::size_t(p)] = s;
          if (s) {
            mBuckets[0].push_back(std::uint32_t(p));
            ++mPending;
          } else {
            mDist[std::size_t(p)] = kUnreached;
          }
        }
      }
  });
  auto out = propagate(control, stats);
  if (!out) {
    mDist.clear();
    return out;
  }
  out->algorithmMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  return out;
}

core::Result<GrowFromSeedsStats> GrowFromSeeds::update(const core::Volume& volume, const core::Labelmap& seeds,
                                                       const core::TaskControl& control) {
  if (!hasResult() || volume.geometry().dims != mVolumeDims || seeds.geometry().dims != mVolumeDims)
    return run(volume, seeds, mParams, control);
  auto t0 = std::chrono::steady_clock::now();
  GrowFromSeedsStats stats;
  stats.incremental = true;
  std::array<bool, 256> present{};
  for (auto& b : mBuckets) b.clear();
  mPending = 0;
  for (std::int64_t k = mRoi.lo[2]; k < mRoi.hi[2]; ++k)
    for (std::int64_t j = mRoi.lo[1]; j < mRoi.hi[1]; ++j) {
      const std::uint8_t* row = seeds.voxels().data() + seeds.geometry().linearIndex(0, j, k);
      std::int64_t p = paddedIndex(mRoi.lo[0], j, k);
      for (std::int64_t i = mRoi.lo[0]; i < mRoi.hi[0]; ++i, ++p) {
        const std::uint8_t s = row[i];
        const auto sp = std::size_t(p);
        if (mDist[sp] == 0) {
          // A previous seed: removed or relabelled means costs may rise, which only a full run handles.
          if (s != mLabel[sp]) return run(volume, seeds, mParams, control);
        } else if (s) {
          mDist[sp] = 0;
          mLabel[sp] = s;
          mBuckets[0].push_back(std::uint32_t(p));
          ++mPending;
        }
        if (s) {
          present[s] = true;
          ++stats.seeds;
        }
      }
    }
  stats.labels = int(std::count(present.begin(), present.end(), true));
  auto out = propagate(control, stats);
  if (!out) {
    mDist.clear();  // a cancelled propagation leaves the maps inconsistent
    return out;
  }
  out->algorithmMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  return out;
}

core::Result<GrowFromSeedsStats> GrowFromSeeds::propagate(const core::TaskControl& control, GrowFromSeedsStats stats) {
  const std::int64_t sx = 1, sy = mPadded[0], sz = mPadded[0] * mPadded[1];
  const std::int64_t offsets[6] = {-sx, sx, -sy, sy, -sz, sz};
  std::uint32_t* dist = mDist.data();
  std::uint8_t* label = mLabel.data();
  const std::uint16_t* level = mLevel.data();
  std::int64_t sinceCheck = 0;
  std::int64_t improved = 0;
  const double roiVoxels = double(mRoi.voxelCount());
  for (std::uint32_t d = 0; mPending > 0; ++d) {
    auto& bucket = mBuckets[d % kBucketCount];
    for (std::size_t x = 0; x < bucket.size(); ++x) {
      const std::uint32_t p = bucket[x];
      if (dist[p] != d) continue;  // a stale entry: improved since it was queued
      const std::uint8_t l = label[p];
      const int lp = level[p];
      for (std::int64_t o : offsets) {
        const auto n = static_cast<std::uint32_t>(std::int64_t(p) + o);
        const std::uint32_t step = 1 + std::min<std::uint32_t>(kMaxExtraCost, std::uint32_t(std::abs(lp - int(level[n]))));
        const std::uint32_t nd = d + step;
        // Ties go to the smaller label: the result is then unique, whatever the order of
        // propagation, so an update equals a full run.
        if (nd < dist[n] || (nd == dist[n] && l < label[n])) {
          dist[n] = nd;
          label[n] = l;
          mBuckets[nd % kBucketCount].push_back(n);
          ++mPending;
          ++improved;
        }
      }
    }
    mPending -= std::int64_t(bucket.size());
    sinceCheck += std::int64_t(bucket.size());
    bucket.clear();
    if (sinceCheck > (1 << 20)) {
      sinceCheck = 0;
      if (control.cancelled()) return makeError("grow from seeds cancelled");
      control.progress(std::min(0.99, double(improved) / roiVoxels), "growing from seeds");
    }
  }
  control.progress(1.0, "grown from seeds");
  stats.labelled = improved;
  return stats;
}

std::uint8_t GrowFromSeeds::labelAt(std::int64_t i, std::int64_t j, std::int64_t k) const {
  if (!hasResult() || !mRoi.contains(i, j, k)) return 0;
  return mLabel[std::size_t(paddedIndex(i, j, k))];
}

std::int64_t GrowFromSeeds::apply(LabelEdit& edit) const {
  if (!hasResult() || edit.geometry().dims != mVolumeDims) return 0;
  const core::Labelmap& target = edit.labelmap();
  std::int64_t changed = 0;
  for (std::int64_t k = mRoi.lo[2]; k < mRoi.hi[2]; ++k)
    for (std::int64_t j = mRoi.lo[1]; j < mRoi.hi[1]; ++j) {
      const std::uint8_t* row = target.voxels().data() + target.geometry().linearIndex(0, j, k);
      std::int64_t p = paddedIndex(mRoi.lo[0], j, k);
      for (std::int64_t i = mRoi.lo[0]; i < mRoi.hi[0]; ++i, ++p)
        if (row[i] == 0 && mLabel[std::size_t(p)] != 0) changed += edit.set(i, j, k, mLabel[std::size_t(p)]);
    }
  return changed;
}

}  // namespace delineo::tools
