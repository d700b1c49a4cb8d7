#include "tools/LabelEdit.h"

#include <algorithm>
#include <atomic>
#include <cassert>
#include <cstring>
#include <numeric>
#include <thread>

#include "tools/Parallel.h"

namespace delineo::tools {

namespace {

// Bricks handed to a worker at a time: few enough that a worker descheduled on a busy machine
// leaves little behind, many enough that the shared counter is not contended.
constexpr std::size_t kBricksPerGrab = 4;
// Fewer bricks than this are worked by the calling thread alone (starting threads costs more).
constexpr std::size_t kParallelBricks = 32;

// Calls body(worker, index) for every index in [0, count), spread over `workers` threads (the
// caller's among them) that take the next indices as they finish; each index is worked once.
template <typename Body>
void forEachIndex(std::size_t count, int workers, Body&& body, std::size_t perGrab = kBricksPerGrab) {
  if (workers <= 1 || count < 2) {
    for (std::size_t n = 0; n < count; ++n) body(0, n);
    return;
  }
  std::atomic<std::size_t> next{0};
  auto work = [&](int worker) {
    for (std::size_t n = next.fetch_add(perGrab, std::memory_order_relaxed); n < count;
         n = next.fetch_add(perGrab, std::memory_order_relaxed))
      for (std::size_t m = n; m < std::min(count, n + perGrab); ++m) body(worker, m);
  };
  std::vector<std::thread> pool;
  for (int w = 1; w < workers; ++w) pool.emplace_back(work, w);
  work(0);
  for (auto& t : pool) t.join();
}

int workersFor(std::size_t bricks, int threads) {
  return bricks < kParallelBricks ? 1 : int(std::min<std::size_t>(std::size_t(workerCount(threads)), bricks));
}

}  // namespace

LabelEdit::LabelEdit(core::Labelmap& labelmap, const core::Volume* volume, const PaintRule& rule)
    : mLabelmap(labelmap), mVolume(volume), mRule(rule), mBrickDims(labelmap.brickDims()) {
  assert(!rule.intensityRange || (volume && volume->geometry().dims == labelmap.geometry().dims));
  std::array<bool, 256> locked{};
  for (const auto& l : labelmap.labels().labels()) locked[l.id] = l.locked;
  for (int id = 0; id < 256; ++id) {
    bool overRule = rule.over == PaintRule::Over::All || (rule.over == PaintRule::Over::BackgroundOnly && id == 0) ||
                    (rule.over == PaintRule::Over::OnlyLabel && id == rule.onlyLabel);
    mWritable[std::size_t(id)] = overRule && !locked[std::size_t(id)];
  }
  mSlotOfBrick.assign(static_cast<std::size_t>(labelmap.brickCount()), -1);
}

bool LabelEdit::allowedOver(std::uint8_t current, std::int64_t index) const {
  if (!mWritable[current]) return false;
  if (mRule.intensityRange) {
    double v = mVolume->valueAtIndex(index);
    if (v < mRule.intensityRange->first || v > mRule.intensityRange->second) return false;
  }
  return true;
}

bool LabelEdit::allowed(std::int64_t i, std::int64_t j, std::int64_t k) const {
  std::int64_t index = geometry().linearIndex(i, j, k);
  return allowedOver(mLabelmap.voxels()[static_cast<std::size_t>(index)], index);
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

std::int64_t LabelEdit::setStripRows(std::int64_t firstBrick, std::int64_t count, const VoxelBox& box,
                                     const RowProposal& propose, RowBasis basis, std::vector<Saved>& saved) {
  const BrickBox first = brickBox(mLabelmap, firstBrick), last = brickBox(mLabelmap, firstBrick + count - 1);
  const std::int64_t lo[3] = {std::max(first.lo[0], box.lo[0]), std::max(first.lo[1], box.lo[1]),
                              std::max(first.lo[2], box.lo[2])};
  const std::int64_t hi[3] = {std::min(last.hi[0], box.hi[0]), std::min(first.hi[1], box.hi[1]),
                              std::min(first.hi[2], box.hi[2])};
  if (lo[0] >= hi[0] || lo[1] >= hi[1] || lo[2] >= hi[2]) return 0;
  constexpr int kShift = 5;
  static_assert(core::Labelmap::kBrickSize == 1 << kShift);
  // Per brick of the strip: its before-values where rows start from them, and whether it is saved.
  // Only this thread works these bricks, and mSaved does not change until every thread is done.
  struct BrickState {
    const std::uint8_t* before = nullptr;
    std::int64_t width = 0;
    bool saved = false;
  };
  std::vector<BrickState> state(static_cast<std::size_t>(count));
  bool anyBefore = false;
  for (std::int64_t c = 0; c < count; ++c) {
    const std::int32_t slot = mSlotOfBrick[static_cast<std::size_t>(firstBrick + c)];
    BrickState& b = state[std::size_t(c)];
    b.saved = slot >= 0;
    b.width = std::min(first.lo[0] + (c + 1) * core::Labelmap::kBrickSize, last.hi[0]) -
              (first.lo[0] + c * core::Labelmap::kBrickSize);
    if (basis == RowBasis::EditStart && b.saved) {
      b.before = mSaved[static_cast<std::size_t>(slot)].before.data();
      anyBefore = true;
    }
  }
  const std::int64_t brickHeight = first.hi[1] - first.lo[1];
  const std::size_t n = static_cast<std::size_t>(hi[0] - lo[0]);
  std::vector<std::uint8_t> start(n), wanted(n);
  const core::Geometry& g = geometry();
  std::uint8_t* voxels = mLabelmap.voxels().data();
  std::int64_t changed = 0;
  for (std::int64_t k = lo[2]; k < hi[2]; ++k)
    for (std::int64_t j = lo[1]; j < hi[1]; ++j) {
      const std::int64_t index = g.linearIndex(lo[0], j, k);
      std::uint8_t* current = voxels + index;
      std::memcpy(start.data(), current, n);
      if (anyBefore)
        for (std::int64_t c = 0; c < count; ++c) {
          const BrickState& b = state[std::size_t(c)];
          if (!b.before) continue;
          const std::int64_t brickLo = first.lo[0] + c * core::Labelmap::kBrickSize;
          const std::int64_t from = std::max(brickLo, lo[0]), to = std::min(brickLo + b.width, hi[0]);
          const std::uint8_t* row = b.before + b.width * ((j - first.lo[1]) + brickHeight * (k - first.lo[2]));
          std::memcpy(start.data() + (from - lo[0]), row + (from - brickLo), std::size_t(to - from));
        }
      std::memcpy(wanted.data(), start.data(), n);
      propose(j, k, lo[0], std::span<std::uint8_t>(wanted.data(), n));
      if (!anyBefore && std::memcmp(start.data(), wanted.data(), n) == 0) continue;
      for (std::size_t x = 0; x < n; ++x) {
        // As set() after reverting the voxel to `start` (a no-op for RowBasis::Current).
        const std::uint8_t value =
            wanted[x] != start[x] && allowedOver(start[x], index + std::int64_t(x)) ? wanted[x] : start[x];
        if (value == current[x]) continue;
        BrickState& b = state[std::size_t(((lo[0] + std::int64_t(x)) >> kShift) - (first.lo[0] >> kShift))];
        if (!b.saved) {  // before the brick's first write
          const std::int64_t brick = firstBrick + (((lo[0] + std::int64_t(x)) >> kShift) - (first.lo[0] >> kShift));
          Saved s{brick, {}};
          readBrick(mLabelmap, brick, s.before);
          saved.push_back(std::move(s));
          b.saved = true;
        }
        current[x] = value;
        ++changed;
      }
    }
  return changed;
}

std::int64_t LabelEdit::setRows(std::span<const std::int64_t> bricks, const VoxelBox& box, const RowProposal& propose,
                                RowBasis basis, int threads) {
  assert(!mFinished);
  const VoxelBox clipped = box.clippedTo(geometry().dims);
  if (clipped.empty() || bricks.empty()) return 0;
  // Strips: runs of bricks adjacent along i, worked row by row, so that each row of the labelmap
  // (and of the proposer's data) is read in one stream rather than in pieces of 32.
  std::vector<std::int64_t> sorted(bricks.begin(), bricks.end());
  std::sort(sorted.begin(), sorted.end());
  assert(std::adjacent_find(sorted.begin(), sorted.end()) == sorted.end());
  std::vector<std::pair<std::int64_t, std::int64_t>> strips;  // first brick, count
  for (std::int64_t b : sorted) {
    assert(b >= 0 && b < mLabelmap.brickCount());
    if (!strips.empty() && strips.back().first + strips.back().second == b && b % mBrickDims[0] != 0)
      ++strips.back().second;
    else
      strips.push_back({b, 1});
  }
  const int workers = workersFor(sorted.size(), threads);
  std::vector<std::vector<Saved>> saved(static_cast<std::size_t>(workers));
  std::vector<std::int64_t> changed(static_cast<std::size_t>(workers), 0);
  forEachIndex(strips.size(), workers, [&](int w, std::size_t n) {
    changed[std::size_t(w)] +=
        setStripRows(strips[n].first, strips[n].second, clipped, propose, basis, saved[std::size_t(w)]);
  }, 1);
  for (auto& list : saved)
    for (auto& s : list) {
      mSlotOfBrick[static_cast<std::size_t>(s.brick)] = static_cast<std::int32_t>(mSaved.size());
      mSaved.push_back(std::move(s));
    }
  const std::int64_t total = std::accumulate(changed.begin(), changed.end(), std::int64_t{0});
  mChanged += total;
  return total;
}

std::int64_t LabelEdit::setRows(const VoxelBox& box, const RowProposal& propose, RowBasis basis, int threads) {
  const VoxelBox clipped = box.clippedTo(geometry().dims);
  if (clipped.empty()) return 0;
  constexpr int kShift = 5;
  static_assert(core::Labelmap::kBrickSize == 1 << kShift);
  std::vector<std::int64_t> bricks;
  for (std::int64_t bk = clipped.lo[2] >> kShift; bk <= (clipped.hi[2] - 1) >> kShift; ++bk)
    for (std::int64_t bj = clipped.lo[1] >> kShift; bj <= (clipped.hi[1] - 1) >> kShift; ++bj)
      for (std::int64_t bi = clipped.lo[0] >> kShift; bi <= (clipped.hi[0] - 1) >> kShift; ++bi)
        bricks.push_back(bi + mBrickDims[0] * (bj + mBrickDims[1] * bk));
  return setRows(bricks, clipped, propose, basis, threads);
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
  std::sort(mSaved.begin(), mSaved.end(), [](const Saved& a, const Saved& b) { return a.brick < b.brick; });
  // Bricks are encoded in parallel, each into its own slot; the ones that did not change drop out.
  std::vector<BrickDelta> encoded(mSaved.size());
  std::vector<std::int64_t> differing(mSaved.size(), 0);
  const int workers = workersFor(mSaved.size(), 0);
  std::vector<std::vector<std::uint8_t>> after(static_cast<std::size_t>(workers));
  forEachIndex(mSaved.size(), workers, [&](int w, std::size_t n) {
    Saved& s = mSaved[n];
    std::vector<std::uint8_t>& now = after[std::size_t(w)];
    readBrick(mLabelmap, s.brick, now);
    std::int64_t d = 0;
    for (std::size_t v = 0; v < now.size(); ++v) d += now[v] != s.before[v];
    differing[n] = d;
    if (d > 0) encoded[n] = {s.brick, encodeRuns(s.before), encodeRuns(now)};  // else painted back within the edit
    std::vector<std::uint8_t>().swap(s.before);
  });
  EditDelta delta;
  for (std::size_t n = 0; n < encoded.size(); ++n) {
    if (differing[n] == 0) continue;
    delta.changedVoxels += differing[n];
    delta.bricks.push_back(std::move(encoded[n]));
  }
  mSaved.clear();
  mSaved.shrink_to_fit();
  return delta;
}

void LabelEdit::revert() {
  assert(!mFinished);
  mFinished = true;
  forEachIndex(mSaved.size(), workersFor(mSaved.size(), 0),
               [&](int, std::size_t n) { writeBrick(mLabelmap, mSaved[n].brick, mSaved[n].before); });
  mSaved.clear();
}

}  // namespace delineo::tools
