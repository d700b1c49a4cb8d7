#pragma once
// RowFlood: region growing by a single-threaded scanline flood on bit rows, and what the floods
// share. Internal to RegionGrow.cpp (see RegionGrow.h).
//
// Each row of the ROI holds, as 64-bit words: the voxels in range and not yet filled (computed
// from the voxels a word at a time, the first time the flood looks at that word, so a small
// region reads little of the volume), and the bits other rows have posted to it. Processing a
// row fills every run of in-range voxels that holds a posted bit, then posts the filled bits
// (widened by one where 18/26-connectivity reaches diagonally) to the neighbouring rows and
// queues those that received new bits. Rows wait in a FIFO queue, so bits posted to a row by
// several neighbours are filled in one visit, and the voxels of a queued row's new words are
// prefetched while it waits. The result is the closure of the seeds under the connectivity:
// the same region as ParallelFlood, labelling (ComponentGrow.h) and ITK.
#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <functional>
#include <limits>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "core/Geometry.h"
#include "core/TaskControl.h"
#include "tools/ComponentGrow.h"
#include "tools/VoxelBox.h"
#include "tools/VoxelMask.h"

namespace delineo::tools::detail {

// A neighbouring row and how far the connectivity reaches sideways into it: 6-connectivity
// reaches only the voxel above/below, 18 also the row neighbours of face rows, 26 all.
struct RowOffset {
  int dj, dk, widen;
};

inline std::vector<RowOffset> rowOffsets(int connectivity) {
  std::vector<RowOffset> out;
  for (int dk = -1; dk <= 1; ++dk)
    for (int dj = -1; dj <= 1; ++dj) {
      int nonZero = (dj != 0) + (dk != 0);
      if (nonZero == 0 || (connectivity == 6 && nonZero == 2)) continue;
      int widen = connectivity == 26 ? 1 : (connectivity == 18 && nonZero == 1 ? 1 : 0);
      out.push_back({dj, dk, widen});
    }
  return out;
}

// Memory a RowFlood keeps between calls (up to 64 MB), so that a grow after a grow (a threshold
// dragged in a preview) finds its pages mapped already. One at a time; concurrent grows
// allocate their own.
struct RowFloodScratch {
  struct QueuedRow {
    std::int32_t j, k;
  };
  std::unique_ptr<std::uint64_t[]> blocks;
  std::size_t blockWords = 0;
  std::unique_ptr<std::uint32_t[]> state;  // per row: epoch << 1 | queued; touched this run when the epoch matches
  std::unique_ptr<QueuedRow[]> queue;
  std::size_t rows = 0;
  std::uint32_t epoch = 0;

  static RowFloodScratch take() {
    std::lock_guard lock(mutex());
    return std::move(kept());
  }
  static void giveBack(RowFloodScratch&& s) {
    if (s.blockWords * 8 > (std::size_t{64} << 20)) return;
    std::lock_guard lock(mutex());
    if (kept().blockWords <= s.blockWords) kept() = std::move(s);
  }
  RowFloodScratch() = default;
  RowFloodScratch(RowFloodScratch&& o) noexcept { *this = std::move(o); }
  RowFloodScratch& operator=(RowFloodScratch&& o) noexcept {
    blocks = std::move(o.blocks);
    state = std::move(o.state);
    queue = std::move(o.queue);
    blockWords = std::exchange(o.blockWords, 0);
    rows = std::exchange(o.rows, 0);
    epoch = std::exchange(o.epoch, 0);
    return *this;
  }

