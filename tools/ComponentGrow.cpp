#include "tools/ComponentGrow.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <bit>
#include <cstring>
#include <memory>
#include <optional>
#include <thread>
#include <utility>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "tools/Parallel.h"

namespace delineo::tools::detail {

namespace {

// A neighbouring row already visited when rows are walked j fastest, then k, and how far the
// connectivity reaches sideways into it (see rowOffsets in RegionGrow.cpp).
struct PreviousRow {
  int dj, dk, widen;
};

std::vector<PreviousRow> previousRows(int connectivity) {
  std::vector<PreviousRow> out;
  for (int dk = -1; dk <= 0; ++dk)
    for (int dj = -1; dj <= 1; ++dj) {
      if (dk == 0 && dj >= 0) continue;
      int nonZero = (dj != 0) + (dk != 0);
      if (connectivity == 6 && nonZero == 2) continue;
      out.push_back({dj, dk, connectivity == 26 || (connectivity == 18 && nonZero == 1) ? 1 : 0});
    }
  return out;
}

// Union-find over span indices where a parent never exceeds its child: roots are the smallest
// index of their component, so one ascending pass flattens every tree.
std::uint32_t findRoot(std::uint32_t* parent, std::uint32_t i) {
  while (parent[i] != i) {
    parent[i] = parent[parent[i]];
    i = parent[i];
  }
  return i;
}

void unite(std::uint32_t* parent, std::uint32_t a, std::uint32_t b) {
  a = findRoot(parent, a);
  b = findRoot(parent, b);
  if (a < b) parent[b] = a;
  else if (b < a) parent[a] = b;
}

#if defined(__SSE2__)
// 64 voxels of a 16-bit type at once (SSE2 is part of x86-64): signed compares, unsigned
// values shifted into signed order first.
template <typename T>
std::uint64_t bits64(const T* p, TypedRange<T> range) {
  const __m128i flip = _mm_set1_epi16(std::is_signed_v<T> ? 0 : std::int16_t(-32768));
  const __m128i lo = _mm_xor_si128(_mm_set1_epi16(std::int16_t(range.lo)), flip);
  const __m128i hi = _mm_xor_si128(_mm_set1_epi16(std::int16_t(range.hi)), flip);
  std::uint64_t word = 0;
  for (int q = 0; q < 4; ++q) {
    const __m128i a = _mm_xor_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * q)), flip);
    const __m128i b = _mm_xor_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * q + 8)), flip);
    const __m128i outA = _mm_or_si128(_mm_cmplt_epi16(a, lo), _mm_cmpgt_epi16(a, hi));
    const __m128i outB = _mm_or_si128(_mm_cmplt_epi16(b, lo), _mm_cmpgt_epi16(b, hi));
    const auto out = static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_packs_epi16(outA, outB)));
    word |= std::uint64_t(~out & 0xffffu) << (16 * q);
  }
  return word;
}
#endif

}  // namespace

template <typename T>
void inRangeBits(const T* row, std::int64_t n, TypedRange<T> range, std::uint64_t* bits) {
  const T lo = range.lo, hi = range.hi;
  for (std::int64_t base = 0; base < n; base += 64) {
    const std::int64_t count = std::min<std::int64_t>(64, n - base);
    const T* p = row + base;
    std::uint64_t word = 0;
#if defined(__SSE2__)
    if constexpr (sizeof(T) == 2 && std::is_integral_v<T>) {
      if (count == 64) {
        bits[base >> 6] = bits64(p, range);
        continue;
      }
    }
#endif
    if constexpr (std::is_integral_v<T>) {
      // One unsigned compare per voxel: v in [lo, hi] <=> (v - lo) mod 2^bits <= hi - lo.
      using U = std::make_unsigned_t<T>;
      const U width = static_cast<U>(static_cast<U>(hi) - static_cast<U>(lo));
      for (std::int64_t b = 0; b < count; ++b)
        word |= std::uint64_t(static_cast<U>(static_cast<U>(p[b]) - static_cast<U>(lo)) <= width) << b;
    } else {
      for (std::int64_t b = 0; b < count; ++b) word |= std::uint64_t(p[b] >= lo && p[b] <= hi) << b;
    }
    bits[base >> 6] = word;
  }
}

