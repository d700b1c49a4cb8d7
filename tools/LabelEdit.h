#pragma once
// LabelEdit: the only way a labelmap's voxels change. A tool writes voxel by voxel through it,
// or row by row over whole bricks (setRows, for tools that write most of a box); either way it
// applies the paint-over rule, the locks and the optional intensity range, keeps the
// before-values of every brick it touches, and on finish() hands back the compressed delta
// (the undo step) and the dirty bricks. Valid while the labelmap and volume outlive it; one
// LabelEdit at a time per labelmap.

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <vector>

#include "core/Labelmap.h"
#include "core/Volume.h"
#include "tools/EditDelta.h"
#include "tools/VoxelBox.h"

namespace delineo::tools {

// Which voxels an edit may overwrite. Locked labels are never overwritten (nor erased).
struct PaintRule {
  enum class Over {
    All,             // any voxel (except locked labels)
    BackgroundOnly,  // only voxels that are 0
    OnlyLabel,       // only voxels that hold `onlyLabel`
  };
  Over over = Over::All;
  std::uint8_t onlyLabel = 0;  // used with Over::OnlyLabel
  // Paint only where the volume's value lies in [lo, hi] (threshold brush).
  std::optional<std::pair<double, double>> intensityRange;
};

class LabelEdit {
 public:
  // `volume` is needed only for an intensity range; it must lie on the labelmap's grid.
  LabelEdit(core::Labelmap& labelmap, const core::Volume* volume, const PaintRule& rule);
  LabelEdit(const LabelEdit&) = delete;
  LabelEdit& operator=(const LabelEdit&) = delete;

  const core::Labelmap& labelmap() const { return mLabelmap; }
  const core::Geometry& geometry() const { return mLabelmap.geometry(); }

  // Whether the rule lets voxel (i,j,k) (inside the grid) be set.
  bool allowed(std::int64_t i, std::int64_t j, std::int64_t k) const;
  // Sets voxel (i,j,k) to `value` when the rule allows; true if the voxel changed.
  bool set(std::int64_t i, std::int64_t j, std::int64_t k, std::uint8_t value);

  // Proposes new values for one row of voxels (iLo .. iLo + values.size() - 1, j, k), the row's
  // part of the box across adjacent bricks: `values` arrives holding the voxels' values (see
  // RowBasis) and the proposer changes those it wants set. Called concurrently from several
  // threads (never twice for one row), so it must only read shared state.
  using RowProposal =
      std::function<void(std::int64_t j, std::int64_t k, std::int64_t iLo, std::span<std::uint8_t> values)>;
  enum class RowBasis {
    Current,    // rows hold the current values; each proposed change is made as set() makes it
    EditStart,  // rows hold the values from before this edit, and the voxels end as if the edit
                // had been reverted for them and the proposal set(): re-applies a changed result
  };
  // Bulk writing: every row of `box` inside `bricks` (linear brick indices, each listed once)
  // is proposed and written, each brick by one of `threads` threads (0 = one per hardware
  // thread). The labelmap ends as with set() voxel by voxel, in any order. Returns the voxels
  // written.
  std::int64_t setRows(std::span<const std::int64_t> bricks, const VoxelBox& box, const RowProposal& propose,
                       RowBasis basis = RowBasis::Current, int threads = 0);
  // The same over every brick that meets `box`.
  std::int64_t setRows(const VoxelBox& box, const RowProposal& propose, RowBasis basis = RowBasis::Current,
                       int threads = 0);

  // Voxel writes so far (a voxel painted and painted back counts twice; finish() tells the net).
  std::int64_t changedVoxels() const { return mChanged; }
  // Bricks touched so far (for live previews); sorted.
  std::vector<std::int64_t> touchedBricks() const;

  // Ends the edit: the delta of every brick that really changed (empty when nothing did).
  EditDelta finish();
  // Ends the edit by restoring every touched brick (a discarded preview).
  void revert();

 private:
  struct Saved {
    std::int64_t brick;
    std::vector<std::uint8_t> before;
  };
  void saveBrick(std::int64_t brick);
  // Whether the rule lets a voxel holding `current` (at linear index `index`) be set.
  bool allowedOver(std::uint8_t current, std::int64_t index) const;
  // setRows for `count` bricks adjacent along i from `firstBrick`; bricks it saves go to `saved`.
  std::int64_t setStripRows(std::int64_t firstBrick, std::int64_t count, const VoxelBox& box,
                            const RowProposal& propose, RowBasis basis, std::vector<Saved>& saved);

  core::Labelmap& mLabelmap;
  const core::Volume* mVolume;
  PaintRule mRule;
  std::array<bool, 256> mWritable{};  // by current id: the paint-over rule and the locks
  core::Dims mBrickDims{};
  std::vector<std::int32_t> mSlotOfBrick;  // index into mSaved, -1 when untouched
  std::vector<Saved> mSaved;
  std::int64_t mChanged = 0;
  bool mFinished = false;
};

}  // namespace delineo::tools
