#pragma once
// Connected threshold by labelling connected components instead of flooding: every row of the
// region of interest is cut into runs of in-range voxels (a bit-mask pass, slabs of slices in
// parallel), runs that touch under the connectivity are joined in a union-find, and the region
// is every run whose component holds an in-range seed. It costs a pass over the ROI plus a
// little per run, whatever the region's shape; the flood costs a lot per run of the region, so
// this wins on large regions and thin tortuous shells (bone). The region equals the flood's,
// and so ITK's ConnectedThresholdImageFilter's. Internal to RegionGrow.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <type_traits>
#include <vector>

#include "core/Geometry.h"
#include "core/TaskControl.h"
#include "tools/VoxelBox.h"
#include "tools/VoxelMask.h"

namespace delineo::tools::detail {

// Inclusive range in the voxel type: integers compare exactly against ceil(lower)..floor(upper).
template <typename T>
struct TypedRange {
  T lo, hi;
  bool empty;
  static TypedRange make(double lower, double upper) {
    if constexpr (std::is_integral_v<T>) {
      double l = std::max(std::ceil(lower), double(std::numeric_limits<T>::min()));
      double h = std::min(std::floor(upper), double(std::numeric_limits<T>::max()));
      if (l > h) return {T{}, T{}, true};
      return {static_cast<T>(l), static_cast<T>(h), false};
    } else {
      return {static_cast<T>(lower), static_cast<T>(upper), lower > upper};
    }
  }
  bool contains(T v) const { return v >= lo && v <= hi; }
};

// What every way of growing a region reads: the voxels on their grid, the box to grow in, the
// range, the connectivity (6, 18, 26) and the leak guard (0: none).
template <typename T>
struct GrowInput {
  const T* voxels;
  core::Dims dims;
  VoxelBox box;
  TypedRange<T> range;
  int connectivity;
  std::int64_t maxVoxels;
};

// What one way of growing found (the floods' and the labelling's).
struct RegionOutcome {
  std::int64_t voxels = 0;      // voxels in the region (also when stopped at the limit)
  VoxelBox bounds;              // bounding box of the region (empty when it is)
  bool stoppedAtLimit = false;  // the region exceeds maxVoxels: no runs are given
  bool cancelled = false;
  bool gaveUp = false;          // RowFlood: told to stop (labelling took over); no runs are given
  bool declined = false;        // labelling: the in-range voxels are too fragmented (memory); flood instead
  std::vector<VoxelRun> runs;   // the region: labelling sorted by k, j, i; floods in no particular order
};

// One labelling of an ROI, run() on one thread; another thread (one that was flooding the same
// region and found labelling cheaper) may join it with assist() at any time.
class ComponentLabelling {
 public:
  virtual ~ComponentLabelling() = default;
  // The region of the components holding an in-range seed (`seeds` lie in the box).
  virtual RegionOutcome run(const std::vector<std::array<std::int64_t, 3>>& seeds) = 0;
  // Takes part in run()'s remaining work until run() finishes; reports progress to `control`
  // (run() reports to its own only from the thread that called it).
  virtual void assist(const core::TaskControl& control) = 0;
  // The share of the ROI's rows labelled so far (the labelling's bulk; selecting and collecting
  // the region's runs follow).
  virtual double labelledShare() const = 0;
};

// `threads` as RegionGrowParams::threads; `assistants`: threads that may call assist() (the
// ROI is cut into slabs enough for them too). `control` is used by run()'s thread and workers.
template <typename T>
std::unique_ptr<ComponentLabelling> makeComponentLabelling(const GrowInput<T>& input, int threads, int assistants,
                                                           const core::TaskControl& control);

// The most threads labelling `box` can use: with threads 0 (one per hardware thread), one below
// a million voxels (there starting threads, once per pass, costs about what they save).
inline std::int64_t labelWorkerLimit(const VoxelBox& box, int threads) {
  const std::int64_t depth = std::max<std::int64_t>(1, box.hi[2] - box.lo[2]);
  return threads > 0 || box.voxelCount() >= (std::int64_t{1} << 20) ? depth : 1;
}

// Bit x of `bits` ((n + 63) / 64 words) is set when row[x] lies in `range`; bits past n are 0.
template <typename T>
void inRangeBits(const T* row, std::int64_t n, TypedRange<T> range, std::uint64_t* bits);

// The region grown from `seeds` (in `box`; those out of range grow nothing) by labelling alone.
template <typename T>
RegionOutcome growByComponents(const GrowInput<T>& input, const std::vector<std::array<std::int64_t, 3>>& seeds,
                                      int threads, const core::TaskControl& control) {
  return makeComponentLabelling(input, threads, 0, control)->run(seeds);
}

}  // namespace delineo::tools::detail