namespace {

template <typename T>
class ComponentGrow final : public ComponentLabelling {
 public:
  ComponentGrow(const GrowInput<T>& input, int threads, int assistants, const core::TaskControl& control)
      : mIn(input), mPrevious(previousRows(input.connectivity)), mControl(control) {
    const VoxelBox& box = input.box;
    const std::int64_t depth = box.hi[2] - box.lo[2];
    mWorkers = static_cast<int>(std::clamp<std::int64_t>(workerCount(threads), 1, labelWorkerLimit(box, threads)));
    // More slabs than threads, taken in turn: a thread slowed by another process holds up little.
    const std::int64_t threadsInAll = mWorkers + assistants;
    const std::int64_t slabs = threadsInAll == 1 ? 1 : std::min<std::int64_t>(depth, threadsInAll * 4);
    for (std::int64_t s = 0; s < slabs; ++s) {
      Slab slab;
      slab.kLo = box.lo[2] + depth * s / slabs;
      slab.kHi = box.lo[2] + depth * (s + 1) / slabs;
      mSlabs.push_back(std::move(slab));
    }
    mWidth = box.hi[0] - box.lo[0];
    mWords = (mWidth + 63) >> 6;
    mRowsPerSlice = box.hi[1] - box.lo[1];
    // Beyond one span per 16 voxels the union-find would outgrow a byte mask of the ROI; noise
    // that fragmented is cheaper to flood.
    mSpanLimit = std::min<std::int64_t>(std::max<std::int64_t>(box.voxelCount() / 16, 1 << 16),
                                        std::numeric_limits<std::uint32_t>::max() - 1);
  }

  RegionOutcome run(const std::vector<std::array<std::int64_t, 3>>& seeds) override {
    RegionOutcome out = select(seeds);
    std::lock_guard lock(mPassMutex);
    mFinished = true;
    mPassCv.notify_all();
    return out;
  }

  double labelledShare() const override {
    const std::int64_t rows = mRowsPerSlice * (mIn.box.hi[2] - mIn.box.lo[2]);
    return rows > 0 ? double(mRowsLabelled.load(std::memory_order_relaxed)) / double(rows) : 1.0;
  }

  void assist(const core::TaskControl& control) override {
    std::unique_lock lock(mPassMutex);
    while (!mFinished) {
      if (!takeSlab(lock, &control)) mPassCv.wait(lock);
    }
  }

