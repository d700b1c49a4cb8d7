#pragma once
// ParallelFlood: region growing by a scanline flood over slabs of slices on several threads.
// Internal to RegionGrow.cpp (see RegionGrow.h); RowFlood.h holds what the floods share.
#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "tools/Parallel.h"
#include "tools/RowFlood.h"

namespace delineo::tools::detail {

// A request to fill, on row (j, k), every in-range voxel connected to [x0, x1] along the row.
// The row it came from, (j - dj, k - dk), had [pa, pb] filled: no need to look there again.
struct Run {
  std::int32_t j, k, x0, x1;
  std::int32_t pa = 0, pb = -1;
  std::int8_t dj = 0, dk = 0;
};

// Parallel scanline flood fill, for regions too fragmented to label (see ComponentGrow.h). The
// ROI's slices are cut into slabs; a slab is processed by at most one thread at a time, which
// alone writes its part of the mask of filled voxels, so the mask needs no atomics. Runs that step into another slab are posted to that slab's inbox and the slab is
// scheduled; the fill ends when no slab is scheduled or running. The result is the closure
// of the seeds under the connectivity, whatever the order: exact and deterministic.
template <typename T>
class ParallelFlood {
 public:
  ParallelFlood(const GrowInput<T>& input, int threads, const core::TaskControl& control)
      : mIn(input), mOffsets(rowOffsets(input.connectivity)), mControl(control), mMask(input.dims) {
    const VoxelBox& box = input.box;
    const std::int64_t depth = box.hi[2] - box.lo[2];
    mWorkers = static_cast<int>(std::clamp<std::int64_t>(workerCount(threads), 1, depth));
    mSlabDepth = mWorkers == 1 ? depth : std::max<std::int64_t>(1, depth / (std::int64_t(mWorkers) * 8));
    mSlabCount = static_cast<int>((depth + mSlabDepth - 1) / mSlabDepth);
    mSlabs = std::make_unique<Slab[]>(static_cast<std::size_t>(mSlabCount));
  }

  RegionOutcome run(const std::vector<std::array<std::int64_t, 3>>& seeds) {
    for (const auto& s : seeds) {
      if (!mIn.box.contains(s[0], s[1], s[2])) continue;
      Run r{std::int32_t(s[1]), std::int32_t(s[2]), std::int32_t(s[0]), std::int32_t(s[0]), 0, -1, 0, 0};
      post(slabOf(r.k), &r, 1);
    }
    std::vector<Worker> workers(static_cast<std::size_t>(mWorkers));
    std::vector<std::thread> pool;
    for (int w = 1; w < mWorkers; ++w) pool.emplace_back([this, &workers, w] { work(workers[std::size_t(w)], w); });
    work(workers[0], 0);
    for (auto& t : pool) t.join();

    RegionOutcome out;
    out.bounds.lo = {std::numeric_limits<std::int64_t>::max(), std::numeric_limits<std::int64_t>::max(),
                     std::numeric_limits<std::int64_t>::max()};
    out.bounds.hi = {0, 0, 0};
    for (Worker& w : workers) {
      if (out.runs.empty()) out.runs = std::move(w.filled);
      else out.runs.insert(out.runs.end(), w.filled.begin(), w.filled.end());
      out.voxels += w.voxels;
      for (int a = 0; a < 3; ++a) {
        out.bounds.lo[a] = std::min(out.bounds.lo[a], w.lo[a]);
        out.bounds.hi[a] = std::max(out.bounds.hi[a], w.hi[a]);
      }
    }
    if (out.voxels == 0) out.bounds = {};
    // The guard is checked in batches; the verdict depends only on the region's size.
    out.stoppedAtLimit = mLimitHit.load() || (mIn.maxVoxels > 0 && out.voxels > mIn.maxVoxels);
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
    std::vector<VoxelRun> filled;
  };

  // Adds the worker's recent count to the shared one (batched: an atomic per run would make
  // the two cores fight over one cache line) and fires the leak guard. False when stopping.
  bool report(Worker& me) {
    std::int64_t total = mFilled.fetch_add(me.unreported, std::memory_order_relaxed) + me.unreported;
    me.unreported = 0;
    if (mIn.maxVoxels > 0 && total > mIn.maxVoxels) {
      mLimitHit.store(true);
      requestStop();
      return false;
    }
    return true;
  }

  int slabOf(std::int64_t k) const { return static_cast<int>((k - mIn.box.lo[2]) / mSlabDepth); }

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
      double total = double(mIn.maxVoxels > 0 ? mIn.maxVoxels : mIn.box.voxelCount());
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
    const std::int64_t kLo = mIn.box.lo[2] + std::int64_t(slab) * mSlabDepth;
    const std::int64_t kHi = std::min(mIn.box.hi[2], kLo + mSlabDepth);
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
    const std::int64_t nx = mIn.dims[0];
    const std::int64_t base = nx * (std::int64_t(r.j) + mIn.dims[1] * std::int64_t(r.k));
    const T* row = mIn.voxels + base;
    std::uint8_t* mrow = mMask.data() + base;
    const std::int64_t xLo = mIn.box.lo[0], xHi = mIn.box.hi[0] - 1;
    std::int64_t x = r.x0;
    while (x <= r.x1) {
      if (mrow[x] || !mIn.range.contains(row[x])) {
        ++x;
        continue;
      }
      std::int64_t a = x, b = x;
      while (a > xLo && !mrow[a - 1] && mIn.range.contains(row[a - 1])) --a;
      while (b < xHi && !mrow[b + 1] && mIn.range.contains(row[b + 1])) ++b;
      std::memset(mrow + a, 1, static_cast<std::size_t>(b - a + 1));
      me.filled.push_back({std::int32_t(a), std::int32_t(b + 1), r.j, r.k});
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
        if (nj < mIn.box.lo[1] || nj >= mIn.box.hi[1] || nk < mIn.box.lo[2] || nk >= mIn.box.hi[2]) continue;
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

  GrowInput<T> mIn;
  std::vector<RowOffset> mOffsets;
  const core::TaskControl& mControl;
  VoxelMask mMask;  // filled so far
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

}  // namespace delineo::tools::detail