 private:
  static std::mutex& mutex() {
    static std::mutex m;
    return m;
  }
  static RowFloodScratch& kept() {
    static RowFloodScratch s;
    return s;
  }
};

template <typename T>
class RowFlood {
 public:
  RowFlood(const GrowInput<T>& input, const core::TaskControl& control)
      : mIn(input), mOffsets(rowOffsets(input.connectivity)), mControl(control), mScratch(RowFloodScratch::take()) {
    const VoxelBox& box = input.box;
    mWidth = box.hi[0] - box.lo[0];
    mWords = (mWidth + 63) >> 6;
    mChunk = (mWords + 63) >> 6;  // words per readiness bit (1 up to 4096 voxels a row)
    mRowsPerSlice = box.hi[1] - box.lo[1];
    mRows = mRowsPerSlice * (box.hi[2] - box.lo[2]);
    for (const RowOffset& o : mOffsets) mWiden = mWiden || o.widen;
    mStride = 2 + 2 * mWords;
    // Not value-initialised: a row's block is set up when the flood first reaches it.
    const auto blockWords = std::size_t(mRows * mStride);
    if (mScratch.blockWords < blockWords) {
      mScratch.blocks.reset();
      mScratch.blocks.reset(new std::uint64_t[blockWords]);
      mScratch.blockWords = blockWords;
    }
    if (mScratch.rows < std::size_t(mRows)) {
      mScratch.state.reset();
      mScratch.state.reset(new std::uint32_t[std::size_t(mRows)]());
      mScratch.queue.reset(new RowFloodScratch::QueuedRow[std::size_t(mRows)]);
      mScratch.rows = std::size_t(mRows);
      mScratch.epoch = 0;
    }
    if (++mScratch.epoch >= (1u << 30)) {  // wrapped: every row's state is stale
      std::fill_n(mScratch.state.get(), mScratch.rows, 0u);
      mScratch.epoch = 1;
    }
    mTouched = mScratch.epoch << 1;
    mU.assign(std::size_t(mWords + 2), 0);
    mD.assign(std::size_t(mWords + 2), 0);
  }
  ~RowFlood() { RowFloodScratch::giveBack(std::move(mScratch)); }
  RowFlood(const RowFlood&) = delete;
  RowFlood& operator=(const RowFlood&) = delete;

  // Floods from `seeds` (in the box; those out of range grow nothing). `keepGoing`, if set, is
  // asked every few hundred rows; when it says no, the flood stops with gaveUp.
  RegionOutcome run(const std::vector<std::array<std::int64_t, 3>>& seeds, const std::function<bool()>& keepGoing = {}) {
    mLo = {std::numeric_limits<std::int64_t>::max(), std::numeric_limits<std::int64_t>::max(),
           std::numeric_limits<std::int64_t>::max()};
    mHi = {0, 0, 0};
    for (const auto& s : seeds) {
      if (!mIn.box.contains(s[0], s[1], s[2])) continue;
      const std::int64_t x = s[0] - mIn.box.lo[0];
      const std::int64_t r = rowIndex(s[1], s[2]);
      touch(r);
      const Block bl = block(r);
      bl.pending(x >> 6) |= 1ull << (x & 63);
      bl.widenPending(x >> 6);
      enqueue(r, s[1], s[2]);
    }
    std::int64_t sinceCheck = 0;
    while (mHead != mTail && !mStop) {
      const RowFloodScratch::QueuedRow row = mScratch.queue[std::size_t(mHead)];
      if (++mHead == mRows) mHead = 0;
      processRow(row.j, row.k);
      if (++sinceCheck >= 256) {
        sinceCheck = 0;
        checkControl();
        if (keepGoing && !mStop && !keepGoing()) mGaveUp = mStop = true;
      }
    }
    RegionOutcome out;
    out.voxels = mVoxelCount;
    if (out.voxels > 0) {
      out.bounds.lo = mLo;
      out.bounds.hi = mHi;
    }
    out.stoppedAtLimit = mLimitHit;
    out.cancelled = mCancelled;
    out.gaveUp = mGaveUp;
    if (!mGaveUp && !mLimitHit && !mCancelled) out.runs = std::move(mRuns);
    return out;
  }