 private:
  RegionOutcome select(const std::vector<std::array<std::int64_t, 3>>& seeds) {
    RegionOutcome out;
    forEachSlab(0.0, 0.8, [&](Slab& s) { return labelSlab(s); });
    if (mCancelled) out.cancelled = true;
    if (mDeclined) out.declined = true;
    if (out.cancelled || out.declined) return out;

    // One parent array over all slabs, then the joins across slab borders.
    std::uint32_t total = 0;
    for (Slab& s : mSlabs) {
      s.offset = total;
      total += static_cast<std::uint32_t>(s.parent.size());
    }
    if (mSlabs.size() == 1) {
      mParent = std::move(mSlabs[0].parent);
    } else {
      mParent.resize(total);
      forEachSlab(0.8, 0.85, [&](Slab& s) {
        for (std::size_t i = 0; i < s.parent.size(); ++i) mParent[s.offset + i] = s.parent[i] + s.offset;
        s.parent = {};
        return true;
      });
    }
    for (std::size_t n = 1; n < mSlabs.size(); ++n) {
      const Slab& lower = mSlabs[n - 1];
      const Slab& upper = mSlabs[n];
      const std::int64_t lastSlice = (lower.kHi - lower.kLo - 1) * mRowsPerSlice;
      for (std::int64_t r = 0; r < mRowsPerSlice; ++r)
        for (const PreviousRow& o : mPrevious) {
          if (o.dk != -1 || r + o.dj < 0 || r + o.dj >= mRowsPerSlice) continue;
          joinRows(upper, r, lower, lastSlice + r + o.dj, o.widen, mParent.data());
        }
    }
    for (std::uint32_t i = 0; i < total; ++i) mParent[i] = mParent[mParent[i]];

    // The components holding a seed.
    mSelected.assign(total, 0);
    bool any = false;
    for (const auto& seed : seeds) {
      auto span = spanAt(seed[0], seed[1], seed[2]);
      if (span) {
        mSelected[mParent[*span]] = 1;
        any = true;
      }
    }
    if (!any) return out;

    std::vector<Tally> tallies(mSlabs.size());
    forEachSlab(0.85, 0.99, [&](Slab& s) { return collectSlab(s, tallies[std::size_t(&s - mSlabs.data())]); });
    if (mCancelled) {
      out.cancelled = true;
      return out;
    }
    out.bounds.lo = {std::numeric_limits<std::int64_t>::max(), std::numeric_limits<std::int64_t>::max(),
                     std::numeric_limits<std::int64_t>::max()};
    std::size_t runs = 0;
    for (const Tally& t : tallies) {
      out.voxels += t.voxels;
      runs += t.runs.size();
      for (int a = 0; a < 3; ++a) {
        out.bounds.lo[a] = std::min(out.bounds.lo[a], t.lo[a]);
        out.bounds.hi[a] = std::max(out.bounds.hi[a], t.hi[a]);
      }
    }
    if (out.voxels == 0) out.bounds = {};
    if (mIn.maxVoxels > 0 && out.voxels > mIn.maxVoxels) {
      out.stoppedAtLimit = true;
      return out;
    }
    out.runs.reserve(runs);
    for (const Tally& t : tallies) out.runs.insert(out.runs.end(), t.runs.begin(), t.runs.end());
    return out;
  }

  // A slab of slices [kLo, kHi), its rows j fastest. Per row and 64-voxel word: the in-range
  // bits and the slab-local index of the first span (run of set bits) starting in or after that
  // word; spans are numbered in row order.
  struct Slab {
    std::int64_t kLo = 0, kHi = 0;
    std::unique_ptr<std::uint64_t[]> bits;
    std::unique_ptr<std::uint32_t[]> first;
    std::unique_ptr<std::uint32_t[]> rowEnd;  // per row: one past the index of its last span
    std::vector<std::uint32_t> parent;        // union-find within the slab (slab-local indices)
    std::uint32_t offset = 0;                 // index of the first span among all slabs
  };
  struct Tally {
    std::vector<VoxelRun> runs;
    std::int64_t voxels = 0;
    std::array<std::int64_t, 3> lo{std::numeric_limits<std::int64_t>::max(), std::numeric_limits<std::int64_t>::max(),
                                   std::numeric_limits<std::int64_t>::max()};
    std::array<std::int64_t, 3> hi{0, 0, 0};
  };

  // Runs `body` on every slab, the workers (and any assistant) taking slabs in turn; the
  // calling thread reports progress from `from` to `to`.
  void forEachSlab(double from, double to, const std::function<bool(Slab&)>& body) {
    {
      std::lock_guard lock(mPassMutex);
      mPassBody = &body;
      mPassNext = mPassDone = 0;
      mPassFrom = from;
      mPassTo = to;
    }
    mPassCv.notify_all();
    auto work = [this](int w) {
      std::unique_lock lock(mPassMutex);
      while (takeSlab(lock, w == 0 ? &mControl : nullptr)) {
      }
    };
    std::vector<std::thread> pool;
    const int workers = std::min<int>(mWorkers, static_cast<int>(mSlabs.size()));
    for (int w = 1; w < workers; ++w) pool.emplace_back(work, w);
    work(0);
    for (auto& t : pool) t.join();
    std::unique_lock lock(mPassMutex);
    mPassCv.wait(lock, [this] { return mPassBusy == 0; });
    mPassBody = nullptr;
  }

