#pragma once
// GrowFromSeeds: competitive multi-label growing (in the spirit of 3D Slicer's "Grow from
// seeds"). Every voxel of the ROI takes the label whose seeds reach it at the least path cost,
// where a step between face neighbours costs 1 + |intensity difference| / intensityStep
// (quantized to integers, so a bucket queue replaces the heap: Dial's algorithm, O(1) per push).
// Equal costs go to the smaller label id, so the result does not depend on the order of work (nor
// on the number of threads: each level of the queue is shared out among them).
// The cost and label maps are kept: after the user adds seeds, update() propagates only from
// the new seeds, and only where they improve the cost, so an update costs what it changes.
//
// Interactive use: apply() writes the result into a LabelEdit (a preview) that stays open while
// the user paints more seeds; then update() and applyUpdate() rewrite only the bricks the new
// seeds changed, and finally the caller finish()es the edit. Where the seeds are painted into
// the edit's own labelmap, the caller instead reverts the preview first, then update(), apply().
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <optional>
#include <vector>

#include "core/Labelmap.h"
#include "core/Result.h"
#include "core/TaskControl.h"
#include "core/Volume.h"
#include "tools/LabelEdit.h"
#include "tools/VoxelBox.h"

namespace delineo::tools {

struct GrowFromSeedsParams {
  std::optional<VoxelBox> roi;  // voxels that take a label (default: the whole volume)
  double intensityStep = 0;     // intensity difference that costs one extra step (0 = (max - min) / 256 of the ROI)
  int threads = 0;              // worker threads (0 = one per hardware thread); the result is the same for any
};

struct GrowFromSeedsStats {
  std::int64_t seeds = 0;          // seed voxels in the ROI
  std::int64_t labelled = 0;       // voxels (seeds aside) whose label or cost changed in this run
  int labels = 0;                  // distinct seed labels
  bool incremental = false;        // update() reused the previous result
  double algorithmMs = 0;
};

class GrowFromSeeds {
 public:
  // Full run: every non-zero voxel of `seeds` inside the ROI is a seed of its label; at least
  // two labels are needed (the structure and what surrounds it).
  core::Result<GrowFromSeedsStats> run(const core::Volume& volume, const core::Labelmap& seeds,
                                       const GrowFromSeedsParams& params, const core::TaskControl& control = {});
  // After seeds were added: propagates from the new seed voxels only. Removed or relabelled
  // seeds (or no previous run) fall back to a full run.
  core::Result<GrowFromSeedsStats> update(const core::Volume& volume, const core::Labelmap& seeds,
                                          const core::TaskControl& control = {});

  // Label of voxel (i,j,k) in the result; 0 outside the ROI or before a run.
  std::uint8_t labelAt(std::int64_t i, std::int64_t j, std::int64_t k) const;
  // Writes the result into `edit`: every ROI voxel that is background there takes its label.
  // Whole bricks at a time, on the run's threads. Returns the voxels written.
  std::int64_t apply(LabelEdit& edit) const;
  // After update(): brings `edit`, still open and holding (through apply() or applyUpdate())
  // the result from before that update, up to date. Only the bricks whose voxels the update
  // changed are rewritten; the labelmap ends as if the edit were reverted and apply() run.
  // After a full run it rewrites the whole ROI the same way.
  std::int64_t applyUpdate(LabelEdit& edit) const;
  bool hasResult() const { return mCells != nullptr; }

 private:
  // One padded voxel in 64 bits: key = cost << 8 | label in bits 0-31, so that "less cost, then
  // smaller label" is one comparison; the quantized intensity in bits 32-47, so that a
  // neighbour's key and level share a cache line; in bits 48-63 the run (epoch) that last
  // queued the voxel, so that each voxel is queued once per cost it takes in a run.
  using Cell = std::uint64_t;
  struct FreeCells {
    void operator()(Cell* p) const { std::free(p); }
  };

  core::Result<GrowFromSeedsStats> propagate(const std::vector<std::uint32_t>& seeds, const core::TaskControl& control,
                                             GrowFromSeedsStats stats);
  // Labelmap bricks holding the given cells, sorted.
  std::vector<std::int64_t> bricksOf(const std::vector<std::vector<std::uint32_t>>& cells) const;
  // apply() and applyUpdate(): the ROI rows of `bricks` (null: of every brick meeting the ROI).
  std::int64_t write(LabelEdit& edit, const std::vector<std::int64_t>* bricks, LabelEdit::RowBasis basis) const;
  std::uint8_t labelOf(std::int64_t p) const { return static_cast<std::uint8_t>(mCells[std::size_t(p)]); }
  std::int64_t paddedIndex(std::int64_t i, std::int64_t j, std::int64_t k) const {
    return (i - mRoi.lo[0] + 1) + mPadded[0] * ((j - mRoi.lo[1] + 1) + mPadded[1] * (k - mRoi.lo[2] + 1));
  }

  GrowFromSeedsParams mParams;
  core::Dims mVolumeDims{0, 0, 0};
  VoxelBox mRoi;
  core::Dims mPadded{0, 0, 0};                // ROI plus a one-voxel wall on each side (no bounds checks)
  std::unique_ptr<Cell[], FreeCells> mCells;  // the wall has key 0: cost 0, label 0, never improved
  std::uint16_t mEpoch = 0;                   // of the last propagation
  std::vector<std::uint32_t> mSeedCells;      // cells of the seeds in the result, to notice removed ones
  // Labelmap bricks the last update() changed; none after a full run.
  std::optional<std::vector<std::int64_t>> mChangedBricks;
};

}  // namespace delineo::tools