  // Rough costs on one core (a 2-core EPYC VM, the head CT after other work evicted it from the
  // caches): the flood pays ~30 ns per run filled, ~35 ns per row visit and ~50 ns per word of
  // voxels first read; labelling the ROI pays ~0.3 ns per voxel and ~30 ns per in-range run
  // (~1.5x with diagonal neighbours), the runs estimated from the words the flood has read
  // (which lie near the region, so it rather overestimates).
  double floodCostNs() const {
    return 30.0 * double(mRuns.size()) + 35.0 * double(mVisits) + 50.0 * double(mWordsComputed);
  }
  double labelCostNs() const {
    if (mWordsComputed == 0) return std::numeric_limits<double>::max();
    const double runs = double(mInRangeRuns) / double(mWordsComputed) * double(mRows) * double(mWords);
    return 0.3 * double(mIn.box.voxelCount()) + (mIn.connectivity == 6 ? 30.0 : 45.0) * runs;
  }
  std::int64_t voxels() const { return mVoxelCount; }
  std::int64_t runs() const { return std::int64_t(mRuns.size()); }
  // Rows waiting in the queue: the flood's front.
  std::int64_t front() const { return mTail >= mHead ? mTail - mHead : mTail + mRows - mHead; }

 private:
  // A row's block: readiness bits of its words, the span of words that may hold pending bits,
  // then (in range and not filled, pending) for each word: one row's state in a line or two.
  struct Block {
    std::uint64_t* p;
    std::uint64_t& ready() const { return p[0]; }
    std::int32_t& pendLo() const { return reinterpret_cast<std::int32_t*>(p + 1)[0]; }
    std::int32_t& pendHi() const { return reinterpret_cast<std::int32_t*>(p + 1)[1]; }
    std::uint64_t& avail(std::int64_t q) const { return p[2 + 2 * q]; }
    std::uint64_t& pending(std::int64_t q) const { return p[3 + 2 * q]; }
    void widenPending(std::int64_t q) const {
      pendLo() = std::min<std::int32_t>(pendLo(), std::int32_t(q));
      pendHi() = std::max<std::int32_t>(pendHi(), std::int32_t(q));
    }
  };
  Block block(std::int64_t r) const { return {mScratch.blocks.get() + r * mStride}; }

  std::int64_t rowIndex(std::int64_t j, std::int64_t k) const {
    return (j - mIn.box.lo[1]) + mRowsPerSlice * (k - mIn.box.lo[2]);
  }

  void touch(std::int64_t r) {
    std::uint32_t& state = mScratch.state[r];
    if ((state | 1u) == (mTouched | 1u)) return;
    state = mTouched;
    const Block b = block(r);
    for (std::int64_t q = 0; q < mWords; ++q) b.pending(q) = 0;
    b.ready() = 0;
    b.pendLo() = std::numeric_limits<std::int32_t>::max();
    b.pendHi() = -1;
  }

  void enqueue(std::int64_t r, std::int64_t j, std::int64_t k) {
    std::uint32_t& state = mScratch.state[r];
    if (state & 1u) return;
    state |= 1u;
    mScratch.queue[std::size_t(mTail)] = {std::int32_t(j), std::int32_t(k)};
    if (++mTail == mRows) mTail = 0;
  }

  const T* voxelRow(std::int64_t j, std::int64_t k) const { return mIn.voxels + mIn.box.lo[0] + mIn.dims[0] * (j + mIn.dims[1] * k); }

  bool ready(const Block& b, std::int64_t q) const { return (b.ready() >> (q / mChunk)) & 1; }