  // With `lock` held: runs the pass body on the next slab (unlocked meanwhile), reporting
  // progress to `control` if set. False when the pass has no slab left (or is stopping).
  bool takeSlab(std::unique_lock<std::mutex>& lock, const core::TaskControl* control) {
    if (control && control->cancelled()) mCancelled.store(true);
    if (!mPassBody || mPassNext >= mSlabs.size() || mCancelled.load(std::memory_order_relaxed) ||
        mDeclined.load(std::memory_order_relaxed))
      return false;
    const std::function<bool(Slab&)>& body = *mPassBody;
    Slab& slab = mSlabs[mPassNext++];
    ++mPassBusy;
    lock.unlock();
    const bool ok = body(slab);
    lock.lock();
    --mPassBusy;
    const double done = double(++mPassDone) / double(mSlabs.size());
    if (mPassBusy == 0) mPassCv.notify_all();
    if (control && ok) {
      const double fraction = mPassFrom + (mPassTo - mPassFrom) * done;
      lock.unlock();
      control->progress(fraction, "growing");
      lock.lock();
    }
    return ok;
  }

  bool stopRequested() {
    if (mCancelled.load(std::memory_order_relaxed) || mDeclined.load(std::memory_order_relaxed)) return true;
    if (mControl.cancelled()) {
      mCancelled.store(true);
      return true;
    }
    return false;
  }

  // The bits of word q of `row` (whose words start at `bits`) where a span starts.
  std::uint64_t startsOf(const std::uint64_t* bits, std::int64_t q) const {
    return bits[q] & ~((bits[q] << 1) | (q > 0 ? bits[q - 1] >> 63 : 0));
  }
  std::uint32_t rowBegin(const Slab& s, std::int64_t row) const { return row == 0 ? 0 : s.rowEnd[row - 1]; }

  // Slab-local index of the span of row `row` holding bit x (which must be set).
  [[gnu::always_inline]] std::uint32_t spanIndex(const Slab& s, std::int64_t row, std::int64_t x) const {
    const std::int64_t q = x >> 6;
    const std::uint64_t* bits = s.bits.get() + row * mWords;
    return s.first[row * mWords + q] + std::uint32_t(std::popcount(startsOf(bits, q) & ((2ull << (x & 63)) - 1))) - 1;
  }

  // Joins the spans of row `ra` of slab `a` to those of row `rb` of slab `b` that touch them
  // (overlap, or with `widen` also meet diagonally), in `parent` (indices offset by the slabs'
  // offsets, which are 0 within a slab). Each run of overlapping bits is one pair of spans, and
  // so is each place where a span of one row ends just before a span of the other starts.
  [[gnu::always_inline]] void joinRows(const Slab& a, std::int64_t ra, const Slab& b, std::int64_t rb, int widen,
                                      std::uint32_t* parent) const {
    if (rowBegin(a, ra) == a.rowEnd[ra] || rowBegin(b, rb) == b.rowEnd[rb]) return;
    const std::uint64_t* ba = a.bits.get() + ra * mWords;
    const std::uint64_t* bb = b.bits.get() + rb * mWords;
    const std::uint32_t oa = &a == &b ? 0 : a.offset, ob = &a == &b ? 0 : b.offset;
    std::uint64_t carry = 0;
    for (std::int64_t q = 0; q < mWords; ++q) {
      const std::uint64_t both = ba[q] & bb[q];
      std::uint64_t runs = both & ~((both << 1) | carry);
      carry = both >> 63;
      while (runs) {
        const std::int64_t x = (q << 6) + std::countr_zero(runs);
        runs &= runs - 1;
        unite(parent, oa + spanIndex(a, ra, x), ob + spanIndex(b, rb, x));
      }
    }
    if (!widen) return;
    for (std::int64_t q = 0; q < mWords; ++q) {
      const bool more = q + 1 < mWords;
      const std::uint64_t nextA = more ? ba[q + 1] << 63 : 0, nextB = more ? bb[q + 1] << 63 : 0;
      const std::uint64_t endsA = ba[q] & ~((ba[q] >> 1) | nextA), endsB = bb[q] & ~((bb[q] >> 1) | nextB);
      const std::uint64_t startsAfterA = (startsOf(ba, q) >> 1) | (more ? startsOf(ba, q + 1) << 63 : 0);
      const std::uint64_t startsAfterB = (startsOf(bb, q) >> 1) | (more ? startsOf(bb, q + 1) << 63 : 0);
      for (std::uint64_t t = endsA & startsAfterB; t; t &= t - 1) {
        const std::int64_t x = (q << 6) + std::countr_zero(t);
        unite(parent, oa + spanIndex(a, ra, x), ob + spanIndex(b, rb, x + 1));
      }
      for (std::uint64_t t = endsB & startsAfterA; t; t &= t - 1) {
        const std::int64_t x = (q << 6) + std::countr_zero(t);
        unite(parent, ob + spanIndex(b, rb, x), oa + spanIndex(a, ra, x + 1));
      }
    }
  }

