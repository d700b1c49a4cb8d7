#include "tools/RegionGrow.h"

#include <algorithm>
#include <atomic>
#include <bit>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <memory>
#include <mutex>
#include <sstream>
#include <thread>

#include "tools/ComponentGrow.h"
#include "tools/Parallel.h"

namespace delineo::tools {

namespace {

using core::makeError;

// A request to fill, on row (j, k), every in-range voxel connected to [x0, x1] along the row.
// The row it came from, (j - dj, k - dk), had [pa, pb] filled: no need to look there again.
struct Run {
  std::int32_t j, k, x0, x1;
  std::int32_t pa = 0, pb = -1;
  std::int8_t dj = 0, dk = 0;
};

// A neighbouring row and how far the connectivity reaches sideways into it: 6-connectivity
// reaches only the voxel above/below, 18 also the row neighbours of face rows, 26 all.
struct RowOffset {
  int dj, dk, widen;
};

std::vector<RowOffset> rowOffsets(int connectivity) {
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

using detail::TypedRange;

struct FloodOutcome {
  std::int64_t voxels = 0;
  VoxelBox bounds;
  bool stoppedAtLimit = false;
  bool cancelled = false;
  bool gaveUp = false;  // BitFlood: labelling the components looked cheaper; the mask is partial
};

// Parallel scanline flood fill. The ROI's slices are cut into slabs; a slab is processed by at
// most one thread at a time, which alone writes its part of the mask, so the mask needs no
// atomics. Runs that step into another slab are posted to that slab's inbox and the slab is
// scheduled; the fill ends when no slab is scheduled or running. The result is the closure
// of the seeds under the connectivity, whatever the order: exact and deterministic.
template <typename T>
class ParallelFlood {
 public:
  ParallelFlood(const T* voxels, const core::Dims& dims, const VoxelBox& box, TypedRange<T> range, int connectivity,
                int threads, std::int64_t maxVoxels, const core::TaskControl& control, VoxelMask& mask)
      : mVoxels(voxels), mDims(dims), mBox(box), mRange(range), mOffsets(rowOffsets(connectivity)),
        mMaxVoxels(maxVoxels), mControl(control), mMask(mask) {
    const std::int64_t depth = box.hi[2] - box.lo[2];
    mWorkers = static_cast<int>(std::clamp<std::int64_t>(workerCount(threads), 1, depth));
    mSlabDepth = mWorkers == 1 ? depth : std::max<std::int64_t>(1, depth / (std::int64_t(mWorkers) * 8));
    mSlabCount = static_cast<int>((depth + mSlabDepth - 1) / mSlabDepth);
    mSlabs = std::make_unique<Slab[]>(static_cast<std::size_t>(mSlabCount));
  }

  FloodOutcome run(const std::vector<Ijk>& seeds) {
    for (const Ijk& s : seeds) {
      if (!mBox.contains(s[0], s[1], s[2])) continue;
      Run r{std::int32_t(s[1]), std::int32_t(s[2]), std::int32_t(s[0]), std::int32_t(s[0]), 0, -1, 0, 0};
      post(slabOf(r.k), &r, 1);
    }
    std::vector<Worker> workers(static_cast<std::size_t>(mWorkers));
    std::vector<std::thread> pool;
    for (int w = 1; w < mWorkers; ++w) pool.emplace_back([this, &workers, w] { work(workers[std::size_t(w)], w); });
    work(workers[0], 0);
    for (auto& t : pool) t.join();

    FloodOutcome out;
    out.bounds.lo = {std::numeric_limits<std::int64_t>::max(), std::numeric_limits<std::int64_t>::max(),
                     std::numeric_limits<std::int64_t>::max()};
    out.bounds.hi = {0, 0, 0};
    for (const Worker& w : workers) {
      out.voxels += w.voxels;
      for (int a = 0; a < 3; ++a) {
        out.bounds.lo[a] = std::min(out.bounds.lo[a], w.lo[a]);
        out.bounds.hi[a] = std::max(out.bounds.hi[a], w.hi[a]);
      }
    }
    if (out.voxels == 0) out.bounds = {};
    // The guard is checked in batches; the verdict depends only on the region's size.
    out.stoppedAtLimit = mLimitHit.load() || (mMaxVoxels > 0 && out.voxels > mMaxVoxels);
    out.cancelled = mCancelled.load();
    return out;
  }

 private:
  struct Slab {
    std::mutex mutex;
    std::vector<Run> inbox;
    bool queued = false;  // in the ready list or being processed
  };
  struct Worker {
    std::int64_t voxels = 0;
    std::array<std::int64_t, 3> lo{std::numeric_limits<std::int64_t>::max(), std::numeric_limits<std::int64_t>::max(),
                                   std::numeric_limits<std::int64_t>::max()};
    std::array<std::int64_t, 3> hi{0, 0, 0};
    std::int64_t unreported = 0;  // voxels filled since the last report to mFilled
    std::vector<Run> stack, batch, toPrev, toNext;
  };

  // Adds the worker's recent count to the shared one (batched: an atomic per run would make
  // the two cores fight over one cache line) and fires the leak guard. False when stopping.
  bool report(Worker& me) {
    std::int64_t total = mFilled.fetch_add(me.unreported, std::memory_order_relaxed) + me.unreported;
    me.unreported = 0;
    if (mMaxVoxels > 0 && total > mMaxVoxels) {
      mLimitHit.store(true);
      requestStop();
      return false;
    }
    return true;
  }

  int slabOf(std::int64_t k) const { return static_cast<int>((k - mBox.lo[2]) / mSlabDepth); }

  void post(int slab, const Run* runs, std::size_t count) {
    Slab& s = mSlabs[static_cast<std::size_t>(slab)];
    bool schedule = false;
    {
      std::lock_guard lock(s.mutex);
      s.inbox.insert(s.inbox.end(), runs, runs + count);
      if (!s.queued) schedule = s.queued = true;
    }
    if (schedule) {
      std::lock_guard lock(mQueueMutex);
      mReady.push_back(slab);
      ++mActive;
      mQueueCv.notify_one();
    }
  }

  void requestStop() {
    mStop.store(true);
    std::lock_guard lock(mQueueMutex);
    mQueueCv.notify_all();
  }

  // Worker 0 is the calling thread: the only one that calls back into the TaskControl.
  bool checkControl(int w) {
    if (mStop.load(std::memory_order_relaxed)) return false;
    if (mControl.cancelled()) {
      mCancelled.store(true);
      requestStop();
      return false;
    }
    if (w == 0 && mControl.onProgress) {
      double total = double(mMaxVoxels > 0 ? mMaxVoxels : mBox.voxelCount());
      mControl.progress(std::min(0.99, double(mFilled.load(std::memory_order_relaxed)) / total), "growing");
    }
    return true;
  }

  void work(Worker& me, int w) {
    for (;;) {
      int slab = -1;
      {
        std::unique_lock lock(mQueueMutex);
        for (;;) {
          if (mStop.load()) return;
          if (!mReady.empty()) {
            slab = mReady.back();
            mReady.pop_back();
            break;
          }
          if (mActive == 0) return;
          if (w == 0) {
            mQueueCv.wait_for(lock, std::chrono::milliseconds(20));
            lock.unlock();
            checkControl(w);
            lock.lock();
          } else {
            mQueueCv.wait(lock);
          }
        }
      }
      processSlab(me, w, slab);
      std::lock_guard lock(mQueueMutex);
      if (--mActive == 0) mQueueCv.notify_all();
    }
  }

  void processSlab(Worker& me, int w, int slab) {
    Slab& s = mSlabs[static_cast<std::size_t>(slab)];
    const std::int64_t kLo = mBox.lo[2] + std::int64_t(slab) * mSlabDepth;
    const std::int64_t kHi = std::min(mBox.hi[2], kLo + mSlabDepth);
    std::int64_t sinceCheck = 0;
    for (;;) {
      me.batch.clear();
      {
        std::lock_guard lock(s.mutex);
        if (s.inbox.empty()) {
          s.queued = false;
          return;
        }
        std::swap(me.batch, s.inbox);
      }
      if (mStop.load(std::memory_order_relaxed)) continue;  // drain without work
      for (const Run& r : me.batch) {
        me.stack.push_back(r);
        while (!me.stack.empty()) {
          Run top = me.stack.back();
          me.stack.pop_back();
          fillRun(me, top, kLo, kHi);
          if (++sinceCheck >= 1024) {
            sinceCheck = 0;
            if (!report(me)) {
              me.stack.clear();
              break;
            }
            if (!checkControl(w)) {
              me.stack.clear();
              break;
            }
            flush(me, slab);
          }
        }
      }
      flush(me, slab);
      report(me);
    }
  }

  void flush(Worker& me, int slab) {
    if (!me.toPrev.empty()) post(slab - 1, me.toPrev.data(), me.toPrev.size());
    if (!me.toNext.empty()) post(slab + 1, me.toNext.data(), me.toNext.size());
    me.toPrev.clear();
    me.toNext.clear();
  }

  void fillRun(Worker& me, const Run& r, std::int64_t kLo, std::int64_t kHi) {
    const std::int64_t nx = mDims[0];
    const std::int64_t base = nx * (std::int64_t(r.j) + mDims[1] * std::int64_t(r.k));
    const T* row = mVoxels + base;
    std::uint8_t* mrow = mMask.data() + base;
    const std::int64_t xLo = mBox.lo[0], xHi = mBox.hi[0] - 1;
    std::int64_t x = r.x0;
    while (x <= r.x1) {
      if (mrow[x] || !mRange.contains(row[x])) {
        ++x;
        continue;
      }
      std::int64_t a = x, b = x;
      while (a > xLo && !mrow[a - 1] && mRange.contains(row[a - 1])) --a;
      while (b < xHi && !mrow[b + 1] && mRange.contains(row[b + 1])) ++b;
      std::memset(mrow + a, 1, static_cast<std::size_t>(b - a + 1));
      const std::int64_t len = b - a + 1;
      me.voxels += len;
      me.lo[0] = std::min(me.lo[0], a);
      me.hi[0] = std::max(me.hi[0], b + 1);
      me.lo[1] = std::min<std::int64_t>(me.lo[1], r.j);
      me.hi[1] = std::max<std::int64_t>(me.hi[1], r.j + 1);
      me.lo[2] = std::min<std::int64_t>(me.lo[2], r.k);
      me.hi[2] = std::max<std::int64_t>(me.hi[2], r.k + 1);
      me.unreported += len;
      for (const RowOffset& o : mOffsets) {
        const std::int64_t nj = r.j + o.dj, nk = r.k + o.dk;
        if (nj < mBox.lo[1] || nj >= mBox.hi[1] || nk < mBox.lo[2] || nk >= mBox.hi[2]) continue;
        std::int64_t from = std::max(xLo, a - o.widen), to = std::min(xHi, b + o.widen);
        auto emit = [&](std::int64_t x0, std::int64_t x1) {
          if (x0 > x1) return;
          Run next{std::int32_t(nj), std::int32_t(nk), std::int32_t(x0), std::int32_t(x1), std::int32_t(a),
                   std::int32_t(b), std::int8_t(o.dj), std::int8_t(o.dk)};
          if (nk < kLo) me.toPrev.push_back(next);
          else if (nk >= kHi) me.toNext.push_back(next);
          else me.stack.push_back(next);
        };
        if (o.dj == -r.dj && o.dk == -r.dk && (r.dj != 0 || r.dk != 0)) {
          // Back into the parent row: its filled span needs no second look.
          emit(from, std::min(to, std::int64_t(r.pa) - 1));
          emit(std::max(from, std::int64_t(r.pb) + 1), to);
        } else {
          emit(from, to);
        }
      }
      x = b + 2;
    }
  }

  const T* mVoxels;
  core::Dims mDims;
  VoxelBox mBox;
  TypedRange<T> mRange;
  std::vector<RowOffset> mOffsets;
  std::int64_t mMaxVoxels;
  const core::TaskControl& mControl;
  VoxelMask& mMask;
  int mWorkers = 1;
  std::int64_t mSlabDepth = 1;
  int mSlabCount = 1;
  std::unique_ptr<Slab[]> mSlabs;
  std::mutex mQueueMutex;
  std::condition_variable mQueueCv;
  std::vector<int> mReady;
  int mActive = 0;  // slabs ready or being processed
  std::atomic<bool> mStop{false}, mLimitHit{false}, mCancelled{false};
  std::atomic<std::int64_t> mFilled{0};
};

// Single-threaded scanline flood on bit rows. A row's in-range voxels are turned into a bit
// mask the first time the flood reaches it (so a small region pays only for the rows it
// touches, and nothing is cleared per call but a flag per row); bits are cleared as voxels are
// filled, so a set bit means "in range, not yet in the region". Finding the runs a filled run
// reaches in a neighbouring row is then a few word operations per row instead of a look at
// every voxel. Same closure as ParallelFlood, so the same region.
template <typename T>
class BitFlood {
 public:
  // labelWorkers: the threads growByComponents would use, or 0 to never give up for it.
  BitFlood(const T* voxels, const core::Dims& dims, const VoxelBox& box, TypedRange<T> range, int connectivity,
           std::int64_t maxVoxels, int labelWorkers, const core::TaskControl& control, VoxelMask& mask)
      : mVoxels(voxels), mDims(dims), mBox(box), mRange(range), mOffsets(rowOffsets(connectivity)),
        mMaxVoxels(maxVoxels), mLabelWorkers(labelWorkers), mConnectivity(connectivity), mControl(control),
        mMask(mask) {
    mWidth = box.hi[0] - box.lo[0];
    mWords = (mWidth + 63) >> 6;
    mRowsPerSlice = box.hi[1] - box.lo[1];
    const std::int64_t rows = mRowsPerSlice * (box.hi[2] - box.lo[2]);
    // Not value-initialised: a row's words are written when its flag is first set.
    mAvail.reset(new std::uint64_t[std::size_t(rows * mWords)]);
    mReady.reset(static_cast<std::uint8_t*>(std::calloc(std::size_t(rows), 1)));
  }

  FloodOutcome run(const std::vector<Ijk>& seeds) {
    FloodOutcome out;
    out.bounds.lo = {std::numeric_limits<std::int64_t>::max(), std::numeric_limits<std::int64_t>::max(),
                     std::numeric_limits<std::int64_t>::max()};
    out.bounds.hi = {0, 0, 0};
    for (const Ijk& s : seeds) {
      if (!mBox.contains(s[0], s[1], s[2])) continue;
      const std::int64_t x = s[0] - mBox.lo[0];
      const Row r = row(s[1], s[2]);
      if ((word(r, x >> 6) >> (x & 63)) & 1) fill(out, r, s[1], s[2], x);
    }
    std::int64_t sinceCheck = 0;
    while (!mStack.empty() && !mStop) {
      const Filled r = mStack.back();
      mStack.pop_back();
      for (const RowOffset& o : mOffsets) {
        const std::int64_t nj = r.j + o.dj, nk = r.k + o.dk;
        if (nj < mBox.lo[1] || nj >= mBox.hi[1] || nk < mBox.lo[2] || nk >= mBox.hi[2]) continue;
        const Row w = row(nj, nk);
        const std::int64_t to = std::min<std::int64_t>(mWidth - 1, r.b + o.widen);
        std::int64_t x = std::max<std::int64_t>(0, r.a - o.widen);
        while ((x = nextSet(w, x, to)) <= to) x = fill(out, w, nj, nk, x) + 2;
        if (mStop) break;
      }
      if (++sinceCheck >= 1024) {
        sinceCheck = 0;
        checkControl(out.voxels);
        if (mLabelWorkers > 0 && labellingLooksCheaper(out.voxels)) mGaveUp = mStop = true;
      }
    }
    if (out.voxels == 0) out.bounds = {};
    out.stoppedAtLimit = mLimitHit;
    out.cancelled = mCancelled;
    out.gaveUp = mGaveUp;
    return out;
  }

 private:
  // Rough costs measured on the head CT (one core of a Xeon, 256-voxel rows): the flood pays
  // ~46 ns per run filled and ~96 ns per row first reached (its voxels come from memory at
  // random); labelling pays ~0.13 ns per ROI voxel plus ~24 ns per in-range run of the ROI
  // (~1.6x that with diagonal neighbours), estimated from the rows the flood has seen (which
  // lie near the region, so it rather overestimates). When the flood has spent more than the
  // labelling would cost in all, it gives up: no region then costs more than about twice the
  // better of the two.
  bool labellingLooksCheaper(std::int64_t voxels) const {
    // A compact region past 1/64 of the ROI (long runs) is labelled for about what its flood
    // has cost so far: give up at once instead of spending that again.
    if (voxels > mBox.voxelCount() / 64 && voxels >= 8 * mRuns) return true;
    return floodCostNs() > labelCostNs();
  }
  double floodCostNs() const {
    return 46.0 * double(mRuns) + 96.0 / 256.0 * double(mWidth) * double(mRowsComputed);
  }
  double labelCostNs() const {
    if (mRowsComputed == 0) return std::numeric_limits<double>::max();
    const double roiRows = double(mRowsPerSlice) * double(mBox.hi[2] - mBox.lo[2]);
    const double runs = double(mInRangeRuns) / double(mRowsComputed) * roiRows;
    const double perRun = mConnectivity == 6 ? 24.0 : 38.0;
    return (0.13 * double(mBox.voxelCount()) + perRun * runs) / double(mLabelWorkers);
  }

  struct Filled {
    std::int32_t j, k, a, b;  // x from the ROI's first column, inclusive
  };

  // A row's words of mAvail, computed from the voxels when the flood first reaches the row
  // (lazily per word instead costs a test per word read and was slower).
  struct Row {
    std::uint64_t* words;
  };

  Row row(std::int64_t j, std::int64_t k) {
    const std::int64_t index = (j - mBox.lo[1]) + mRowsPerSlice * (k - mBox.lo[2]);
    std::uint64_t* words = mAvail.get() + index * mWords;
    if (!mReady[index]) {
      mReady[index] = 1;
      detail::inRangeBits(mVoxels + mBox.lo[0] + mDims[0] * (j + mDims[1] * k), mWidth, mRange, words);
      ++mRowsComputed;
      std::uint64_t carry = 0;  // the previous word's last bit: a run crossing words starts once
      for (std::int64_t q = 0; q < mWords; ++q) {
        mInRangeRuns += std::popcount(words[q] & ~((words[q] << 1) | carry));
        carry = words[q] >> 63;
      }
    }
    return {words};
  }

  static std::uint64_t& word(const Row& r, std::int64_t q) { return r.words[q]; }

  // The first set bit in [x, to] (past `to` when none).
  static std::int64_t nextSet(const Row& r, std::int64_t x, std::int64_t to) {
    if (x > to) return x;
    std::int64_t i = x >> 6;
    const std::int64_t last = to >> 6;
    std::uint64_t bits = word(r, i) & (~0ull << (x & 63));
    while (bits == 0) {
      if (++i > last) return to + 1;
      bits = word(r, i);
    }
    return (i << 6) + std::countr_zero(bits);
  }

  // Fills the run of set bits through x on row r = (j, k), queues it, returns its last x.
  std::int64_t fill(FloodOutcome& out, const Row& r, std::int64_t j, std::int64_t k, std::int64_t x) {
    // Start: one past the last clear bit at or before x.
    std::int64_t i = x >> 6;
    std::uint64_t clear = ~word(r, i) & (~0ull >> (63 - (x & 63)));
    while (clear == 0 && i > 0) clear = ~word(r, --i);
    const std::int64_t a = clear == 0 ? 0 : (i << 6) + 63 - std::countl_zero(clear) + 1;
    // End: the first clear bit after x (bits past the row are clear).
    i = x >> 6;
    clear = ~word(r, i) & (~0ull << (x & 63));
    while (clear == 0 && i + 1 < mWords) clear = ~word(r, ++i);
    const std::int64_t b = std::min<std::int64_t>(clear == 0 ? mWidth : (i << 6) + std::countr_zero(clear), mWidth) - 1;
    // Every word of [a, b] was read above.
    for (std::int64_t q = a >> 6; q <= b >> 6; ++q) {
      const std::int64_t lo = std::max<std::int64_t>(a, q << 6) - (q << 6);
      const std::int64_t hi = std::min<std::int64_t>(b, (q << 6) + 63) - (q << 6);
      const std::uint64_t span = (hi == 63 ? ~0ull : ((1ull << (hi + 1)) - 1)) & (~0ull << lo);
      r.words[q] &= ~span;
    }
    std::memset(mMask.data() + mBox.lo[0] + mDims[0] * (j + mDims[1] * k) + a, 1, std::size_t(b - a + 1));
    out.voxels += b - a + 1;
    out.bounds.lo[0] = std::min(out.bounds.lo[0], mBox.lo[0] + a);
    out.bounds.hi[0] = std::max(out.bounds.hi[0], mBox.lo[0] + b + 1);
    out.bounds.lo[1] = std::min(out.bounds.lo[1], j);
    out.bounds.hi[1] = std::max(out.bounds.hi[1], j + 1);
    out.bounds.lo[2] = std::min(out.bounds.lo[2], k);
    out.bounds.hi[2] = std::max(out.bounds.hi[2], k + 1);
    if (mMaxVoxels > 0 && out.voxels > mMaxVoxels) mLimitHit = mStop = true;
    ++mRuns;
    mStack.push_back({std::int32_t(j), std::int32_t(k), std::int32_t(a), std::int32_t(b)});
    return b;
  }

  void checkControl(std::int64_t filled) {
    if (mControl.cancelled()) {
      mCancelled = mStop = true;
      return;
    }
    if (mControl.onProgress) {
      const double total = double(mMaxVoxels > 0 ? mMaxVoxels : mBox.voxelCount());
      mControl.progress(std::min(0.99, double(filled) / total), "growing");
    }
  }

  struct FreeBytes {
    void operator()(std::uint8_t* p) const { std::free(p); }
  };
  const T* mVoxels;
  core::Dims mDims;
  VoxelBox mBox;
  TypedRange<T> mRange;
  std::vector<RowOffset> mOffsets;
  std::int64_t mMaxVoxels;
  int mLabelWorkers;
  int mConnectivity;
  const core::TaskControl& mControl;
  VoxelMask& mMask;
  std::int64_t mWidth = 0, mWords = 0, mRowsPerSlice = 0;
  std::unique_ptr<std::uint64_t[]> mAvail;  // per row: in range and not yet filled
  std::unique_ptr<std::uint8_t[], FreeBytes> mReady;  // per row: mAvail holds it
  std::vector<Filled> mStack;
  std::int64_t mRuns = 0, mRowsComputed = 0, mInRangeRuns = 0;  // for the cost estimates
  bool mStop = false, mLimitHit = false, mCancelled = false, mGaveUp = false;
};

std::string ijkText(const Ijk& s) {
  return "(" + std::to_string(s[0]) + ", " + std::to_string(s[1]) + ", " + std::to_string(s[2]) + ")";
}

VoxelBox roiOf(const core::Geometry& g, const RegionGrowParams& p) {
  return p.roi ? p.roi->clippedTo(g.dims) : VoxelBox::whole(g.dims);
}

double msSince(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

// Zeroes `box` of the mask (cheaper than a new mask: its pages are mapped already).
void clearBox(VoxelMask& mask, const VoxelBox& box) {
  if (box.empty()) return;
  const core::Dims& d = mask.dims();
  for (std::int64_t k = box.lo[2]; k < box.hi[2]; ++k)
    for (std::int64_t j = box.lo[1]; j < box.hi[1]; ++j)
      std::memset(mask.data() + box.lo[0] + d[0] * (j + d[1] * k), 0, std::size_t(box.hi[0] - box.lo[0]));
}

core::Result<GrowRegion> flood(const core::Volume& volume, const RegionGrowParams& params, double lower, double upper,
                               const core::TaskControl& control) {
  const core::Geometry& g = volume.geometry();
  GrowRegion region;
  region.lower = lower;
  region.upper = upper;
  region.mask = VoxelMask(g.dims);
  const VoxelBox box = roiOf(g, params);
  auto outcome = core::dispatchScalar(volume.scalarType(), [&](auto zero) {
    using T = decltype(zero);
    auto range = TypedRange<T>::make(lower, upper);
    auto voxels = volume.voxels<T>();
    for (const Ijk& s : params.seeds)
      region.seedsInRange += !range.empty && range.contains(voxels[std::size_t(g.linearIndex(s[0], s[1], s[2]))]);
    if (range.empty) return FloodOutcome{};
    auto floodFill = [&](std::int64_t limit, int threads, const core::TaskControl& c) {
      ParallelFlood<T> fill(voxels.data(), g.dims, box, range, params.connectivity, threads, limit, c, region.mask);
      return fill.run(params.seeds);
    };
    // The region is flooded until the flood has cost more than labelling the connected
    // components of the whole ROI would (see BitFlood::labelCostNs and ComponentGrow.h); then
    // the partial flood is dropped and the components are labelled: both give the same region.
    // The flood runs on this thread alone (waking workers would cost more than it saves) and
    // reports no progress, as it may be dropped.
    const std::int64_t depth = box.hi[2] - box.lo[2];
    const int labelWorkers = static_cast<int>(std::clamp<std::int64_t>(
        workerCount(params.threads), 1,
        params.threads > 0 ? depth : std::clamp<std::int64_t>(box.voxelCount() >> 23, 1, depth)));
    core::TaskControl quiet;
    quiet.cancel = control.cancel;
    BitFlood<T> bitFlood(voxels.data(), g.dims, box, range, params.connectivity, params.maxVoxels, labelWorkers,
                         quiet, region.mask);
    FloodOutcome small = bitFlood.run(params.seeds);
    if (!small.gaveUp) return small;
    clearBox(region.mask, small.bounds);
    auto labelled = detail::growByComponents(voxels.data(), g.dims, box, range, params.connectivity, params.seeds,
                                             params.threads, params.maxVoxels, control, region.mask);
    if (labelled.declined) return floodFill(params.maxVoxels, params.threads, control);  // the mask is untouched
    return FloodOutcome{labelled.voxels, labelled.bounds, labelled.stoppedAtLimit, labelled.cancelled};
  });
  if (outcome.cancelled) return makeError("region grow cancelled");
  region.voxels = outcome.voxels;
  region.bounds = outcome.bounds;
  region.stoppedAtLimit = outcome.stoppedAtLimit;
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
  if (auto v = validateRegionGrow(volume.geometry(), params); !v) return v.error();
  auto t0 = std::chrono::steady_clock::now();
  auto region = flood(volume, params, params.lower, params.upper, control);
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
    // Re-estimate from the grown region.
    double sum = 0, squares = 0;
    std::int64_t count = 0;
    const VoxelBox& b = region->bounds;
    for (std::int64_t k = b.lo[2]; k < b.hi[2]; ++k)
      for (std::int64_t j = b.lo[1]; j < b.hi[1]; ++j)
        for (std::int64_t i = b.lo[0]; i < b.hi[0]; ++i) {
          std::int64_t idx = g.linearIndex(i, j, k);
          if (!region->mask[idx]) continue;
          double v = volume.valueAtIndex(idx);
          sum += v;
          squares += v * v;
          ++count;
        }
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
  out.changed = writeMask(edit, region->mask, label, &region->bounds);
  out.region = std::move(region).value();
  out.region.mask = VoxelMask();
  return out;
}

}  // namespace delineo::tools