  // Makes word q of the row (voxels at `voxels`) hold its in-range bits, computing its chunk
  // of words if needed.
  void ensure(const Block& b, const T* voxels, std::int64_t q) {
    const std::int64_t c = q / mChunk;
    if ((b.ready() >> c) & 1) return;
    b.ready() |= 1ull << c;
    const std::int64_t first = c * mChunk, last = std::min(mWords, first + mChunk);
    mWordsComputed += last - first;
    std::uint64_t carry = first > 0 && ready(b, first - 1) ? b.avail(first - 1) >> 63 : 0;
    for (std::int64_t w = first; w < last; ++w) {
      std::uint64_t bits = 0;
      inRangeBits(voxels + w * 64, std::min<std::int64_t>(64, mWidth - w * 64), mIn.range, &bits);
      b.avail(w) = bits;
      mInRangeRuns += bitCount(bits & ~((bits << 1) | carry));
      carry = bits >> 63;
    }
  }

  // Bits set (portable: x86-64's baseline has no popcnt, and GCC's library call costs more).
  static int bitCount(std::uint64_t x) {
    x = x - ((x >> 1) & 0x5555555555555555ull);
    x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
    x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0full;
    return int((x * 0x0101010101010101ull) >> 56);
  }

  void prefetch(const T* voxels, std::int64_t q) const {
    const char* p = reinterpret_cast<const char*>(voxels + (q / mChunk) * mChunk * 64);
    for (std::size_t line = 0; line < sizeof(T) * 64; line += 64) __builtin_prefetch(p + line);
  }

  void processRow(std::int64_t j, std::int64_t k) {
    const std::int64_t r = rowIndex(j, k);
    mScratch.state[r] &= ~1u;
    ++mVisits;
    const T* voxels = voxelRow(j, k);
    const Block bl = block(r);
    const std::int64_t pLo = bl.pendLo(), pHi = bl.pendHi();
    bl.pendLo() = std::numeric_limits<std::int32_t>::max();
    bl.pendHi() = -1;
    std::int64_t uLo = mWords, uHi = -1;
    for (std::int64_t q = pLo; q <= pHi; ++q) {
      std::uint64_t s = bl.pending(q);
      if (!s) continue;
      bl.pending(q) = 0;
      ensure(bl, voxels, q);
      s &= bl.avail(q);
      while (s) {
        const std::int64_t x = (q << 6) + std::countr_zero(s);
        // Start: one past the last clear bit before x.
        std::int64_t i = q;
        std::uint64_t clear = ~bl.avail(i) & ((1ull << (x & 63)) - 1);
        while (clear == 0 && i > 0) {
          ensure(bl, voxels, --i);
          clear = ~bl.avail(i);
        }
        const std::int64_t a = clear == 0 ? 0 : (i << 6) + 63 - std::countl_zero(clear) + 1;
        // End: the first clear bit after x (bits past the row are clear).
        i = q;
        clear = ~bl.avail(i) & (~0ull << (x & 63));
        while (clear == 0 && i + 1 < mWords) {
          ensure(bl, voxels, ++i);
          clear = ~bl.avail(i);
        }
        const std::int64_t b =
            std::min<std::int64_t>(clear == 0 ? mWidth : (i << 6) + std::countr_zero(clear), mWidth) - 1;
        for (std::int64_t w = a >> 6; w <= b >> 6; ++w) {
          const std::int64_t lo = std::max<std::int64_t>(a, w << 6) - (w << 6);
          const std::int64_t hi = std::min<std::int64_t>(b, (w << 6) + 63) - (w << 6);
          const std::uint64_t span = (hi == 63 ? ~0ull : ((1ull << (hi + 1)) - 1)) & (~0ull << lo);
          bl.avail(w) &= ~span;
          mU[std::size_t(w + 1)] |= span;
        }
        uLo = std::min(uLo, a >> 6);
        uHi = std::max(uHi, b >> 6);
        s &= bl.avail(q);
        mRuns.push_back({std::int32_t(mIn.box.lo[0] + a), std::int32_t(mIn.box.lo[0] + b + 1), std::int32_t(j),
                         std::int32_t(k)});
        mVoxelCount += b - a + 1;
        mLo[0] = std::min(mLo[0], mIn.box.lo[0] + a);
        mHi[0] = std::max(mHi[0], mIn.box.lo[0] + b + 1);
      }
    }
    if (uHi < 0) return;
    mLo[1] = std::min(mLo[1], j);
    mHi[1] = std::max(mHi[1], j + 1);
    mLo[2] = std::min(mLo[2], k);
    mHi[2] = std::max(mHi[2], k + 1);
    if (mIn.maxVoxels > 0 && mVoxelCount > mIn.maxVoxels) mLimitHit = mStop = true;
    // mU and mD are offset by one word, so that q - 1 and q + 1 need no test.
    std::int64_t dLo = uLo, dHi = uHi;
    if (mWiden) {
      dLo = std::max<std::int64_t>(0, uLo - 1);
      dHi = std::min<std::int64_t>(mWords - 1, uHi + 1);
      for (std::int64_t q = dLo; q <= dHi; ++q) {
        const std::uint64_t u = mU[std::size_t(q + 1)];
        mD[std::size_t(q + 1)] = u | (u << 1) | (u >> 1) | (mU[std::size_t(q)] >> 63) | (mU[std::size_t(q + 2)] << 63);
      }
    }
    for (const RowOffset& o : mOffsets) {
      const std::int64_t nj = j + o.dj, nk = k + o.dk;
      if (nj < mIn.box.lo[1] || nj >= mIn.box.hi[1] || nk < mIn.box.lo[2] || nk >= mIn.box.hi[2]) continue;
      const std::int64_t n = rowIndex(nj, nk);
      touch(n);
      const std::uint64_t* bits = o.widen ? mD.data() + 1 : mU.data() + 1;
      const std::int64_t lo = o.widen ? dLo : uLo, hi = o.widen ? dHi : uHi;
      const Block nb = block(n);
      const T* nVoxels = nullptr;
      bool any = false;
      for (std::int64_t q = lo; q <= hi; ++q) {
        std::uint64_t add = bits[q] & ~nb.pending(q);
        if (!add) continue;
        if (ready(nb, q)) {
          add &= nb.avail(q);
          if (!add) continue;
        } else {
          if (!nVoxels) nVoxels = voxelRow(nj, nk);
          prefetch(nVoxels, q);
        }
        nb.pending(q) |= add;
        if (!any) {
          any = true;
          nb.pendLo() = std::min<std::int32_t>(nb.pendLo(), std::int32_t(q));
        }
        nb.pendHi() = std::max<std::int32_t>(nb.pendHi(), std::int32_t(q));
      }
      if (any) enqueue(n, nj, nk);
    }
    for (std::int64_t q = uLo; q <= uHi; ++q) mU[std::size_t(q + 1)] = 0;
  }

