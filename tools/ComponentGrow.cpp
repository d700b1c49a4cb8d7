#include "tools/ComponentGrow.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <cstring>
#include <optional>
#include <thread>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "tools/Parallel.h"

namespace delineo::tools::detail {

namespace {

// A run of in-range voxels on one row, x0..x1 inclusive.
struct Span {
  std::int32_t x0, x1;
};

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

// Joins the spans of two rows that touch: ranges [a, a + na) and [b, b + nb) of `spans`.
void uniteRows(const Span* spans, std::uint32_t* parent, std::uint32_t a, std::uint32_t na, std::uint32_t b,
               std::uint32_t nb, int widen) {
  const std::uint32_t aEnd = a + na, bEnd = b + nb;
  while (a < aEnd && b < bEnd) {
    const Span& s = spans[a];
    const Span& t = spans[b];
    if (t.x1 + widen < s.x0) {
      ++b;
    } else if (s.x1 + widen < t.x0) {
      ++a;
    } else {
      unite(parent, a, b);
      if (t.x1 < s.x1) ++b;
      else ++a;
    }
  }
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
class ComponentGrow {
 public:
  ComponentGrow(const T* voxels, const core::Dims& dims, const VoxelBox& box, TypedRange<T> range, int connectivity,
                int threads, std::int64_t maxVoxels, const core::TaskControl& control, VoxelMask& mask)
      : mVoxels(voxels), mDims(dims), mBox(box), mRange(range), mPrevious(previousRows(connectivity)),
        mMaxVoxels(maxVoxels), mControl(control), mMask(mask) {
    // Left to choose (threads 0), a worker per 8 M voxels at most: below that, starting and
    // joining threads (once per pass) costs about what it saves, and more on a busy machine.
    const std::int64_t depth = box.hi[2] - box.lo[2];
    const std::int64_t useful = threads > 0 ? depth : std::clamp<std::int64_t>(box.voxelCount() >> 23, 1, depth);
    mWorkers = static_cast<int>(std::clamp<std::int64_t>(workerCount(threads), 1, useful));
    // More slabs than workers, taken in turn: a worker slowed by another process holds up little.
    const std::int64_t slabs = mWorkers == 1 ? 1 : std::min<std::int64_t>(depth, std::int64_t(mWorkers) * 4);
    for (std::int64_t s = 0; s < slabs; ++s)
      mSlabs.push_back({box.lo[2] + depth * s / slabs, box.lo[2] + depth * (s + 1) / slabs, {}, {}, {}, 0});
    mRowsPerSlice = box.hi[1] - box.lo[1];
    // Beyond one span per 16 voxels the arrays would outgrow the mask; noise that fragmented
    // is cheaper to flood.
    mSpanLimit = std::min<std::int64_t>(std::max<std::int64_t>(box.voxelCount() / 16, 1 << 16),
                                        std::numeric_limits<std::uint32_t>::max() - 1);
  }

  ComponentGrowOutcome run(const std::vector<std::array<std::int64_t, 3>>& seeds) {
    ComponentGrowOutcome out;
    forEachSlab(0.0, 0.8, [&](Slab& s) { return labelSlab(s); });
    if (mCancelled) out.cancelled = true;
    if (mDeclined) out.declined = true;
    if (out.cancelled || out.declined) return out;

    // One parent array over all slabs, then the joins across slab borders.
    std::uint32_t total = 0;
    for (Slab& s : mSlabs) {
      s.offset = total;
      total += static_cast<std::uint32_t>(s.spans.size());
    }
    mParent.resize(total);
    forEachSlab(0.8, 0.85, [&](Slab& s) {
      for (std::size_t i = 0; i < s.parent.size(); ++i) mParent[s.offset + i] = s.parent[i] + s.offset;
      s.parent = {};
      return true;
    });
    for (std::size_t n = 1; n < mSlabs.size(); ++n) joinBorder(mSlabs[n - 1], mSlabs[n]);
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
    if (mMaxVoxels > 0) {
      std::int64_t voxels = 0;
      for (const Slab& s : mSlabs)
        for (std::size_t i = 0; i < s.spans.size(); ++i)
          if (mSelected[mParent[s.offset + i]]) voxels += s.spans[i].x1 - s.spans[i].x0 + 1;
      if (voxels > mMaxVoxels) {
        out.stoppedAtLimit = true;
        out.voxels = voxels;
        return out;
      }
    }

    std::vector<Tally> tallies(mSlabs.size());
    forEachSlab(0.85, 0.99, [&](Slab& s) { return writeSlab(s, tallies[std::size_t(&s - mSlabs.data())]); });
    if (mCancelled) {
      out.cancelled = true;
      return out;
    }
    out.bounds.lo = {std::numeric_limits<std::int64_t>::max(), std::numeric_limits<std::int64_t>::max(),
                     std::numeric_limits<std::int64_t>::max()};
    for (const Tally& t : tallies) {
      out.voxels += t.voxels;
      for (int a = 0; a < 3; ++a) {
        out.bounds.lo[a] = std::min(out.bounds.lo[a], t.lo[a]);
        out.bounds.hi[a] = std::max(out.bounds.hi[a], t.hi[a]);
      }
    }
    if (out.voxels == 0) out.bounds = {};
    return out;
  }

 private:
  struct Slab {
    std::int64_t kLo, kHi;                 // slices [kLo, kHi)
    std::vector<Span> spans;               // row by row, j fastest
    std::vector<std::uint32_t> parent;     // union-find within the slab (slab-local indices)
    std::vector<std::uint32_t> rowEnd;     // per row: one past its last span (slab-local)
    std::uint32_t offset;                  // index of the first span among all slabs
  };
  struct Tally {
    std::int64_t voxels = 0;
    std::array<std::int64_t, 3> lo{std::numeric_limits<std::int64_t>::max(), std::numeric_limits<std::int64_t>::max(),
                                   std::numeric_limits<std::int64_t>::max()};
    std::array<std::int64_t, 3> hi{0, 0, 0};
  };

  // Runs `body` on every slab, the workers taking slabs in turn; the calling thread reports
  // progress from `from` to `to` and is the only one that calls the TaskControl's callback.
  template <typename Body>
  void forEachSlab(double from, double to, Body&& body) {
    std::atomic<std::size_t> next{0}, done{0};
    auto work = [&](int w) {
      for (;;) {
        if (mCancelled.load(std::memory_order_relaxed) || mDeclined.load(std::memory_order_relaxed)) return;
        std::size_t s = next.fetch_add(1);
        if (s >= mSlabs.size()) return;
        if (!body(mSlabs[s])) return;
        std::size_t finished = done.fetch_add(1) + 1;
        if (w == 0) mControl.progress(from + (to - from) * double(finished) / double(mSlabs.size()), "growing");
      }
    };
    std::vector<std::thread> pool;
    const int workers = std::min<int>(mWorkers, static_cast<int>(mSlabs.size()));
    for (int w = 1; w < workers; ++w) pool.emplace_back(work, w);
    work(0);
    for (auto& t : pool) t.join();
  }

  bool stopRequested() {
    if (mCancelled.load(std::memory_order_relaxed) || mDeclined.load(std::memory_order_relaxed)) return true;
    if (mControl.cancelled()) {
      mCancelled.store(true);
      return true;
    }
    return false;
  }

  // Appends the runs of set bits as spans (x in volume indices).
  static void appendSpans(const std::uint64_t* bits, std::int64_t n, std::int32_t x0, std::vector<Span>& spans) {
    const std::int64_t words = (n + 63) >> 6;
    bool inRun = false;
    std::int64_t start = 0;
    for (std::int64_t w = 0; w < words; ++w) {
      const std::uint64_t word = bits[w];
      int pos = 0;
      while (pos < 64) {
        const std::uint64_t rest = (inRun ? ~word : word) >> pos;
        if (rest == 0) break;
        pos += std::countr_zero(rest);
        if (inRun) spans.push_back({std::int32_t(x0 + start), std::int32_t(x0 + w * 64 + pos - 1)});
        else start = w * 64 + pos;
        inRun = !inRun;
      }
    }
    if (inRun) spans.push_back({std::int32_t(x0 + start), std::int32_t(x0 + n - 1)});
  }

  std::uint32_t rowStart(const Slab& s, std::int64_t localRow) const {
    return localRow == 0 ? 0 : s.rowEnd[std::size_t(localRow - 1)];
  }

  bool labelSlab(Slab& s) {
    const std::int64_t n = mBox.hi[0] - mBox.lo[0];
    std::vector<std::uint64_t> bits(std::size_t((n + 63) >> 6));
    s.rowEnd.reserve(std::size_t((s.kHi - s.kLo) * mRowsPerSlice));
    // Room for a span per 32 voxels up front: growing by copies would map every page twice.
    const auto guess = std::size_t(std::min<std::int64_t>((s.kHi - s.kLo) * mRowsPerSlice * n / 32, mSpanLimit));
    s.spans.reserve(guess);
    s.parent.reserve(guess);
    std::int64_t localRow = 0;
    for (std::int64_t k = s.kLo; k < s.kHi; ++k) {
      if (stopRequested()) return false;
      if (mSpanCount.load(std::memory_order_relaxed) > mSpanLimit) {
        mDeclined.store(true);
        return false;
      }
      const std::size_t sliceFirst = s.spans.size();
      for (std::int64_t j = mBox.lo[1]; j < mBox.hi[1]; ++j, ++localRow) {
        const T* row = mVoxels + mDims[0] * (j + mDims[1] * k) + mBox.lo[0];
        inRangeBits(row, n, mRange, bits.data());
        const auto first = static_cast<std::uint32_t>(s.spans.size());
        appendSpans(bits.data(), n, std::int32_t(mBox.lo[0]), s.spans);
        const auto end = static_cast<std::uint32_t>(s.spans.size());
        s.rowEnd.push_back(end);
        if (first == end) continue;
        for (std::uint32_t i = first; i < end; ++i) s.parent.push_back(i);
        for (const PreviousRow& o : mPrevious) {
          const std::int64_t nj = j + o.dj, nk = k + o.dk;
          if (nj < mBox.lo[1] || nj >= mBox.hi[1] || nk < s.kLo) continue;
          const std::int64_t other = localRow + o.dj + o.dk * mRowsPerSlice;
          const std::uint32_t b = rowStart(s, other), bEnd = s.rowEnd[std::size_t(other)];
          if (b != bEnd) uniteRows(s.spans.data(), s.parent.data(), first, end - first, b, bEnd - b, o.widen);
        }
      }
      mSpanCount.fetch_add(std::int64_t(s.spans.size() - sliceFirst), std::memory_order_relaxed);
    }
    return true;
  }

  // Joins the first slice of `upper` to the last slice of `lower` (global indices).
  void joinBorder(const Slab& lower, const Slab& upper) {
    const std::int64_t lastSlice = (lower.kHi - lower.kLo - 1) * mRowsPerSlice;
    for (std::int64_t r = 0; r < mRowsPerSlice; ++r) {
      const std::uint32_t a = rowStart(upper, r), aEnd = upper.rowEnd[std::size_t(r)];
      if (a == aEnd) continue;
      for (const PreviousRow& o : mPrevious) {
        if (o.dk != -1 || r + o.dj < 0 || r + o.dj >= mRowsPerSlice) continue;
        const std::int64_t other = lastSlice + r + o.dj;
        const std::uint32_t b = rowStart(lower, other), bEnd = lower.rowEnd[std::size_t(other)];
        if (b == bEnd) continue;
        // uniteRows indexes one array: walk the two rows side by side here instead.
        std::uint32_t i = a, p = b;
        while (i < aEnd && p < bEnd) {
          const Span& s = upper.spans[i];
          const Span& t = lower.spans[p];
          if (t.x1 + o.widen < s.x0) {
            ++p;
          } else if (s.x1 + o.widen < t.x0) {
            ++i;
          } else {
            unite(mParent.data(), upper.offset + i, lower.offset + p);
            if (t.x1 < s.x1) ++p;
            else ++i;
          }
        }
      }
    }
  }

  // Global index of the span holding voxel (i, j, k), if it is in range.
  std::optional<std::uint32_t> spanAt(std::int64_t i, std::int64_t j, std::int64_t k) const {
    if (!mBox.contains(i, j, k)) return std::nullopt;
    for (const Slab& s : mSlabs) {
      if (k < s.kLo || k >= s.kHi) continue;
      const std::int64_t localRow = (k - s.kLo) * mRowsPerSlice + (j - mBox.lo[1]);
      const auto begin = s.spans.begin() + rowStart(s, localRow);
      const auto end = s.spans.begin() + s.rowEnd[std::size_t(localRow)];
      auto it = std::upper_bound(begin, end, i, [](std::int64_t x, const Span& sp) { return x < sp.x0; });
      if (it == begin || (it - 1)->x1 < i) return std::nullopt;
      return s.offset + static_cast<std::uint32_t>(it - 1 - s.spans.begin());
    }
    return std::nullopt;
  }

  bool writeSlab(const Slab& s, Tally& t) {
    std::int64_t localRow = 0;
    for (std::int64_t k = s.kLo; k < s.kHi; ++k) {
      if (stopRequested()) return false;
      for (std::int64_t j = mBox.lo[1]; j < mBox.hi[1]; ++j, ++localRow) {
        const std::uint32_t end = s.rowEnd[std::size_t(localRow)];
        bool rowTouched = false;
        std::uint8_t* mrow = mMask.data() + mDims[0] * (j + mDims[1] * k);
        for (std::uint32_t i = rowStart(s, localRow); i < end; ++i) {
          if (!mSelected[mParent[s.offset + i]]) continue;
          const Span& sp = s.spans[i];
          std::memset(mrow + sp.x0, 1, std::size_t(sp.x1 - sp.x0 + 1));
          t.voxels += sp.x1 - sp.x0 + 1;
          t.lo[0] = std::min<std::int64_t>(t.lo[0], sp.x0);
          t.hi[0] = std::max<std::int64_t>(t.hi[0], sp.x1 + 1);
          rowTouched = true;
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

  const T* mVoxels;
  core::Dims mDims;
  VoxelBox mBox;
  TypedRange<T> mRange;
  std::vector<PreviousRow> mPrevious;
  std::int64_t mMaxVoxels;
  const core::TaskControl& mControl;
  VoxelMask& mMask;
  int mWorkers = 1;
  std::int64_t mRowsPerSlice = 0;
  std::int64_t mSpanLimit = 0;
  std::vector<Slab> mSlabs;
  std::vector<std::uint32_t> mParent;   // all slabs, flattened to roots before selection
  std::vector<std::uint8_t> mSelected;  // per root: its component holds a seed
  std::atomic<std::int64_t> mSpanCount{0};
  std::atomic<bool> mCancelled{false}, mDeclined{false};
};

}  // namespace

template <typename T>
ComponentGrowOutcome growByComponents(const T* voxels, const core::Dims& dims, const VoxelBox& box,
                                      TypedRange<T> range, int connectivity,
                                      const std::vector<std::array<std::int64_t, 3>>& seeds, int threads,
                                      std::int64_t maxVoxels, const core::TaskControl& control, VoxelMask& mask) {
  ComponentGrow<T> grow(voxels, dims, box, range, connectivity, threads, maxVoxels, control, mask);
  return grow.run(seeds);
}

#define DELINEO_COMPONENT_GROW(T)                                                                                  \
  template ComponentGrowOutcome growByComponents<T>(const T*, const core::Dims&, const VoxelBox&, TypedRange<T>, int, \
                                                    const std::vector<std::array<std::int64_t, 3>>&, int,           \
                                                    std::int64_t, const core::TaskControl&, VoxelMask&); \
  template void inRangeBits<T>(const T*, std::int64_t, TypedRange<T>, std::uint64_t*);
DELINEO_COMPONENT_GROW(std::uint8_t)
DELINEO_COMPONENT_GROW(std::int16_t)
DELINEO_COMPONENT_GROW(std::uint16_t)
DELINEO_COMPONENT_GROW(float)
#undef DELINEO_COMPONENT_GROW

}  // namespace delineo::tools::detail
