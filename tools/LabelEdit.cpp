#include "tools/LabelEdit.h"

#include <algorithm>
#include <cassert>

namespace delineo::tools {

LabelEdit::LabelEdit(core::Labelmap& labelmap, const core::Volume* volume, const PaintRule& rule)
    : mLabelmap(labelmap), mVolume(volume), mRule(rule), mBrickDims(labelmap.brickDims()) {
  assert(!rule.intensityRange || (volume && volume->geometry().dims == labelmap.geometry().dims));
  for (const auto& l : labelmap.labels().labels()) mLocked[l.id] = l.locked;
  mSlotOfBrick.assign(static_cast<std::size_t>(labelmap.brickCount()), -1);
}

bool LabelEdit::allowed(std::int64_t i, std::int64_t j, std::int64_t k) const {
  std::int64_t index = geometry().linearIndex(i, j, k);
  std::uint8_t current = mLabelmap.voxels()[static_cast<std::size_t>(index)];
  if (mLocked[current]) return false;
  switch (mRule.over) {
    case PaintRule::Over::All: break;
    case PaintRule::Over::BackgroundOnly:
      if (current != 0) return false;
      break;
    case PaintRule::Over::OnlyLabel:
      if (current != mRule.onlyLabel) return false;
      break;
  }
  if (mRule.intensityRange) {
    double v = mVolume->valueAtIndex(index);
    if (v < mRule.intensityRange->first || v > mRule.intensityRange->second) return false;
  }
  return true;
}

void LabelEdit::saveBrick(std::int64_t brick) {
  mSlotOfBrick[static_cast<std::size_t>(brick)] = static_cast<std::int32_t>(mSaved.size());
  Saved saved{brick, {}};
  readBrick(mLabelmap, brick, saved.before);
  mSaved.push_back(std::move(saved));
}

bool LabelEdit::set(std::int64_t i, std::int64_t j, std::int64_t k, std::uint8_t value) {
  assert(!mFinished && geometry().contains(i, j, k));
  auto& voxel = mLabelmap.voxels()[static_cast<std::size_t>(geometry().linearIndex(i, j, k))];
  if (voxel == value || !allowed(i, j, k)) return false;
  std::int64_t brick = (i >> 5) + mBrickDims[0] * ((j >> 5) + mBrickDims[1] * (k >> 5));
  static_assert(core::Labelmap::kBrickSize == 32);
  if (mSlotOfBrick[static_cast<std::size_t>(brick)] < 0) saveBrick(brick);
  voxel = value;
  ++mChanged;
  return true;
}

std::vector<std::int64_t> LabelEdit::touchedBricks() const {
  std::vector<std::int64_t> bricks;
  for (const auto& s : mSaved) bricks.push_back(s.brick);
  std::sort(bricks.begin(), bricks.end());
  return bricks;
}

EditDelta LabelEdit::finish() {
  assert(!mFinished);
  mFinished = true;
  EditDelta delta;
  std::sort(mSaved.begin(), mSaved.end(), [](const Saved& a, const Saved& b) { return a.brick < b.brick; });
  std::vector<std::uint8_t> after;
  std::int64_t changed = 0;
  for (auto& s : mSaved) {
    readBrick(mLabelmap, s.brick, after);
    std::int64_t differing = 0;
    for (std::size_t v = 0; v < after.size(); ++v) differing += after[v] != s.before[v];
    if (differing == 0) continue;  // painted and painted back within one edit
    changed += differing;
    delta.bricks.push_back({s.brick, encodeRuns(s.before), encodeRuns(after)});
  }
  delta.changedVoxels = changed;
  mSaved.clear();
  mSaved.shrink_to_fit();
  return delta;
}

void LabelEdit::revert() {
  assert(!mFinished);
  mFinished = true;
  for (const auto& s : mSaved) writeBrick(mLabelmap, s.brick, s.before);
  mSaved.clear();
}

}  // namespace delineo::tools
