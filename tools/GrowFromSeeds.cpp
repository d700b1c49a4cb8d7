#include "tools/GrowFromSeeds.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstring>
#include <limits>
#include <thread>
#include <type_traits>
#include <vector>

#if defined(__linux__)
#include <sys/mman.h>
#endif

#include "tools/Parallel.h"

namespace delineo::tools {

namespace {

using core::makeError;

// Largest intensity term of one step. Keys are cost << 8 | label in 32 bits, so costs must stay
// below 2^24: a path along the ROI's edges costs at most (1 + kMaxExtraCost) per voxel of the
// sum of its sides, hence the limit on that sum.
constexpr std::uint32_t kMaxExtraCost = 255;
constexpr std::int64_t kMaxRoiSideSum = 65000;
constexpr std::uint32_t kUnreached = std::numeric_limits<std::uint32_t>::max();
// The bucket ring must be longer than the largest step, so that a level never pushes into the
// bucket it is reading (nor into the one just emptied before every thread has left it).
constexpr std::uint32_t kRingSize = 512;
constexpr std::uint32_t kRingMask = kRingSize - 1;
static_assert(kRingSize > kMaxExtraCost + 1);
// Queue entries live in fixed chunks, recycled through a free list: memory follows the entries
// pending, not the largest size each bucket ever had, and a chunk is the unit of shared work.
constexpr std::uint32_t kChunkItems = 4096 - 2;
// A level with fewer entries than this is worked by one thread (waking the others costs more).
constexpr std::size_t kParallelLevelItems = 3 * kChunkItems;
// Entries ahead of the current one whose voxels are prefetched.
constexpr std::uint32_t kPrefetchAhead = 12;
constexpr std::int64_t kHugePage = std::int64_t(2) << 20;

struct Chunk {
  std::uint32_t size = 0;
  std::uint32_t items[kChunkItems];
};

// One thread's buckets: it alone pushes into them; between levels (all threads idle) the
// leader reads and recycles them.
class BucketRing {
 public:
  void push(std::uint32_t bucket, std::uint32_t item) {
    Chunk* c = mTail[bucket];
    if (!c || c->size == kChunkItems) c = grow(bucket);
    c->items[c->size++] = item;
    ++mPushed;
  }
  const std::vector<Chunk*>& bucket(std::uint32_t b) const { return mBuckets[b]; }
  void recycle(std::uint32_t b) {
    for (Chunk* c : mBuckets[b]) {
      c->size = 0;
      mFree.push_back(c);
    }
    mBuckets[b].clear();
    mTail[b] = nullptr;
  }
  std::int64_t pushed() const { return mPushed; }

 private:
  Chunk* grow(std::uint32_t bucket) {
    Chunk* c;
    if (mFree.empty()) {
      mOwned.push_back(std::make_unique<Chunk>());
      c = mOwned.back().get();
    } else {
      c = mFree.back();
      mFree.pop_back();
    }
    mBuckets[bucket].push_back(c);
    return mTail[bucket] = c;
  }

