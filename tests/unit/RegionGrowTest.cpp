// Region growing: voxel-for-voxel equality with ITK's ConnectedThresholdImageFilter on the real
// head CT and on phantoms, 18-connectivity against a brute-force flood, and the contract around
// it (ROI, leak guard, bad input, cancel, preview, undo).
#include <gtest/gtest.h>

#include <deque>
#include <random>
#include <string>

#include <itkConfidenceConnectedImageFilter.h>
#include <itkConnectedThresholdImageFilter.h>

#include "tests/unit/SemiAutoSupport.h"
#include "tools/ComponentGrow.h"
#include "tools/History.h"
#include "tools/RegionGrow.h"

namespace delineo::tools {
namespace {

using test::headCt;

template <typename T>
itk::Image<std::uint8_t, 3>::Pointer itkConnectedThreshold(const core::Volume& volume, const std::vector<Ijk>& seeds,
                                                          double lower, double upper, int connectivity) {
  using Filter = itk::ConnectedThresholdImageFilter<itk::Image<T, 3>, itk::Image<std::uint8_t, 3>>;
  auto filter = Filter::New();
  filter->SetInput(test::toItk<T>(volume));
  filter->SetLower(static_cast<T>(lower));
  filter->SetUpper(static_cast<T>(upper));
  filter->SetReplaceValue(1);
  filter->SetConnectivity(connectivity == 26 ? Filter::FullConnectivity : Filter::FaceConnectivity);
  for (const auto& s : seeds) filter->AddSeed({{s[0], s[1], s[2]}});
  filter->Update();
  return filter->GetOutput();
}

// Walks from `start` along `step` to the first voxel whose value lies in [lower, upper].
Ijk firstInRange(const core::Volume& v, Ijk start, Ijk step, double lower, double upper) {
  for (Ijk p = start; v.geometry().contains(p[0], p[1], p[2]); p = {p[0] + step[0], p[1] + step[1], p[2] + step[2]}) {
    double x = v.valueAt(p[0], p[1], p[2]);
    if (x >= lower && x <= upper) return p;
  }
  ADD_FAILURE() << "no voxel in range from the start";
  return start;
}

struct HeadCase {
  const char* name;
  double lower, upper;
  std::vector<Ijk> seeds;
};

std::vector<HeadCase> headCases() {
  const core::Volume& ct = headCt();
  return {
      {"bone", 300, 3000,
       {firstInRange(ct, {128, 128, 54}, {1, 0, 0}, 300, 3000), firstInRange(ct, {128, 128, 54}, {-1, 0, 0}, 300, 3000),
        firstInRange(ct, {128, 128, 20}, {0, 1, 0}, 300, 3000)}},
      {"soft tissue", -100, 200, {firstInRange(ct, {128, 128, 54}, {0, 1, 0}, -100, 200),
                                  firstInRange(ct, {128, 100, 80}, {0, 1, 0}, -100, 200)}},
      {"air", -1024, -500, {{0, 0, 0}, {255, 255, 107}}},
  };
}

// Besides the compact structures, fragmented fat and muscle of a few percent of the volume:
// there the flood and the labelling cost about the same, so the automatic choice runs both.
std::vector<HeadCase> fragmentedHeadCases() {
  const core::Volume& ct = headCt();
  return {{"muscle", 28, 75, {firstInRange(ct, {138, 49, 0}, {1, 0, 0}, 28, 75)}},
          {"fat", -100, -20, {firstInRange(ct, {201, 117, 0}, {1, 0, 0}, -100, -20)}}};
}

TEST(RegionGrow, EqualsItkConnectedThresholdOnTheHeadCtFor6And26ConnectivityEveryWay) {
  const core::Volume& ct = headCt();
  ASSERT_EQ(ct.scalarType(), core::ScalarType::Int16);
  std::vector<HeadCase> cases = headCases();
  for (const HeadCase& c : fragmentedHeadCases()) cases.push_back(c);
  using detail::GrowStrategy;
  const std::vector<std::pair<GrowStrategy, int>> ways = {{GrowStrategy::Automatic, 2}, {GrowStrategy::Automatic, 1},
                                                          {GrowStrategy::Flood, 0},     {GrowStrategy::Labelling, 2},
                                                          {GrowStrategy::Labelling, 1}, {GrowStrategy::ParallelFlood, 2}};
  for (const HeadCase& c : cases)
    for (int connectivity : {6, 26}) {
      auto itk = itkConnectedThreshold<std::int16_t>(ct, c.seeds, c.lower, c.upper, connectivity);
      for (auto [strategy, threads] : ways) {
        RegionGrowParams p;
        p.seeds = c.seeds;
        p.lower = c.lower;
        p.upper = c.upper;
        p.connectivity = connectivity;
        p.threads = threads;
        auto ours = detail::growConnectedThreshold(ct, p, strategy);
        ASSERT_TRUE(ours) << ours.message();
        const std::string what = std::string(c.name) + " [" + std::to_string(c.lower) + ", " +
                                 std::to_string(c.upper) + "] " + std::to_string(connectivity) + "-connected, way " +
                                 std::to_string(int(strategy)) + ", " + std::to_string(threads) + " thread(s)";
        EXPECT_GT(ours->voxels, 1000) << what;
        const VoxelMask mask = ours->toMask();
        EXPECT_EQ(test::differingVoxels(mask, itk.GetPointer()), 0) << what;
        EXPECT_EQ(ours->voxels, mask.count()) << what << ": runs overlap";
      }
    }
}

// Cancelling while the labelling runs beside the flood (progress is reported once the flood has
// stopped to help it) stops with an error.
TEST(RegionGrow, CancelWhileFloodAndLabellingRaceStopsWithAnError) {
  const core::Volume& ct = headCt();
  const HeadCase c = fragmentedHeadCases()[0];
  std::atomic<bool> cancel{false};
  core::TaskControl control;
  control.cancel = &cancel;
  control.onProgress = [&](double fraction, std::string_view) {
    if (fraction < 1.0) cancel = true;
  };
  RegionGrowParams p;
  p.seeds = c.seeds;
  p.lower = c.lower;
  p.upper = c.upper;
  p.threads = 2;
  auto grown = growConnectedThreshold(ct, p, control);
  if (!grown) {
    EXPECT_TRUE(cancel.load());
    EXPECT_NE(grown.message().find("cancelled"), std::string::npos);
  } else {
    EXPECT_GT(grown->voxels, 1000);  // the flood finished before the labelling reported progress
  }
}

TEST(RegionGrow, EighteenConnectivityEqualsABruteForceFloodOnTheHeadCt) {
  const core::Volume& ct = headCt();
  const HeadCase c = headCases()[0];
  RegionGrowParams p;
  p.seeds = c.seeds;
  p.lower = c.lower;
  p.upper = c.upper;
  p.connectivity = 18;
  auto ours = growConnectedThreshold(ct, p);
  ASSERT_TRUE(ours) << ours.message();
  auto reference = test::bruteForceGrow(ct.voxels<std::int16_t>().data(), ct.geometry().dims, c.seeds, c.lower,
                                        c.upper, 18);
  EXPECT_EQ(test::differingVoxels(ours->toMask(), test::toItk(reference).GetPointer()), 0);
  EXPECT_EQ(ours->voxels, reference.count());
}

// Random noise thresholded near the percolation point: 6, 18 and 26-connected regions differ
// a lot, so any connectivity mistake shows.
template <typename T>
core::Volume noisePhantom(core::ScalarType type, std::uint32_t seed) {
  core::Geometry g;
  g.dims = {37, 41, 29};
  core::Volume v(g, type);
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> value(0, 249);
  for (auto& x : v.voxels<T>()) x = static_cast<T>(value(rng));
  return v;
}

template <typename T>
void expectPhantomMatches(core::ScalarType type) {
  for (std::uint32_t seed : {1u, 2u})
    for (int connectivity : {6, 18, 26})
      for (int threads : {1, 2}) {
        core::Volume v = noisePhantom<T>(type, seed);
        RegionGrowParams p;
        p.seeds = {{18, 20, 14}, {3, 5, 2}};
        p.lower = 0;
        p.upper = connectivity == 6 ? 175 : (connectivity == 18 ? 112 : 87);
        p.connectivity = connectivity;
        p.threads = threads;
        // Seeds must be inside the range for a meaningful region.
        for (auto s : p.seeds) v.voxels<T>()[std::size_t(v.geometry().linearIndex(s[0], s[1], s[2]))] = T(1);
        auto ours = growConnectedThreshold(v, p);
        ASSERT_TRUE(ours) << ours.message();
        auto ref = test::bruteForceGrow(v.voxels<T>().data(), v.geometry().dims, p.seeds, p.lower, p.upper,
                                        connectivity);
        EXPECT_GT(ref.count(), 100);
        EXPECT_EQ(test::differingVoxels(ours->toMask(), test::toItk(ref).GetPointer()), 0)
            << connectivity << "-connected, " << threads << " thread(s)";
        if (connectivity != 18) {
          auto itk = itkConnectedThreshold<T>(v, p.seeds, p.lower, p.upper, connectivity);
          EXPECT_EQ(test::differingVoxels(ours->toMask(), itk.GetPointer()), 0) << connectivity << "-connected vs ITK";
        }
      }
}

TEST(RegionGrow, EqualsItkAndBruteForceOnNoisePhantomsOfEveryScalarType) {
  expectPhantomMatches<std::uint8_t>(core::ScalarType::UInt8);
  expectPhantomMatches<std::uint16_t>(core::ScalarType::UInt16);
  expectPhantomMatches<float>(core::ScalarType::Float32);
}

// Rows wider than 64 voxels take the 16-bit types' vector path; leak guard and ROI then apply to
// regions too large for a plain flood.
TEST(RegionGrow, EqualsBruteForceOnWideNoisePhantomsWithLeakGuardAndRoi) {
  for (core::ScalarType type : {core::ScalarType::Int16, core::ScalarType::UInt16}) {
    core::Geometry g;
    g.dims = {150, 23, 19};
    core::Volume v(g, type);
    std::mt19937 rng(7);
    std::uniform_int_distribution<int> value(0, 249);
    auto fill = [&](auto zero) {
      using T = decltype(zero);
      for (auto& x : v.voxels<T>()) x = static_cast<T>(value(rng) - (std::is_signed_v<T> ? 100 : 0));
      for (std::int64_t i = 0; i < g.dims[0]; ++i) v.voxels<T>()[std::size_t(g.linearIndex(i, 11, 9))] = T(std::is_signed_v<T> ? -95 : 5);
    };
    if (type == core::ScalarType::Int16) fill(std::int16_t{});
    else fill(std::uint16_t{});
    for (int connectivity : {6, 26}) {
      RegionGrowParams p;
      p.seeds = {{75, 11, 9}};
      p.lower = 0;
      p.upper = connectivity == 6 ? 170 : 40;
      if (type == core::ScalarType::Int16) p.lower -= 100, p.upper -= 100;
      p.connectivity = connectivity;
      p.threads = 2;
      auto ours = growConnectedThreshold(v, p);
      ASSERT_TRUE(ours) << ours.message();
      auto ref = core::dispatchScalar(type, [&](auto zero) {
        using T = decltype(zero);
        return test::bruteForceGrow(v.voxels<T>().data(), g.dims, p.seeds, p.lower, p.upper, connectivity);
      });
      EXPECT_GT(ref.count(), 1000);
      EXPECT_EQ(test::differingVoxels(ours->toMask(), test::toItk(ref).GetPointer()), 0) << connectivity << "-connected";
      EXPECT_EQ(ours->voxels, ref.count());

      p.maxVoxels = ref.count() - 1;
      auto guarded = growConnectedThreshold(v, p);
      ASSERT_TRUE(guarded);
      EXPECT_TRUE(guarded->stoppedAtLimit);
      p.maxVoxels = ref.count();
      guarded = growConnectedThreshold(v, p);
      ASSERT_TRUE(guarded);
      EXPECT_FALSE(guarded->stoppedAtLimit);
      EXPECT_EQ(guarded->voxels, ref.count());

      p.maxVoxels = 0;
      p.roi = VoxelBox{{10, 2, 3}, {140, 20, 17}};
      auto inside = growConnectedThreshold(v, p);
      ASSERT_TRUE(inside);
      std::int64_t outside = 0;
      const VoxelMask insideMask = inside->toMask();
      for (std::int64_t k = 0; k < g.dims[2]; ++k)
        for (std::int64_t j = 0; j < g.dims[1]; ++j)
          for (std::int64_t i = 0; i < g.dims[0]; ++i) outside += insideMask.at(i, j, k) && !p.roi->contains(i, j, k);
      EXPECT_EQ(outside, 0);
      EXPECT_GT(inside->voxels, 0);
      EXPECT_LT(inside->voxels, ref.count());
    }
  }
}

// Given a block of in-range noise (30% holes) in a background with a few in-range voxels,
// whose region spans 0.5% to 6% of the ROI, around where the flood hands over to labelling the
// components (1/64 of the ROI): when grown, the region equals the brute-force flood's and ITK's.
TEST(RegionGrow, EqualsItkForRegionsAroundTheFloodToLabellingCrossover) {
  core::Geometry g;
  g.dims = {96, 96, 96};
  const std::int64_t total = g.voxelCount();
  std::mt19937 rng(11);
  std::uniform_int_distribution<int> percent(0, 99);
  for (double share : {0.005, 0.014, 0.0156, 0.016, 0.018, 0.03, 0.06}) {
    // A block 64 x rows x 16 with 70% of its voxels in range holds about `share` of the volume.
    const auto rows = std::max<std::int64_t>(1, std::int64_t(share * double(total) / (64.0 * 16.0 * 0.7) + 0.5));
    core::Volume v(g, core::ScalarType::Int16);
    auto voxels = v.voxels<std::int16_t>();
    for (std::int64_t k = 0; k < g.dims[2]; ++k)
      for (std::int64_t j = 0; j < g.dims[1]; ++j)
        for (std::int64_t i = 0; i < g.dims[0]; ++i) {
          const bool inBlock = i >= 16 && i < 80 && j >= 10 && j < 10 + rows && k >= 40 && k < 56;
          const bool inRange = percent(rng) < (inBlock ? 70 : 5);  // 5%: below percolation, also 26-connected
          voxels[std::size_t(g.linearIndex(i, j, k))] = std::int16_t(inRange ? 40 + percent(rng) % 40 : 200);
        }
    for (std::int64_t i = 16; i < 80; ++i) voxels[std::size_t(g.linearIndex(i, 10, 48))] = 50;  // the seed's row
    for (int connectivity : {6, 26}) {
      RegionGrowParams p;
      p.seeds = {{48, 10, 48}};
      p.lower = 40;
      p.upper = 79;
      p.connectivity = connectivity;
      auto ours = growConnectedThreshold(v, p);
      ASSERT_TRUE(ours) << ours.message();
      auto ref = test::bruteForceGrow(voxels.data(), g.dims, p.seeds, p.lower, p.upper, connectivity);
      EXPECT_NEAR(double(ours->voxels) / double(total), share, share * 0.15) << connectivity << "-connected";
      EXPECT_EQ(ours->voxels, ref.count()) << share << ", " << connectivity << "-connected";
      auto itk = itkConnectedThreshold<std::int16_t>(v, p.seeds, p.lower, p.upper, connectivity);
      EXPECT_EQ(test::differingVoxels(ours->toMask(), itk.GetPointer()), 0) << share << ", " << connectivity << "-connected";
    }
  }
}

// Breadth-first flood inside `box` only: the reference for regions limited to an ROI.
template <typename T>
VoxelMask bruteForceInBox(const T* voxels, const core::Dims& d, const VoxelBox& box, const std::vector<Ijk>& seeds,
                          double lower, double upper, int connectivity) {
  VoxelMask mask(d);
  std::deque<Ijk> queue;
  auto take = [&](std::int64_t i, std::int64_t j, std::int64_t k) {
    if (!box.contains(i, j, k)) return;
    const std::int64_t idx = i + d[0] * (j + d[1] * k);
    const double v = double(voxels[idx]);
    if (mask[idx] || v < lower || v > upper) return;
    mask[idx] = 1;
    queue.push_back({i, j, k});
  };
  for (const Ijk& s : seeds) take(s[0], s[1], s[2]);
  while (!queue.empty()) {
    const Ijk p = queue.front();
    queue.pop_front();
    for (int dk = -1; dk <= 1; ++dk)
      for (int dj = -1; dj <= 1; ++dj)
        for (int di = -1; di <= 1; ++di) {
          const int nonZero = (di != 0) + (dj != 0) + (dk != 0);
          if (nonZero == 0 || (connectivity == 6 && nonZero > 1) || (connectivity == 18 && nonZero > 2)) continue;
          take(p[0] + di, p[1] + dj, p[2] + dk);
        }
  }
  return mask;
}

// The labelling path alone (it is taken only for some regions of the real data): rows of 1 to 3
// words whose ROI starts off a word boundary, one slab or many, every connectivity and voxel
// type; region, count, bounds and the leak guard against the breadth-first reference.
template <typename T>
void expectLabellingMatches(core::ScalarType type) {
  core::Geometry g;
  g.dims = {150, 19, 23};
  core::Volume v(g, type);
  std::mt19937 rng(5);
  std::uniform_int_distribution<int> value(0, 99);
  for (auto& x : v.voxels<T>()) x = static_cast<T>(value(rng));
  const std::vector<Ijk> seeds = {{70, 9, 11}, {5, 3, 2}, {140, 17, 20}};
  for (const Ijk& s : seeds) v.voxels<T>()[std::size_t(g.linearIndex(s[0], s[1], s[2]))] = T(1);
  for (const VoxelBox& box : {VoxelBox::whole(g.dims), VoxelBox{{3, 1, 2}, {147, 19, 22}}, VoxelBox{{60, 2, 0}, {100, 18, 23}}})
    for (int connectivity : {6, 18, 26})
      for (int threads : {1, 2, 3}) {
        const double upper = connectivity == 6 ? 62 : (connectivity == 18 ? 40 : 30);  // near percolation
        const std::string what = std::to_string(connectivity) + "-connected, " + std::to_string(threads) +
                                 " thread(s), ROI from x " + std::to_string(box.lo[0]);
        std::vector<Ijk> inBox;
        for (const Ijk& s : seeds)
          if (box.contains(s[0], s[1], s[2])) inBox.push_back(s);
        const VoxelMask ref = bruteForceInBox(v.voxels<T>().data(), g.dims, box, inBox, 0, upper, connectivity);
        const std::int64_t count = ref.count();
        EXPECT_GT(count, 200) << what;
        auto range = detail::TypedRange<T>::make(0, upper);
        auto out = detail::growByComponents(detail::GrowInput<T>{v.voxels<T>().data(), g.dims, box, range, connectivity, 0},
                                            inBox, threads, {});
        ASSERT_FALSE(out.declined || out.cancelled || out.stoppedAtLimit) << what;
        EXPECT_EQ(out.voxels, count) << what;
        const VoxelMask mask = maskOfRuns(g.dims, out.runs);
        EXPECT_EQ(mask.count(), count) << what << ": runs overlap";
        EXPECT_EQ(test::differingVoxels(mask, test::toItk(ref).GetPointer()), 0) << what;
        VoxelBox bounds{{g.dims[0], g.dims[1], g.dims[2]}, {0, 0, 0}};
        for (std::int64_t k = 0; k < g.dims[2]; ++k)
          for (std::int64_t j = 0; j < g.dims[1]; ++j)
            for (std::int64_t i = 0; i < g.dims[0]; ++i)
              if (ref.at(i, j, k)) {
                bounds.lo = {std::min(bounds.lo[0], i), std::min(bounds.lo[1], j), std::min(bounds.lo[2], k)};
                bounds.hi = {std::max(bounds.hi[0], i + 1), std::max(bounds.hi[1], j + 1), std::max(bounds.hi[2], k + 1)};
              }
        EXPECT_EQ(out.bounds.lo, bounds.lo) << what;
        EXPECT_EQ(out.bounds.hi, bounds.hi) << what;

        out = detail::growByComponents(
            detail::GrowInput<T>{v.voxels<T>().data(), g.dims, box, range, connectivity, count - 1}, inBox, threads, {});
        EXPECT_TRUE(out.stoppedAtLimit) << what;
        EXPECT_TRUE(out.runs.empty()) << what;
      }
}

TEST(RegionGrow, ComponentLabellingEqualsBreadthFirstForEveryConnectivitySlabCountRowWidthAndType) {
  expectLabellingMatches<std::int16_t>(core::ScalarType::Int16);
  expectLabellingMatches<std::uint16_t>(core::ScalarType::UInt16);
  expectLabellingMatches<std::uint8_t>(core::ScalarType::UInt8);
  expectLabellingMatches<float>(core::ScalarType::Float32);
}

TEST(RegionGrow, StaysInsideTheRegionOfInterest) {
  const core::Volume& ct = headCt();
  const HeadCase c = headCases()[0];
  RegionGrowParams p;
  p.seeds = {c.seeds[0]};
  p.lower = c.lower;
  p.upper = c.upper;
  p.roi = VoxelBox{{c.seeds[0][0] - 20, c.seeds[0][1] - 30, c.seeds[0][2] - 10},
                   {c.seeds[0][0] + 20, c.seeds[0][1] + 30, c.seeds[0][2] + 10}};
  auto ours = growConnectedThreshold(ct, p);
  ASSERT_TRUE(ours) << ours.message();
  // Reference: brute force on the cropped volume.
  const VoxelBox b = *p.roi;
  core::Geometry cg;
  cg.dims = {b.hi[0] - b.lo[0], b.hi[1] - b.lo[1], b.hi[2] - b.lo[2]};
  std::vector<std::int16_t> crop;
  for (std::int64_t k = b.lo[2]; k < b.hi[2]; ++k)
    for (std::int64_t j = b.lo[1]; j < b.hi[1]; ++j)
      for (std::int64_t i = b.lo[0]; i < b.hi[0]; ++i) crop.push_back(std::int16_t(ct.valueAt(i, j, k)));
  auto ref = test::bruteForceGrow(crop.data(), cg.dims, {{20, 30, 10}}, p.lower, p.upper, 6);
  std::int64_t outside = 0, differ = 0;
  const VoxelMask oursMask = ours->toMask();
  for (std::int64_t k = 0; k < ct.geometry().dims[2]; ++k)
    for (std::int64_t j = 0; j < ct.geometry().dims[1]; ++j)
      for (std::int64_t i = 0; i < ct.geometry().dims[0]; ++i) {
        bool in = oursMask.at(i, j, k);
        if (!b.contains(i, j, k)) {
          outside += in;
          continue;
        }
        differ += in != ref.at(i - b.lo[0], j - b.lo[1], k - b.lo[2]);
      }
  EXPECT_EQ(outside, 0);
  EXPECT_EQ(differ, 0);
  EXPECT_EQ(ours->voxels, ref.count());
}

core::Labelmap labelmapFor(const core::Volume& v) {
  core::Labelmap m = core::Labelmap::forVolume(v);
  (void)m.labels().add("Bone");
  return m;
}

TEST(RegionGrow, LeakGuardStopsReportsAndPaintsNothing) {
  const core::Volume& ct = headCt();
  core::Labelmap m = labelmapFor(ct);
  RegionGrowParams p;
  p.seeds = {{0, 0, 0}};
  p.lower = -1024;
  p.upper = -500;
  p.maxVoxels = 10000;
  LabelEdit edit(m, &ct, {});
  auto grown = regionGrow(ct, edit, p, 1);
  ASSERT_FALSE(grown);
  EXPECT_NE(grown.message().find("leak guard"), std::string::npos) << grown.message();
  EXPECT_EQ(edit.changedVoxels(), 0);
  EXPECT_TRUE(edit.finish().empty());
}

TEST(RegionGrow, BadInputIsRejectedWithAClearMessageAndTouchesNothing) {
  const core::Volume& ct = headCt();
  core::Labelmap m = labelmapFor(ct);
  auto attempt = [&](RegionGrowParams p) {
    LabelEdit edit(m, &ct, {});
    auto r = regionGrow(ct, edit, p, 1);
    EXPECT_EQ(edit.changedVoxels(), 0);
    return r ? std::string("accepted") : r.message();
  };
  RegionGrowParams good;
  good.seeds = {{128, 128, 54}};
  good.lower = 300;
  good.upper = 3000;
  RegionGrowParams p = good;
  p.seeds = {{128, 128, 108}};
  EXPECT_NE(attempt(p).find("outside the volume"), std::string::npos);
  p = good;
  p.seeds = {{-1, 3, 3}};
  EXPECT_NE(attempt(p).find("outside the volume"), std::string::npos);
  p = good;
  p.seeds.clear();
  EXPECT_NE(attempt(p).find("at least one seed"), std::string::npos);
  p = good;
  p.lower = 500;
  p.upper = 400;
  EXPECT_NE(attempt(p).find("empty intensity range"), std::string::npos);
  p = good;
  p.connectivity = 8;
  EXPECT_NE(attempt(p).find("6, 18 or 26"), std::string::npos);
  p = good;
  p.roi = VoxelBox{{0, 0, 0}, {10, 10, 10}};
  EXPECT_NE(attempt(p).find("region of interest"), std::string::npos);
  for (std::uint8_t v : m.voxels()) ASSERT_EQ(v, 0);
}

TEST(RegionGrow, SeedsOutsideTheRangeGrowNothingAsInItk) {
  const core::Volume& ct = headCt();
  RegionGrowParams p;
  p.seeds = {{0, 0, 0}};  // air
  p.lower = 300;
  p.upper = 3000;
  auto ours = growConnectedThreshold(ct, p);
  ASSERT_TRUE(ours);
  EXPECT_EQ(ours->voxels, 0);
  EXPECT_EQ(ours->seedsInRange, 0);
  auto itk = itkConnectedThreshold<std::int16_t>(ct, p.seeds, p.lower, p.upper, 6);
  EXPECT_EQ(test::differingVoxels(ours->toMask(), itk.GetPointer()), 0);
}

TEST(RegionGrow, CancelStopsWithAnErrorAndPaintsNothing) {
  const core::Volume& ct = headCt();
  core::Labelmap m = labelmapFor(ct);
  std::atomic<bool> cancel{true};
  core::TaskControl control;
  control.cancel = &cancel;
  RegionGrowParams p;
  p.seeds = {{0, 0, 0}};
  p.lower = -1024;
  p.upper = -500;
  LabelEdit edit(m, &ct, {});
  auto grown = regionGrow(ct, edit, p, 1, {}, control);
  ASSERT_FALSE(grown);
  EXPECT_NE(grown.message().find("cancelled"), std::string::npos);
  EXPECT_EQ(edit.changedVoxels(), 0);
}

TEST(RegionGrow, PreviewIsDiscardedByRevertAndAcceptedAsOneUndoableStep) {
  const core::Volume& ct = headCt();
  core::Labelmap m = labelmapFor(ct);
  const HeadCase c = headCases()[0];
  RegionGrowParams p;
  p.seeds = c.seeds;
  p.lower = c.lower;
  p.upper = c.upper;
  {
    LabelEdit preview(m, &ct, {});
    auto grown = regionGrow(ct, preview, p, 1);
    ASSERT_TRUE(grown) << grown.message();
    EXPECT_EQ(m.histogram()[1], grown->region.voxels);  // the preview is visible in the labelmap
    preview.revert();
    EXPECT_EQ(m.histogram()[1], 0);
  }
  History history;
  LabelEdit edit(m, &ct, {});
  auto grown = regionGrow(ct, edit, p, 1);
  ASSERT_TRUE(grown);
  Step step;
  step.name = "Grow";
  step.voxels = edit.finish();
  EXPECT_EQ(step.voxels.changedVoxels, grown->region.voxels);
  ASSERT_TRUE(history.push(std::move(step)));
  history.undo(m);
  EXPECT_EQ(m.histogram()[0], ct.geometry().voxelCount());
  history.redo(m);
  EXPECT_EQ(m.histogram()[1], grown->region.voxels);
}

TEST(RegionGrow, PaintRuleAndLocksApplyToTheGrownRegion) {
  const core::Volume& ct = headCt();
  core::Labelmap m = labelmapFor(ct);
  (void)m.labels().add("Locked");
  m.labels().find(2)->locked = true;
  const HeadCase c = headCases()[0];
  const Ijk s = c.seeds[0];
  m.voxels()[std::size_t(ct.geometry().linearIndex(s[0], s[1] + 1, s[2]))] = 2;
  RegionGrowParams p;
  p.seeds = c.seeds;
  p.lower = c.lower;
  p.upper = c.upper;
  LabelEdit edit(m, &ct, {});
  auto grown = regionGrow(ct, edit, p, 1);
  ASSERT_TRUE(grown);
  EXPECT_EQ(m.voxels()[std::size_t(ct.geometry().linearIndex(s[0], s[1] + 1, s[2]))], 2);
  EXPECT_LE(grown->changed, grown->region.voxels - (ct.valueAt(s[0], s[1] + 1, s[2]) >= 300 ? 1 : 0));
}

TEST(RegionGrow, ConfidenceConnectedEqualsItkOnTheHeadCt) {
  const core::Volume& ct = headCt();
  const HeadCase c = headCases()[1];  // soft tissue seeds
  RegionGrowParams p;
  p.seeds = c.seeds;
  ConfidenceParams conf;
  conf.multiplier = 2.0;
  conf.iterations = 2;
  conf.initialRadius = 2;
  auto ours = growConfidenceConnected(ct, p, conf);
  ASSERT_TRUE(ours) << ours.message();
  using Filter = itk::ConfidenceConnectedImageFilter<itk::Image<std::int16_t, 3>, itk::Image<std::uint8_t, 3>>;
  auto filter = Filter::New();
  filter->SetInput(test::toItk<std::int16_t>(ct));
  filter->SetMultiplier(conf.multiplier);
  filter->SetNumberOfIterations(static_cast<unsigned>(conf.iterations));
  filter->SetInitialNeighborhoodRadius(static_cast<unsigned>(conf.initialRadius));
  filter->SetReplaceValue(1);
  for (const auto& s : p.seeds) filter->AddSeed({{s[0], s[1], s[2]}});
  filter->Update();
  EXPECT_GT(ours->voxels, 1000);
  EXPECT_EQ(test::differingVoxels(ours->toMask(), filter->GetOutput()), 0);
}

TEST(RegionGrow, ReportsProgressToTheEnd) {
  const core::Volume& ct = headCt();
  double last = -1;
  int calls = 0;
  core::TaskControl control;
  control.onProgress = [&](double f, std::string_view) {
    EXPECT_GE(f, last);
    last = f;
    ++calls;
  };
  RegionGrowParams p;
  p.seeds = {{0, 0, 0}};
  p.lower = -1024;
  p.upper = -500;
  auto ours = growConnectedThreshold(ct, p, control);
  ASSERT_TRUE(ours);
  EXPECT_GE(calls, 1);
  EXPECT_EQ(last, 1.0);
}

}  // namespace
}  // namespace delineo::tools