  // Cloned for CPUs with and without popcnt (x86-64's baseline lacks it; GCC's library call for
  // it costs more than the rest of spanIndex), chosen once at load time.
  __attribute__((target_clones("popcnt", "default"))) bool labelSlab(Slab& s) {
    const std::int64_t rows = (s.kHi - s.kLo) * mRowsPerSlice;
    const std::size_t words = std::size_t(rows * mWords);
    s.bits.reset(new std::uint64_t[words]);
    s.first.reset(new std::uint32_t[words]);
    s.rowEnd.reset(new std::uint32_t[std::size_t(rows)]);
    s.parent.reserve(std::size_t(std::min<std::int64_t>(rows * mWidth / 32, mSpanLimit)));
    std::uint32_t count = 0;
    std::int64_t row = 0;
    for (std::int64_t k = s.kLo; k < s.kHi; ++k) {
      if (stopRequested()) return false;
      if (mSpanCount.load(std::memory_order_relaxed) > mSpanLimit) {
        mDeclined.store(true);
        return false;
      }
      const std::uint32_t sliceFirst = count;
      for (std::int64_t j = mIn.box.lo[1]; j < mIn.box.hi[1]; ++j, ++row) {
        std::uint64_t* bits = s.bits.get() + row * mWords;
        std::uint32_t* first = s.first.get() + row * mWords;
        inRangeBits(mIn.voxels + mIn.dims[0] * (j + mIn.dims[1] * k) + mIn.box.lo[0], mWidth, mIn.range, bits);
        const std::uint32_t rowFirst = count;
        std::uint64_t carry = 0;
        for (std::int64_t q = 0; q < mWords; ++q) {
          first[q] = count;
          count += std::uint32_t(std::popcount(bits[q] & ~((bits[q] << 1) | carry)));
          carry = bits[q] >> 63;
        }
        s.rowEnd[row] = count;
        if (count == rowFirst) continue;
        for (std::uint32_t i = rowFirst; i < count; ++i) s.parent.push_back(i);
        for (const PreviousRow& o : mPrevious) {
          const std::int64_t nj = j + o.dj, nk = k + o.dk;
          if (nj < mIn.box.lo[1] || nj >= mIn.box.hi[1] || nk < s.kLo) continue;
          joinRows(s, row, s, row + o.dj + o.dk * mRowsPerSlice, o.widen, s.parent.data());
        }
      }
      mSpanCount.fetch_add(std::int64_t(count - sliceFirst), std::memory_order_relaxed);
      mRowsLabelled.fetch_add(mRowsPerSlice, std::memory_order_relaxed);
    }
    return true;
  }

  // Global index of the span holding voxel (i, j, k), if it is in range.
  std::optional<std::uint32_t> spanAt(std::int64_t i, std::int64_t j, std::int64_t k) const {
    if (!mIn.box.contains(i, j, k)) return std::nullopt;
    for (const Slab& s : mSlabs) {
      if (k < s.kLo || k >= s.kHi) continue;
      const std::int64_t row = (k - s.kLo) * mRowsPerSlice + (j - mIn.box.lo[1]);
      const std::int64_t x = i - mIn.box.lo[0];
      if (!((s.bits[std::size_t(row * mWords + (x >> 6))] >> (x & 63)) & 1)) return std::nullopt;
      return s.offset + spanIndex(s, row, x);
    }
    return std::nullopt;
  }