  std::array<std::vector<Chunk*>, kRingSize> mBuckets;
  std::array<Chunk*, kRingSize> mTail{};
  std::vector<Chunk*> mFree;
  std::vector<std::unique_ptr<Chunk>> mOwned;
  std::int64_t mPushed = 0;
};

// Allocates n cells, 2 MiB aligned and (on Linux) backed by huge pages where the kernel allows:
// the queue visits voxels all over the volume, and 4 KiB pages would miss the TLB at almost
// every neighbour.
template <typename Cell>
Cell* allocateCells(std::int64_t n) {
  const std::int64_t bytes = (n * std::int64_t(sizeof(Cell)) + kHugePage - 1) / kHugePage * kHugePage;
  void* p = std::aligned_alloc(std::size_t(kHugePage), std::size_t(bytes));
#if defined(MADV_HUGEPAGE)
  if (p) madvise(p, std::size_t(bytes), MADV_HUGEPAGE);
#endif
  return static_cast<Cell*>(p);
}

// Runs body(slab, begin, end) for `slabs` contiguous parts of [0, count), each on its own thread
// (the caller's among them); small jobs get one slab. Returns the number of slabs.
template <typename Body>
int forSlabs(std::int64_t count, std::int64_t voxelsPerItem, int threads, Body&& body) {
  const int slabs = count * voxelsPerItem < (std::int64_t(1) << 16) ? 1 : int(std::clamp<std::int64_t>(threads, 1, count));
  auto part = [&](int s) { body(s, count * s / slabs, count * (s + 1) / slabs); };
  std::vector<std::thread> pool;
  for (int s = 1; s < slabs; ++s) pool.emplace_back(part, s);
  part(0);
  for (auto& t : pool) t.join();
  return slabs;
}

using Cell = std::uint64_t;
inline std::uint32_t keyOf(Cell c) { return static_cast<std::uint32_t>(c); }
inline int levelOf(Cell c) { return static_cast<int>((c >> 32) & 0xFFFF); }
inline std::uint16_t epochOf(Cell c) { return static_cast<std::uint16_t>(c >> 48); }
inline Cell makeCell(std::uint32_t key, std::uint32_t level, std::uint16_t epoch) {
  return Cell(key) | Cell(level) << 32 | Cell(epoch) << 48;
}

}  // namespace

core::Result<GrowFromSeedsStats> GrowFromSeeds::run(const core::Volume& volume, const core::Labelmap& seeds,
                                                    const GrowFromSeedsParams& params,
                                                    const core::TaskControl& control) {
  auto t0 = std::chrono::steady_clock::now();
  const core::Geometry& g = volume.geometry();
  if (seeds.geometry().dims != g.dims) return makeError("the seed labelmap does not lie on the volume's grid");
  VoxelBox roi = params.roi ? params.roi->clippedTo(g.dims) : VoxelBox::whole(g.dims);
  if (roi.empty()) return makeError("the region of interest does not overlap the volume");
  if (params.intensityStep < 0 || !std::isfinite(params.intensityStep))
    return makeError("the intensity step must be positive (or 0 for automatic)");
  core::Dims padded{roi.hi[0] - roi.lo[0] + 2, roi.hi[1] - roi.lo[1] + 2, roi.hi[2] - roi.lo[2] + 2};
  const std::int64_t total = padded[0] * padded[1] * padded[2];
  if (total >= std::int64_t(std::numeric_limits<std::uint32_t>::max()) ||
      padded[0] + padded[1] + padded[2] > kMaxRoiSideSum)
    return makeError("the region of interest is too large for grow from seeds; set a smaller one");
  const int threads = workerCount(params.threads);
  const std::int64_t sliceVoxels = (roi.hi[0] - roi.lo[0]) * (roi.hi[1] - roi.lo[1]);

  // Seeds first: reject before allocating anything.
  std::vector<std::array<std::int64_t, 256>> seedCounts(static_cast<std::size_t>(threads));
  const int countSlabs =
      forSlabs(roi.hi[2] - roi.lo[2], sliceVoxels, threads, [&](int slab, std::int64_t k0, std::int64_t k1) {
        std::array<std::int64_t, 256>& count = seedCounts[std::size_t(slab)];
        count.fill(0);
        for (std::int64_t k = roi.lo[2] + k0; k < roi.lo[2] + k1; ++k)
          for (std::int64_t j = roi.lo[1]; j < roi.hi[1]; ++j) {
            const std::uint8_t* row = seeds.voxels().data() + g.linearIndex(0, j, k);
            for (std::int64_t i = roi.lo[0]; i < roi.hi[0]; ++i) ++count[row[i]];
          }
      });
  seedCounts.resize(std::size_t(countSlabs));
  GrowFromSeedsStats stats;
  for (int s = 1; s < 256; ++s) {
    std::int64_t n = 0;
    for (const auto& c : seedCounts) n += c[std::size_t(s)];
    stats.seeds += n;
    stats.labels += n > 0;
  }
  if (stats.labels < 2)
    return makeError("grow from seeds needs seeds of at least two labels in the region of interest (the structure "
                     "and what surrounds it); found " + std::to_string(stats.labels));

  // A run on a region of the same size (after a seed was erased) reuses the cells: no page faults.
  if (!mCells || total != mPadded[0] * mPadded[1] * mPadded[2]) {
    mCells.reset();
    mCells.reset(allocateCells<Cell>(total));
    if (!mCells) return makeError("not enough memory for grow from seeds on this region of interest; set a smaller one");
  }
  mEpoch = 1;
  const std::uint16_t epoch = mEpoch;
  mParams = params;
  mVolumeDims = g.dims;
  mRoi = roi;
  mPadded = padded;

  std::vector<std::uint32_t> seedIndices;
  core::dispatchScalar(volume.scalarType(), [&](auto zero) {
    using T = decltype(zero);
    auto vox = volume.voxels<T>();
    // Intensity range of the ROI, per slab of slices, then combined.
    std::vector<std::pair<T, T>> ranges(static_cast<std::size_t>(threads));
    const int rangeSlabs =
        forSlabs(roi.hi[2] - roi.lo[2], sliceVoxels, threads, [&](int slab, std::int64_t k0, std::int64_t k1) {
          T lo = std::numeric_limits<T>::max(), hi = std::numeric_limits<T>::lowest();
          for (std::int64_t k = roi.lo[2] + k0; k < roi.lo[2] + k1; ++k)
            for (std::int64_t j = roi.lo[1]; j < roi.hi[1]; ++j) {
              const T* row = vox.data() + g.linearIndex(0, j, k);
              for (std::int64_t i = roi.lo[0]; i < roi.hi[0]; ++i) {
                lo = std::min(lo, row[i]);
                hi = std::max(hi, row[i]);
              }
            }
          ranges[std::size_t(slab)] = {lo, hi};
        });
    ranges.resize(std::size_t(rangeSlabs));
    double lo = std::numeric_limits<double>::max(), hi = std::numeric_limits<double>::lowest();
    for (auto [a, b] : ranges) {
      lo = std::min(lo, double(a));
      hi = std::max(hi, double(b));
    }
    const double step = params.intensityStep > 0 ? params.intensityStep : std::max(1e-12, (hi - lo) / 256.0);
    auto quantize = [&](double value) {
      return static_cast<std::uint16_t>(std::clamp(std::floor((value - lo) / step), 0.0, 65535.0));
    };
    // 8- and 16-bit voxels: one table lookup instead of a division per voxel.
    std::vector<std::uint16_t> table;
    constexpr bool kTabulated = std::is_integral_v<T> && sizeof(T) <= 2;
    if constexpr (kTabulated) {
      table.resize(std::size_t(1) << (8 * sizeof(T)));
      for (std::size_t x = 0; x < table.size(); ++x)
        table[x] = quantize(double(static_cast<T>(static_cast<std::make_unsigned_t<T>>(x))));
    }
    // Every padded cell is written once here (the wall too), by the thread that will mostly use it.
    std::vector<std::vector<std::uint32_t>> found(static_cast<std::size_t>(threads));
    const std::int64_t px = padded[0], py = padded[1];
    forSlabs(padded[2], px * py, threads, [&](int slab, std::int64_t z0, std::int64_t z1) {
      std::vector<std::uint32_t>& mine = found[std::size_t(slab)];
      Cell* cells = mCells.get();
      for (std::int64_t z = z0; z < z1; ++z)
        for (std::int64_t y = 0; y < py; ++y) {
          Cell* row = cells + px * (y + py * z);
          if (z == 0 || z == padded[2] - 1 || y == 0 || y == py - 1) {
            std::fill(row, row + px, Cell{0});
            continue;
          }
          const std::int64_t j = roi.lo[1] + y - 1, k = roi.lo[2] + z - 1;
          const T* in = vox.data() + g.linearIndex(roi.lo[0], j, k);
          const std::uint8_t* seed = seeds.voxels().data() + g.linearIndex(roi.lo[0], j, k);
          row[0] = row[px - 1] = Cell{0};
          for (std::int64_t x = 1; x < px - 1; ++x) {
            const T value = in[x - 1];
            std::uint16_t level;
            if constexpr (kTabulated)
              level = table[static_cast<std::make_unsigned_t<T>>(value)];
            else
              level = quantize(double(value));
            const std::uint8_t s = seed[x - 1];
            row[x] = makeCell(s ? std::uint32_t(s) : kUnreached, level, epoch);
            if (s) mine.push_back(std::uint32_t(px * (y + py * z) + x));
          }
        }
    });
    for (auto& f : found) seedIndices.insert(seedIndices.end(), f.begin(), f.end());
  });
  auto out = propagate(seedIndices, control, stats);
  if (!out) {
    mCells.reset();
    return out;
  }
  mSeedCells = std::move(seedIndices);
  out->algorithmMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  return out;
}

core::Result<GrowFromSeedsStats> GrowFromSeeds::update(const core::Volume& volume, const core::Labelmap& seeds,
                                                       const core::TaskControl& control) {
  if (!hasResult() || volume.geometry().dims != mVolumeDims || seeds.geometry().dims != mVolumeDims)
    return run(volume, seeds, mParams, control);
  auto t0 = std::chrono::steady_clock::now();
  GrowFromSeedsStats stats;
  stats.incremental = true;
  const int threads = workerCount(mParams.threads);
  const std::int64_t slices = mRoi.hi[2] - mRoi.lo[2];
  const std::int64_t sliceVoxels = (mRoi.hi[0] - mRoi.lo[0]) * (mRoi.hi[1] - mRoi.lo[1]);
  // A previous seed erased or relabelled means costs may rise, which only a full run handles.
  for (std::uint32_t p : mSeedCells) {
    const std::int64_t x = p % mPadded[0], y = p / mPadded[0] % mPadded[1], z = p / (mPadded[0] * mPadded[1]);
    if (seeds.at(mRoi.lo[0] + x - 1, mRoi.lo[1] + y - 1, mRoi.lo[2] + z - 1) != labelOf(p))
      return run(volume, seeds, mParams, control);
  }
  // Epochs tell this propagation's queue entries from older ones; after 65535 updates, start over.
  if (mEpoch == std::numeric_limits<std::uint16_t>::max()) return run(volume, seeds, mParams, control);
  const std::uint16_t epoch = ++mEpoch;
  // New seeds: the labelmap is read 8 voxels at a time (seeds are sparse), the cells only under seeds.
  struct Scan {
    std::array<std::int64_t, 256> count{};
    std::vector<std::uint32_t> added;
  };
  std::vector<Scan> scans(static_cast<std::size_t>(threads));
  const core::Geometry& g = seeds.geometry();
  const std::int64_t width = mRoi.hi[0] - mRoi.lo[0];
  const int slabs = forSlabs(slices, sliceVoxels, threads, [&](int slab, std::int64_t k0, std::int64_t k1) {
    Scan& scan = scans[std::size_t(slab)];
    Cell* cells = mCells.get();
    for (std::int64_t k = mRoi.lo[2] + k0; k < mRoi.lo[2] + k1; ++k)
      for (std::int64_t j = mRoi.lo[1]; j < mRoi.hi[1]; ++j) {
        const std::uint8_t* row = seeds.voxels().data() + g.linearIndex(mRoi.lo[0], j, k);
        const std::int64_t p0 = paddedIndex(mRoi.lo[0], j, k);
        for (std::int64_t i = 0; i < width;) {
          if (i + 8 <= width) {
            std::uint64_t word;
            std::memcpy(&word, row + i, sizeof word);
            if (word == 0) {
              i += 8;
              continue;
            }
          }
          for (const std::int64_t end = std::min(width, i + 8); i < end; ++i) {
            const std::uint8_t s = row[i];
            if (!s) continue;
            ++scan.count[s];
            Cell& c = cells[p0 + i];
            if (keyOf(c) >> 8 != 0) {
              c = makeCell(s, std::uint32_t(levelOf(c)), epoch);
              scan.added.push_back(std::uint32_t(p0 + i));
            }
          }
        }
      }
  });
  scans.resize(std::size_t(slabs));
  std::vector<std::uint32_t> added;
  for (const Scan& scan : scans) added.insert(added.end(), scan.added.begin(), scan.added.end());
  for (int s = 1; s < 256; ++s) {
    std::int64_t n = 0;
    for (const Scan& scan : scans) n += scan.count[std::size_t(s)];
    stats.seeds += n;
    stats.labels += n > 0;
  }
  auto out = propagate(added, control, stats);
  if (!out) {
    mCells.reset();  // a cancelled propagation leaves the maps inconsistent
    return out;
  }
  mSeedCells.insert(mSeedCells.end(), added.begin(), added.end());
  out->algorithmMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  return out;
}

namespace {

// Dial's algorithm over the cells, level by level. The keys of a level's entries are final when
// the level is reached (every step costs at least 1), and relaxing them only writes keys of
// higher levels; so the entries of one level can be shared among threads, whose concurrent
// relaxations of one neighbour are resolved by an atomic minimum. Keys only decrease, and every
// order of relaxation reaches the same fixed point, so the threads change the time, not the result.
class Propagation {
 public:
  // With `record`, the cells whose key this propagation set are kept (see touched()).
  Propagation(Cell* cells, const core::Dims& padded, std::uint16_t epoch, int threads, bool record)
      : mCells(cells),
        mOffsets{-1, 1, -padded[0], padded[0], -padded[0] * padded[1], padded[0] * padded[1]},
        mEpoch(epoch),
        mRings(static_cast<std::size_t>(threads)),
        mFinal(std::size_t(threads), 0),
        mTouched(record ? std::size_t(threads) : 0) {}

