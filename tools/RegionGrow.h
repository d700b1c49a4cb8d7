#pragma once
// Region growing from seeds: connected threshold (every voxel connected to a seed through
// voxels in [lower, upper]) and confidence connected (the range is mean ± k·σ of the seeds'
// neighbourhood, then of the region, re-grown a few times, as ITK's
// ConfidenceConnectedImageFilter). The region equals ITK's ConnectedThresholdImageFilter voxel
// for voxel (6: default face connectivity, 26: FullConnectivity). The region is flooded (a
// scanline fill on bit rows, RowFlood.h) and, beside it on a second thread, the connected
// components of the ROI's in-range runs are labelled (ComponentGrow.h); whichever is done
// first gives the region (see flood() in RegionGrow.cpp). The region comes back as runs, so
// its cost follows the region, not the grid. Reports progress and honours cancel through
// TaskControl.
//
// Interactive use (preview): grow into a LabelEdit, show it, then the caller accepts with
// edit.finish() (an undo step) or discards with edit.revert().
#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "core/Result.h"
#include "core/TaskControl.h"
#include "core/Volume.h"
#include "tools/LabelEdit.h"
#include "tools/VoxelBox.h"
#include "tools/VoxelMask.h"

namespace delineo::tools {

using Ijk = std::array<std::int64_t, 3>;

struct RegionGrowParams {
  std::vector<Ijk> seeds;           // voxel indices; seeds whose value is outside the range grow nothing (as ITK)
  double lower = 0;                 // inclusive intensity range (in the volume's units, e.g. HU)
  double upper = 0;
  int connectivity = 6;             // 6 (faces), 18 (faces + edges) or 26 (faces + edges + corners)
  std::optional<VoxelBox> roi;      // grow only inside this box (default: the whole volume)
  std::int64_t maxVoxels = 0;       // leak guard: stop and report when the region exceeds this (0 = no limit)
  int threads = 0;                  // worker threads (0 = one per hardware thread)
};

struct ConfidenceParams {
  double multiplier = 2.5;          // range = mean ± multiplier·σ
  int iterations = 4;               // re-estimations of mean and σ from the grown region
  int initialRadius = 1;            // half-size (voxels) of the box around each seed for the first estimate; 0 = seed voxels only
};

// What a grow found, before anything is written.
struct GrowRegion {
  std::vector<VoxelRun> runs;       // the region: disjoint runs along i, in no particular order
  core::Dims dims{0, 0, 0};         // the volume's grid
  std::int64_t voxels = 0;          // voxels in the region
  VoxelBox bounds;                  // bounding box of the region (empty when it is)
  bool stoppedAtLimit = false;      // the leak guard fired: the mask is partial and must not be used
  int seedsInRange = 0;             // seeds whose value lies in the range (the others grew nothing)
  double lower = 0, upper = 0;      // the range used (confidence connected: the last estimate)
  double algorithmMs = 0;           // wall time of the flood fill(s) alone

  VoxelMask toMask() const { return maskOfRuns(dims, runs); }
};

// Checks seeds, range, connectivity and ROI against `geometry`; the message says what to fix.
core::Result<void> validateRegionGrow(const core::Geometry& geometry, const RegionGrowParams& params);

// Connected threshold: the region only (nothing is written). Errors: invalid params, cancelled.
core::Result<GrowRegion> growConnectedThreshold(const core::Volume& volume, const RegionGrowParams& params,
                                                const core::TaskControl& control = {});

// Confidence connected: params.lower/upper are ignored (estimated from the seeds instead).
core::Result<GrowRegion> growConfidenceConnected(const core::Volume& volume, const RegionGrowParams& params,
                                                 const ConfidenceParams& confidence,
                                                 const core::TaskControl& control = {});

namespace detail {
// How the region is found: Automatic (floods, labels the ROI's components, or both at once,
// see RegionGrow.cpp) outside tests and benchmarks, which also try each way alone.
enum class GrowStrategy { Automatic, Flood, Labelling, ParallelFlood };
core::Result<GrowRegion> growConnectedThreshold(const core::Volume& volume, const RegionGrowParams& params,
                                                GrowStrategy strategy, const core::TaskControl& control = {});
}  // namespace detail

struct GrowOutcome {
  GrowRegion region;                // what was grown (runs released after writing)
  std::int64_t changed = 0;         // voxels the edit changed (its paint rule and locks apply)
};

// Grows (connected threshold, or confidence connected when `confidence` is set) and writes
// `label` into `edit`. When the leak guard fires nothing is written and the error says so.
core::Result<GrowOutcome> regionGrow(const core::Volume& volume, LabelEdit& edit, const RegionGrowParams& params,
                                     std::uint8_t label, const std::optional<ConfidenceParams>& confidence = {},
                                     const core::TaskControl& control = {});

}  // namespace delineo::tools
