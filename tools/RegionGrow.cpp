#include "tools/RegionGrow.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <sstream>
#include <thread>
#include <tuple>
#include <type_traits>

#include "tools/ComponentGrow.h"
#include "tools/Parallel.h"
#include "tools/ParallelFlood.h"
#include "tools/RowFlood.h"

namespace delineo::tools {

namespace {

using core::makeError;

using detail::RegionOutcome;
using detail::TypedRange;

constexpr double kLabelAfterMs = 0.5;


std::string ijkText(const Ijk& s) {
  return "(" + std::to_string(s[0]) + ", " + std::to_string(s[1]) + ", " + std::to_string(s[2]) + ")";
}

double msSince(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

VoxelBox roiOf(const core::Geometry& g, const RegionGrowParams& p) {
  return p.roi ? p.roi->clippedTo(g.dims) : VoxelBox::whole(g.dims);
}


// The region from the seeds. A single-threaded flood (RowFlood) starts; it costs a little per
// run of the region, labelling the components of the whole ROI (ComponentGrow) costs a little
// per voxel and run of the ROI, so which is cheaper depends on the region, which is not known
// until it is grown. With a second thread, once the flood has cost a fraction of what the
// labelling is estimated to cost, the labelling starts beside it: if the flood finishes first
// the labelling is dropped; if the labelling finishes first, or the flood has cost half the
// estimate, the flood is dropped and its thread helps label. Alone, the flood runs until it has
// cost what the labelling would, then labels. Every path gives the same region; the ones that
// cannot label (noise too fragmented for its memory bound) flood on all threads (ParallelFlood).
core::Result<GrowRegion> flood(const core::Volume& volume, const RegionGrowParams& params, double lower, double upper,
                               const core::TaskControl& control,
                               detail::GrowStrategy strategy = detail::GrowStrategy::Automatic) {
  const core::Geometry& g = volume.geometry();
  GrowRegion region;
  region.lower = lower;
  region.upper = upper;
  region.dims = g.dims;
  const VoxelBox box = roiOf(g, params);
  auto outcome = core::dispatchScalar(volume.scalarType(), [&](auto zero) {
    using T = decltype(zero);
    auto range = TypedRange<T>::make(lower, upper);
    auto voxels = volume.voxels<T>();
    for (const Ijk& s : params.seeds)
      region.seedsInRange += !range.empty && range.contains(voxels[std::size_t(g.linearIndex(s[0], s[1], s[2]))]);
    if (range.empty) return RegionOutcome{};
    const detail::GrowInput<T> input{voxels.data(), g.dims, box, range, params.connectivity, params.maxVoxels};
    auto floodAll = [&] {
      detail::ParallelFlood<T> fill(input, params.threads, control);
      return fill.run(params.seeds);
    };
    const int labelWorkers = static_cast<int>(std::clamp<std::int64_t>(
        workerCount(params.threads), 1, detail::labelWorkerLimit(box, params.threads)));
    auto labelAll = [&] {
      auto labelled = detail::growByComponents(input, params.seeds, params.threads, control);
      if (labelled.declined) return floodAll();
      return labelled;
    };
    if (strategy == detail::GrowStrategy::ParallelFlood) return floodAll();
    if (strategy == detail::GrowStrategy::Labelling) return labelAll();
    core::TaskControl quiet;  // the flood may be dropped: it reports no progress
    quiet.cancel = control.cancel;
    detail::RowFlood<T> rowFlood(input, quiet);
    // A compact region past 1/64 of the ROI (long runs) is labelled for about what its flood
    // has cost so far: labelling is the better bet at once.
    auto compactAndLarge = [&] {
      return rowFlood.voxels() > box.voxelCount() / 64 && rowFlood.voxels() >= 8 * rowFlood.runs();
    };
    if (strategy == detail::GrowStrategy::Flood) return rowFlood.run(params.seeds);
    if (labelWorkers < 2) {
      RegionOutcome flooded = rowFlood.run(
          params.seeds, [&] { return !compactAndLarge() && rowFlood.floodCostNs() <= rowFlood.labelCostNs(); });
      if (flooded.gaveUp) return labelAll();
      return flooded;
    }
    // The labelling starts beside the flood (unless the flood is done within kLabelAfterMs: a
    // small region, where starting a thread and a second stream of reads only slows it); the
    // flood stops and helps once it has run half as long as the labelling alone still needs
    // (judged from the rows it has labelled so far), that is as long as the two together will.
    std::atomic<bool> stopLabelling{false}, labelled{false};
    core::TaskControl labelControl;
    labelControl.cancel = &stopLabelling;
    auto labelling = detail::makeComponentLabelling(input, labelWorkers - 1, 1, labelControl);
    RegionOutcome labelOutcome;
    const auto started = std::chrono::steady_clock::now();
    std::thread labeller;
    std::chrono::steady_clock::time_point labelStart;
    std::int64_t peakFront = 0;
    auto startLabelling = [&] {
      labelStart = std::chrono::steady_clock::now();
      labeller = std::thread([&] {
        labelOutcome = labelling->run(params.seeds);
        labelled.store(true, std::memory_order_release);
      });
    };
    RegionOutcome flooded = rowFlood.run(params.seeds, [&] {
      if (compactAndLarge()) return false;
      if (!labeller.joinable()) {
        if (msSince(started) >= kLabelAfterMs) startLabelling();
        return true;
      }
      if (labelled.load(std::memory_order_relaxed)) return false;
      // A front of queued rows well below its peak: the flood is winding down, let it finish.
      peakFront = std::max(peakFront, rowFlood.front());
      if (rowFlood.front() * 5 < peakFront * 3) return true;
      const double share = labelling->labelledShare();
      if (share < 0.02) return true;
      const double elapsed = msSince(started), labellingMs = msSince(labelStart);
      return elapsed < 0.5 * labellingMs * (1.0 - share) / share;
    });
    if (!flooded.gaveUp) {
      if (labeller.joinable()) {
        stopLabelling.store(true);
        labeller.join();
      }
      return flooded;
    }
    if (!labeller.joinable()) startLabelling();
    labelling->assist(control);
    labeller.join();  // cancelled by the user while helping: labelOutcome says so
    if (labelOutcome.declined) return floodAll();
    return labelOutcome;
  });
  if (outcome.cancelled) return makeError("region grow cancelled");
  region.voxels = outcome.voxels;
  region.bounds = outcome.bounds;
  region.stoppedAtLimit = outcome.stoppedAtLimit;
  if (!outcome.stoppedAtLimit) region.runs = std::move(outcome.runs);
  return region;
}

}  // namespace

core::Result<void> validateRegionGrow(const core::Geometry& g, const RegionGrowParams& p) {
  if (p.seeds.empty()) return makeError("region grow needs at least one seed");
  if (!std::isfinite(p.lower) || !std::isfinite(p.upper) || p.lower > p.upper) {
    std::ostringstream s;
    s << "empty intensity range [" << p.lower << ", " << p.upper << "]: lower must not exceed upper";
    return makeError(s.str());
  }
  if (p.connectivity != 6 && p.connectivity != 18 && p.connectivity != 26)
    return makeError("connectivity must be 6, 18 or 26 (got " + std::to_string(p.connectivity) + ")");
  if (p.maxVoxels < 0) return makeError("the voxel limit must be 0 (none) or positive");
  VoxelBox box = roiOf(g, p);
  if (box.empty()) return makeError("the region of interest does not overlap the volume (" + core::toString(g.dims) + ")");
  for (std::size_t n = 0; n < p.seeds.size(); ++n) {
    const Ijk& s = p.seeds[n];
    if (!g.contains(s[0], s[1], s[2]))
      return makeError("seed " + std::to_string(n + 1) + " at voxel " + ijkText(s) + " lies outside the volume (" +
                       core::toString(g.dims) + ")");
    if (!box.contains(s[0], s[1], s[2]))
      return makeError("seed " + std::to_string(n + 1) + " at voxel " + ijkText(s) +
                       " lies outside the region of interest");
  }
  if (g.dims[0] > std::numeric_limits<std::int32_t>::max() || g.dims[1] > std::numeric_limits<std::int32_t>::max() ||
      g.dims[2] > std::numeric_limits<std::int32_t>::max())
    return makeError("the volume is too large for region growing");
  return {};
}

core::Result<GrowRegion> growConnectedThreshold(const core::Volume& volume, const RegionGrowParams& params,
                                                const core::TaskControl& control) {
  return detail::growConnectedThreshold(volume, params, detail::GrowStrategy::Automatic, control);
}

core::Result<GrowRegion> detail::growConnectedThreshold(const core::Volume& volume, const RegionGrowParams& params,
                                                        GrowStrategy strategy, const core::TaskControl& control) {
  if (auto v = validateRegionGrow(volume.geometry(), params); !v) return v.error();
  auto t0 = std::chrono::steady_clock::now();
  auto region = flood(volume, params, params.lower, params.upper, control, strategy);
  if (region) region->algorithmMs = msSince(t0);
  control.progress(1.0, "grown");
  return region;
}

namespace {

// The range ITK's ConfidenceConnectedImageFilter would use: mean ± k·σ widened to include every
// seed's value, clamped to the voxel type and truncated to it (ITK casts to the pixel type).
template <typename T>
std::pair<double, double> confidenceRange(double mean, double variance, double multiplier, double seedMin,
                                          double seedMax) {
  double sd = std::sqrt(std::max(0.0, variance));
  double lower = std::min(mean - multiplier * sd, seedMin);
  double upper = std::max(mean + multiplier * sd, seedMax);
  if constexpr (std::is_integral_v<T>) {
    lower = std::trunc(std::max(lower, double(std::numeric_limits<T>::min())));
    upper = std::trunc(std::min(upper, double(std::numeric_limits<T>::max())));
  }
  return {lower, upper};
}

}  // namespace

core::Result<GrowRegion> growConfidenceConnected(const core::Volume& volume, const RegionGrowParams& params,
                                                 const ConfidenceParams& confidence, const core::TaskControl& control) {
  RegionGrowParams p = params;
  p.lower = p.upper = 0;
  if (auto v = validateRegionGrow(volume.geometry(), p); !v) return v.error();
  if (!(confidence.multiplier > 0) || confidence.iterations < 0 || confidence.initialRadius < 0)
    return makeError("confidence connected needs a positive multiplier and non-negative iterations and radius");
  const core::Geometry& g = volume.geometry();
  auto t0 = std::chrono::steady_clock::now();

  // First estimate: the seeds' neighbourhoods (indices clamped at the border, as ITK).
  double seedMin = std::numeric_limits<double>::max(), seedMax = std::numeric_limits<double>::lowest();
  double meanSum = 0, sumSquares = 0, valueSum = 0;
  const int r = confidence.initialRadius;
  const double boxSize = std::pow(2.0 * r + 1.0, 3.0);
  for (const Ijk& s : p.seeds) {
    double v = volume.valueAt(s[0], s[1], s[2]);
    seedMin = std::min(seedMin, v);
    seedMax = std::max(seedMax, v);
    valueSum += v;
    double sum = 0;
    for (int dk = -r; dk <= r; ++dk)
      for (int dj = -r; dj <= r; ++dj)
        for (int di = -r; di <= r; ++di) {
          double x = volume.valueAt(std::clamp<std::int64_t>(s[0] + di, 0, g.dims[0] - 1),
                                    std::clamp<std::int64_t>(s[1] + dj, 0, g.dims[1] - 1),
                                    std::clamp<std::int64_t>(s[2] + dk, 0, g.dims[2] - 1));
          sum += x;
          sumSquares += x * x;
        }
    meanSum += sum / boxSize;
  }
  const double n = double(p.seeds.size());
  double mean = 0, variance = 0;
  if (r > 0) {
    mean = meanSum / n;
    const double total = n * boxSize;
    variance = (sumSquares - mean * mean * total) / (total - 1.0);
  } else {
    mean = valueSum / n;
    sumSquares = 0;
    for (const Ijk& s : p.seeds) sumSquares += std::pow(volume.valueAt(s[0], s[1], s[2]), 2.0);
    variance = n > 1 ? (sumSquares - valueSum * valueSum / n) / (n - 1.0) : 0.0;
  }

  auto rangeFor = [&](double m, double var) {
    return core::dispatchScalar(volume.scalarType(), [&](auto zero) {
      return confidenceRange<decltype(zero)>(m, var, confidence.multiplier, seedMin, seedMax);
    });
  };
  auto [lower, upper] = rangeFor(mean, variance);
  auto region = flood(volume, p, lower, upper, control);
  if (!region) return region;
  for (int it = 0; it < confidence.iterations && !region->stoppedAtLimit; ++it) {
    // Re-estimate from the grown region, in raster order (as ITK; integer sums are exact in any).
    double sum = 0, squares = 0;
    std::int64_t count = region->voxels;
    core::dispatchScalar(volume.scalarType(), [&](auto zero) {
      using T = decltype(zero);
      auto voxels = volume.voxels<T>();
      if constexpr (std::is_integral_v<T>) {
        std::int64_t s = 0, q = 0;
        for (const VoxelRun& run : region->runs)
          for (std::int64_t idx = g.linearIndex(run.i0, run.j, run.k), end = idx + (run.i1 - run.i0); idx < end; ++idx) {
            const std::int64_t v = voxels[std::size_t(idx)];
            s += v;
            q += v * v;
          }
        sum = double(s);
        squares = double(q);
      } else {
        std::vector<VoxelRun> runs = region->runs;
        std::sort(runs.begin(), runs.end(), [](const VoxelRun& a, const VoxelRun& b) {
          return std::tie(a.k, a.j, a.i0) < std::tie(b.k, b.j, b.i0);
        });
        for (const VoxelRun& run : runs)
          for (std::int64_t idx = g.linearIndex(run.i0, run.j, run.k), end = idx + (run.i1 - run.i0); idx < end; ++idx) {
            const double v = double(voxels[std::size_t(idx)]);
            sum += v;
            squares += v * v;
          }
      }
      return 0;
    });
    if (count < 2) break;
    mean = sum / double(count);
    variance = (squares - sum * sum / double(count)) / (double(count) - 1.0);
    if (std::abs(variance) < 1e-12) break;
    std::tie(lower, upper) = rangeFor(mean, variance);
    region = flood(volume, p, lower, upper, control);
    if (!region) return region;
  }
  region->algorithmMs = msSince(t0);
  control.progress(1.0, "grown");
  return region;
}

core::Result<GrowOutcome> regionGrow(const core::Volume& volume, LabelEdit& edit, const RegionGrowParams& params,
                                     std::uint8_t label, const std::optional<ConfidenceParams>& confidence,
                                     const core::TaskControl& control) {
  if (volume.geometry().dims != edit.geometry().dims)
    return makeError("the labelmap does not lie on the volume's grid");
  auto region = confidence ? growConfidenceConnected(volume, params, *confidence, control)
                           : growConnectedThreshold(volume, params, control);
  if (!region) return region.error();
  if (region->stoppedAtLimit) {
    std::ostringstream s;
    s << "region grow stopped after " << params.maxVoxels << " voxels (the leak guard): the range [" << region->lower
      << ", " << region->upper << "] leaks beyond the structure; narrow the range, set a region of interest or raise "
      << "the voxel limit. Nothing was painted.";
    return makeError(s.str());
  }
  GrowOutcome out;
  out.changed = writeRuns(edit, region->runs, label);
  out.region = std::move(region).value();
  out.region.runs = {};
  return out;
}

}  // namespace delineo::tools