  // Per thread, the cells (seeds included) that took a new key; each is listed once.
  std::vector<std::vector<std::uint32_t>>& touched() { return mTouched; }

  BucketRing& ring(std::size_t t) { return mRings[t]; }
  std::int64_t finalized() const {
    std::int64_t n = 0;
    for (std::int64_t f : mFinal) n += f;
    return n;
  }
  std::int64_t pushed() const {
    std::int64_t n = 0;
    for (const BucketRing& r : mRings) n += r.pushed();
    return n;
  }

  // Collects the chunks of level d from every thread's ring; returns their entries.
  std::int64_t gather(std::uint32_t d) {
    mWork.clear();
    std::int64_t items = 0;
    for (const BucketRing& r : mRings)
      for (Chunk* c : r.bucket(d & kRingMask)) {
        mWork.push_back(c);
        items += c->size;
      }
    mLevel = d;
    mNext.store(0, std::memory_order_relaxed);
    return items;
  }
  void recycle(std::uint32_t d) {
    for (BucketRing& r : mRings) r.recycle(d & kRingMask);
  }

  // Works the gathered chunks as thread t, alone or (kShared) together with the others.
  template <bool kShared>
  void work(std::size_t t) {
    std::int64_t finalized = 0;
    std::vector<std::uint32_t>* touched = mTouched.empty() ? nullptr : &mTouched[t];
    if constexpr (kShared) {
      for (std::size_t c = mNext.fetch_add(1, std::memory_order_relaxed); c < mWork.size();
           c = mNext.fetch_add(1, std::memory_order_relaxed))
        finalized += relaxChunk<true>(*mWork[c], mRings[t], touched);
    } else {
      for (const Chunk* c : mWork) finalized += relaxChunk<false>(*c, mRings[t], touched);
    }
    mFinal[t] += finalized;
  }

