#pragma once
// LabelEdit: the only way a labelmap's voxels change. A tool writes voxel by voxel through it;
// it applies the paint-over rule, the locks and the optional intensity range, keeps the
// before-values of every brick it touches, and on finish() hands back the compressed delta
// (the undo step) and the dirty bricks. Valid while the labelmap and volume outlive it; one
// LabelEdit at a time per labelmap.

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "core/Labelmap.h"
#include "core/Volume.h"
#include "tools/EditDelta.h"

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

  std::int64_t changedVoxels() const { return mChanged; }
  // Bricks touched so far (for live previews); sorted.
  std::vector<std::int64_t> touchedBricks() const;

  // Ends the edit: the delta of every brick that really changed (empty when nothing did).
  EditDelta finish();
  // Ends the edit by restoring every touched brick (a discarded preview).
  void revert();

 private:
  void saveBrick(std::int64_t brick);

  core::Labelmap& mLabelmap;
  const core::Volume* mVolume;
  PaintRule mRule;
  std::array<bool, 256> mLocked{};
  core::Dims mBrickDims{};
  std::vector<std::int32_t> mSlotOfBrick;  // index into mSaved, -1 when untouched
  struct Saved {
    std::int64_t brick;
    std::vector<std::uint8_t> before;
  };
  std::vector<Saved> mSaved;
  std::int64_t mChanged = 0;
  bool mFinished = false;
};

}  // namespace delineo::tools