  // The spans of selected components, as runs.
  bool collectSlab(const Slab& s, Tally& t) {
    std::int64_t row = 0;
    std::uint32_t index = s.offset;  // of the next span
    for (std::int64_t k = s.kLo; k < s.kHi; ++k) {
      if (stopRequested()) return false;
      for (std::int64_t j = mIn.box.lo[1]; j < mIn.box.hi[1]; ++j, ++row) {
        if (s.rowEnd[row] == index - s.offset) continue;  // no spans
        const std::uint64_t* bits = s.bits.get() + row * mWords;
        bool rowTouched = false;
        for (std::int64_t q = 0; q < mWords; ++q) {
          for (std::uint64_t st = startsOf(bits, q); st; st &= st - 1, ++index) {
            if (!mSelected[mParent[index]]) continue;
            const std::int64_t x0 = (q << 6) + std::countr_zero(st);
            // The span ends before the first clear bit from x0 on (bits past the row are clear).
            std::int64_t w = q;
            std::uint64_t clear = ~bits[w] & (~0ull << (x0 & 63));
            while (clear == 0 && w + 1 < mWords) clear = ~bits[++w];
            const std::int64_t x1 = std::min<std::int64_t>(clear == 0 ? mWidth : (w << 6) + std::countr_zero(clear), mWidth);
            t.runs.push_back({std::int32_t(mIn.box.lo[0] + x0), std::int32_t(mIn.box.lo[0] + x1), std::int32_t(j),
                              std::int32_t(k)});
            t.voxels += x1 - x0;
            t.lo[0] = std::min<std::int64_t>(t.lo[0], mIn.box.lo[0] + x0);
            t.hi[0] = std::max<std::int64_t>(t.hi[0], mIn.box.lo[0] + x1);
            rowTouched = true;
          }
        }
        if (rowTouched) {
          t.lo[1] = std::min(t.lo[1], j);
          t.hi[1] = std::max(t.hi[1], j + 1);
          t.lo[2] = std::min(t.lo[2], k);
          t.hi[2] = std::max(t.hi[2], k + 1);
        }
      }
    }
    return true;
  }

  GrowInput<T> mIn;
  std::vector<PreviousRow> mPrevious;
  const core::TaskControl& mControl;
  int mWorkers = 1;
  std::int64_t mWidth = 0, mWords = 0, mRowsPerSlice = 0;
  std::int64_t mSpanLimit = 0;
  std::vector<Slab> mSlabs;
  std::vector<std::uint32_t> mParent;   // all slabs, flattened to roots before selection
  std::vector<std::uint8_t> mSelected;  // per root: its component holds a seed
  std::atomic<std::int64_t> mSpanCount{0}, mRowsLabelled{0};
  std::atomic<bool> mCancelled{false}, mDeclined{false};
  // The pass in progress (forEachSlab), shared with assistants.
  std::mutex mPassMutex;
  std::condition_variable mPassCv;
  const std::function<bool(Slab&)>* mPassBody = nullptr;
  std::size_t mPassNext = 0, mPassDone = 0;
  int mPassBusy = 0;
  double mPassFrom = 0, mPassTo = 0;
  bool mFinished = false;
};

}  // namespace

template <typename T>
std::unique_ptr<ComponentLabelling> makeComponentLabelling(const GrowInput<T>& input, int threads, int assistants,
                                                           const core::TaskControl& control) {
  return std::make_unique<ComponentGrow<T>>(input, threads, assistants, control);
}

#define DELINEO_COMPONENT_GROW(T)                                                                          \
  template std::unique_ptr<ComponentLabelling> makeComponentLabelling<T>(const GrowInput<T>&, int, int,   \
                                                                         const core::TaskControl&);        \
  template void inRangeBits<T>(const T*, std::int64_t, TypedRange<T>, std::uint64_t*);
DELINEO_COMPONENT_GROW(std::uint8_t)
DELINEO_COMPONENT_GROW(std::int16_t)
DELINEO_COMPONENT_GROW(std::uint16_t)
DELINEO_COMPONENT_GROW(float)
#undef DELINEO_COMPONENT_GROW

}  // namespace delineo::tools::detail