 private:
  // Inlined by force: GCC takes an out-of-line prefetch for a function without effects and drops the call.
  [[gnu::always_inline]] void prefetch(std::uint32_t p) const {
    const Cell* q = mCells + p;
    __builtin_prefetch(q, 1);
    __builtin_prefetch(q + mOffsets[2], 1);
    __builtin_prefetch(q + mOffsets[3], 1);
    __builtin_prefetch(q + mOffsets[4], 1);
    __builtin_prefetch(q + mOffsets[5], 1);
  }

  template <bool kShared>
  static Cell load(Cell& c) {
    if constexpr (kShared)
      return std::atomic_ref<Cell>(c).load(std::memory_order_relaxed);
    else
      return c;
  }

  // Relaxes the neighbours of the chunk's entries; returns how many voxels (seeds aside) it finalized.
  template <bool kShared>
  std::int64_t relaxChunk(const Chunk& chunk, BucketRing& ring, std::vector<std::uint32_t>* touched) {
    const std::uint32_t d = mLevel;
    const std::uint32_t n = chunk.size;
    const Cell epoch = Cell(mEpoch) << 48;
    for (std::uint32_t x = 0; x < std::min(n, kPrefetchAhead); ++x) prefetch(chunk.items[x]);
    std::int64_t finalized = 0;
    for (std::uint32_t x = 0; x < n; ++x) {
      if (x + kPrefetchAhead < n) prefetch(chunk.items[x + kPrefetchAhead]);
      const std::uint32_t p = chunk.items[x];
      const Cell self = load<kShared>(mCells[p]);
      const std::uint32_t key = keyOf(self);
      if (key >> 8 != d) continue;  // a stale entry: the voxel got a smaller cost since
      finalized += d > 0;
      if (touched) touched->push_back(p);  // once per voxel: its one entry at its final cost
      const int level = levelOf(self);
      for (std::int64_t o : mOffsets) {
        const auto q = static_cast<std::uint32_t>(std::int64_t(p) + o);
        Cell old = load<kShared>(mCells[q]);
        const std::uint32_t step = 1 + std::min<std::uint32_t>(kMaxExtraCost, std::uint32_t(std::abs(level - levelOf(old))));
        const std::uint32_t nk = key + (step << 8);
        if (nk >= keyOf(old)) continue;
        // The level stays; the key and the epoch are replaced.
        const Cell updated = (old & (Cell(0xFFFF) << 32)) | epoch | nk;
        if constexpr (kShared) {
          std::atomic_ref<Cell> ref(mCells[q]);
          bool won = false;
          while (nk < keyOf(old) && !(won = ref.compare_exchange_weak(old, (old & (Cell(0xFFFF) << 32)) | epoch | nk,
                                                                     std::memory_order_relaxed))) {
          }
          if (!won) continue;
        } else {
          mCells[q] = updated;
        }
        // Queued once per cost in this run: a smaller label at a cost already queued reuses that entry.
        if (epochOf(old) != mEpoch || keyOf(old) >> 8 != nk >> 8) ring.push((d + step) & kRingMask, q);
      }
    }
    return finalized;
  }