  void checkControl() {
    if (mControl.cancelled()) {
      mCancelled = mStop = true;
      return;
    }
    if (mControl.onProgress) {
      const double total = double(mIn.maxVoxels > 0 ? mIn.maxVoxels : mIn.box.voxelCount());
      mControl.progress(std::min(0.99, double(mVoxelCount) / total), "growing");
    }
  }

  GrowInput<T> mIn;
  std::vector<RowOffset> mOffsets;
  const core::TaskControl& mControl;
  RowFloodScratch mScratch;  // row blocks, row states, the queue
  bool mWiden = false;
  std::int64_t mWidth = 0, mWords = 0, mChunk = 1, mRowsPerSlice = 0, mRows = 0, mStride = 0;
  std::uint32_t mTouched = 0;  // a row's state (less the queued bit) once touched in this run
  std::int64_t mHead = 0, mTail = 0;
  std::vector<std::uint64_t> mU, mD;  // the row's filled bits, and widened by one
  std::vector<VoxelRun> mRuns;
  std::array<std::int64_t, 3> mLo{}, mHi{};
  std::int64_t mVoxelCount = 0, mVisits = 0, mWordsComputed = 0, mInRangeRuns = 0;
  bool mStop = false, mLimitHit = false, mCancelled = false, mGaveUp = false;
};

}  // namespace delineo::tools::detail