  Cell* mCells;
  std::int64_t mOffsets[6];
  std::uint16_t mEpoch;
  std::vector<BucketRing> mRings;
  std::vector<std::int64_t> mFinal;
  std::vector<std::vector<std::uint32_t>> mTouched;
  std::vector<Chunk*> mWork;
  std::uint32_t mLevel = 0;
  std::atomic<std::size_t> mNext{0};
};

}  // namespace

core::Result<GrowFromSeedsStats> GrowFromSeeds::propagate(const std::vector<std::uint32_t>& seeds,
                                                          const core::TaskControl& control, GrowFromSeedsStats stats) {
  const std::int64_t roiVoxels = mRoi.voxelCount();
  // Helpers only pay off on large regions; the result is the same either way.
  const int threads = roiVoxels < (std::int64_t(1) << 18) ? 1 : workerCount(mParams.threads);
  // An update keeps the cells it changed, so that applyUpdate() rewrites only their bricks.
  const bool incremental = stats.incremental;
  Propagation prop(mCells.get(), mPadded, mEpoch, threads, incremental);
  for (std::uint32_t p : seeds) prop.ring(0).push(0, p);

  // Helpers wait for a new generation, then join the level if it is still open and work its
  // chunks. The leader closes the level when no chunk is left and waits only for the helpers
  // that joined: on a busy machine a helper that is not scheduled in time just misses the level.
  constexpr std::uint32_t kClosed = 1u << 31;
  std::atomic<std::uint32_t> generation{0};
  std::atomic<std::uint32_t> level{kClosed};  // kClosed | the number of helpers working it
  std::atomic<bool> stop{false};
  std::vector<std::thread> helpers;
  for (int t = 1; t < threads; ++t)
    helpers.emplace_back([&, t] {
      std::uint32_t seen = 0;
      for (;;) {
        generation.wait(seen, std::memory_order_acquire);
        seen = generation.load(std::memory_order_acquire);
        if (stop.load(std::memory_order_relaxed)) return;
        std::uint32_t s = level.load(std::memory_order_relaxed);
        bool joined = false;
        while (!(s & kClosed) && !(joined = level.compare_exchange_weak(s, s + 1, std::memory_order_acquire))) {
        }
        if (!joined) continue;
        prop.work<true>(std::size_t(t));
        if (level.fetch_sub(1, std::memory_order_release) == (kClosed | 1)) level.notify_one();
      }
    });
  auto stopHelpers = [&] {
    stop.store(true, std::memory_order_relaxed);
    generation.fetch_add(1, std::memory_order_release);
    generation.notify_all();
    for (auto& h : helpers) h.join();
  };

  std::int64_t processed = 0, sinceCheck = 0;
  bool cancelled = false;
  for (std::uint32_t d = 0; prop.pushed() > processed; ++d) {
    const std::int64_t items = prop.gather(d);
    if (items == 0) continue;
    if (threads == 1 || std::size_t(items) < kParallelLevelItems) {
      prop.work<false>(0);
    } else {
      level.store(0, std::memory_order_release);
      generation.fetch_add(1, std::memory_order_release);
      generation.notify_all();
      prop.work<true>(0);
      for (std::uint32_t s = level.fetch_or(kClosed, std::memory_order_acq_rel) | kClosed; s != kClosed;
           s = level.load(std::memory_order_acquire))
        level.wait(s, std::memory_order_acquire);
    }
    prop.recycle(d);
    processed += items;
    sinceCheck += items;
    if (control.cancelled()) {  // one relaxed load per level
      cancelled = true;
      break;
    }
    if (sinceCheck > (1 << 20)) {
      sinceCheck = 0;
      control.progress(std::min(0.99, double(prop.finalized()) / double(roiVoxels)), "growing from seeds");
    }
  }
  stopHelpers();
  if (cancelled) return makeError("grow from seeds cancelled");
  control.progress(1.0, "grown from seeds");
  stats.labelled = prop.finalized();
  mChangedBricks.reset();
  if (incremental) mChangedBricks = bricksOf(prop.touched());
  return stats;
}

std::uint8_t GrowFromSeeds::labelAt(std::int64_t i, std::int64_t j, std::int64_t k) const {
  if (!hasResult() || !mRoi.contains(i, j, k)) return 0;
  return labelOf(paddedIndex(i, j, k));
}

std::vector<std::int64_t> GrowFromSeeds::bricksOf(const std::vector<std::vector<std::uint32_t>>& cells) const {
  constexpr int kShift = 5;
  static_assert(core::Labelmap::kBrickSize == 1 << kShift);
  core::Dims bd;
  for (int a = 0; a < 3; ++a) bd[std::size_t(a)] = (mVolumeDims[std::size_t(a)] + (1 << kShift) - 1) >> kShift;
  std::vector<std::uint8_t> marked(std::size_t(bd[0] * bd[1] * bd[2]), 0);
  for (const auto& list : cells)
    for (std::uint32_t p : list) {
      const std::int64_t i = mRoi.lo[0] + p % mPadded[0] - 1, j = mRoi.lo[1] + p / mPadded[0] % mPadded[1] - 1,
                         k = mRoi.lo[2] + p / (mPadded[0] * mPadded[1]) - 1;
      marked[std::size_t((i >> kShift) + bd[0] * ((j >> kShift) + bd[1] * (k >> kShift)))] = 1;
    }
  std::vector<std::int64_t> bricks;
  for (std::size_t b = 0; b < marked.size(); ++b)
    if (marked[b]) bricks.push_back(std::int64_t(b));
  return bricks;
}

std::int64_t GrowFromSeeds::write(LabelEdit& edit, const std::vector<std::int64_t>* bricks,
                                  LabelEdit::RowBasis basis) const {
  if (!hasResult() || edit.geometry().dims != mVolumeDims) return 0;
  // Rows of the ROI only (setRows clips to the box): a voxel that is background takes its label.
  auto propose = [this](std::int64_t j, std::int64_t k, std::int64_t iLo, std::span<std::uint8_t> values) {
    const Cell* cells = mCells.get() + paddedIndex(iLo, j, k);
    for (std::size_t x = 0; x < values.size(); ++x) {
      const std::uint8_t label = static_cast<std::uint8_t>(cells[x]);
      if (values[x] == 0 && label != 0) values[x] = label;
    }
  };
  return bricks ? edit.setRows(*bricks, mRoi, propose, basis, mParams.threads)
                : edit.setRows(mRoi, propose, basis, mParams.threads);
}

std::int64_t GrowFromSeeds::apply(LabelEdit& edit) const { return write(edit, nullptr, LabelEdit::RowBasis::Current); }

std::int64_t GrowFromSeeds::applyUpdate(LabelEdit& edit) const {
  return write(edit, mChangedBricks ? &*mChangedBricks : nullptr, LabelEdit::RowBasis::EditStart);
}

}  // namespace delineo::tools
