// Grow from seeds (competitive, multi-label): regions separated by an intensity edge take the
// label of their own seeds; every voxel takes the label of the least-cost path, ties to the
// smaller label, exactly as a plain Dijkstra in this file computes it, with one thread or two,
// in a full run or in updates; only background voxels are written; bad input; undo; cancel.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <functional>
#include <queue>
#include <random>
#include <tuple>

#include "tests/unit/DeltaSupport.h"
#include "tests/unit/SemiAutoSupport.h"
#include "tools/GrowFromSeeds.h"
#include "tools/History.h"

namespace delineo::tools {
namespace {

// Three slabs along i with intensities 0 / 300 / 600 plus noise of ±20.
core::Volume slabs(core::Dims dims = {60, 30, 20}) {
  core::Geometry g;
  g.dims = dims;
  core::Volume v(g, core::ScalarType::Int16);
  std::mt19937 rng(3);
  std::uniform_int_distribution<int> noise(-20, 20);
  for (std::int64_t k = 0; k < dims[2]; ++k)
    for (std::int64_t j = 0; j < dims[1]; ++j)
      for (std::int64_t i = 0; i < dims[0]; ++i)
        v.voxels<std::int16_t>()[std::size_t(g.linearIndex(i, j, k))] =
            std::int16_t(300 * (i * 3 / dims[0]) + noise(rng));
  return v;
}

core::Labelmap seedsFor(const core::Volume& v) {
  core::Labelmap m = core::Labelmap::forVolume(v);
  for (const char* name : {"Left", "Middle", "Right"}) (void)m.labels().add(name);
  return m;
}

void stroke(core::Labelmap& m, std::int64_t i, std::int64_t j, std::int64_t k, std::uint8_t label) {
  for (std::int64_t d = -2; d <= 2; ++d) m.voxels()[std::size_t(m.geometry().linearIndex(i, j + d, k))] = label;
}

// The specification, spelled out: each voxel takes the label of the seed that reaches it at the
// least cost (ties: the smaller label), a step between face neighbours costing
// 1 + min(255, |level difference|), levels being floor((value - min) / step) over the volume.
// A textbook Dijkstra with a heap of (cost, label, voxel).
std::vector<std::uint8_t> referenceLabels(const core::Volume& v, const core::Labelmap& seeds, double intensityStep) {
  const core::Dims d = v.geometry().dims;
  const std::int64_t n = v.geometry().voxelCount();
  auto vox = v.voxels<std::int16_t>();
  const double lo = *std::min_element(vox.begin(), vox.end()), hi = *std::max_element(vox.begin(), vox.end());
  const double step = intensityStep > 0 ? intensityStep : std::max(1e-12, (hi - lo) / 256.0);
  std::vector<int> level(static_cast<std::size_t>(n));
  for (std::int64_t p = 0; p < n; ++p)
    level[std::size_t(p)] = int(std::clamp(std::floor((vox[std::size_t(p)] - lo) / step), 0.0, 65535.0));
  using Entry = std::tuple<std::int64_t, int, std::int64_t>;  // cost, label, voxel
  std::vector<std::pair<std::int64_t, int>> best(static_cast<std::size_t>(n), {std::numeric_limits<std::int64_t>::max(), 0});
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> heap;
  for (std::int64_t p = 0; p < n; ++p)
    if (int s = seeds.voxels()[std::size_t(p)]) {
      best[std::size_t(p)] = {0, s};
      heap.emplace(0, s, p);
    }
  while (!heap.empty()) {
    auto [cost, label, p] = heap.top();
    heap.pop();
    if (best[std::size_t(p)] != std::pair<std::int64_t, int>{cost, label}) continue;
    const std::int64_t i = p % d[0], j = p / d[0] % d[1], k = p / (d[0] * d[1]);
    const std::int64_t nb[6][3] = {{i - 1, j, k}, {i + 1, j, k}, {i, j - 1, k}, {i, j + 1, k}, {i, j, k - 1}, {i, j, k + 1}};
    for (const auto& q : nb) {
      if (!v.geometry().contains(q[0], q[1], q[2])) continue;
      const std::int64_t m = v.geometry().linearIndex(q[0], q[1], q[2]);
      const std::pair<std::int64_t, int> next{cost + 1 + std::min(255, std::abs(level[std::size_t(p)] - level[std::size_t(m)])), label};
      if (next < best[std::size_t(m)]) {
        best[std::size_t(m)] = next;
        heap.emplace(next.first, next.second, m);
      }
    }
  }
  std::vector<std::uint8_t> labels(static_cast<std::size_t>(n));
  for (std::int64_t p = 0; p < n; ++p) labels[std::size_t(p)] = std::uint8_t(best[std::size_t(p)].second);
  return labels;
}

std::int64_t differences(const GrowFromSeeds& grow, const std::vector<std::uint8_t>& expected, const core::Geometry& g) {
  std::int64_t differ = 0;
  for (std::int64_t k = 0; k < g.dims[2]; ++k)
    for (std::int64_t j = 0; j < g.dims[1]; ++j)
      for (std::int64_t i = 0; i < g.dims[0]; ++i)
        differ += grow.labelAt(i, j, k) != expected[std::size_t(g.linearIndex(i, j, k))];
  return differ;
}

// Random phantoms: noise (costs of all sizes), flat (every step costs 1: ties everywhere) and
// two-valued (steps of 1 or 3: ties and detours).
enum class Phantom { Noise, Flat, TwoValued };

core::Volume phantom(Phantom kind, core::Dims dims, std::uint32_t seed) {
  core::Geometry g;
  g.dims = dims;
  core::Volume v(g, core::ScalarType::Int16);
  std::mt19937 rng(seed);
  for (auto& x : v.voxels<std::int16_t>())
    x = kind == Phantom::Flat ? std::int16_t(7)
        : kind == Phantom::TwoValued ? std::int16_t(100 * int(rng() % 2))
                                     : std::int16_t(int(rng() % 2000) - 1000);
  return v;
}

void addRandomSeeds(core::Labelmap& m, std::mt19937& rng, int count, int labels) {
  const std::int64_t n = m.geometry().voxelCount();
  for (int s = 0; s < count; ++s) m.voxels()[std::size_t(rng() % std::uint32_t(n))] = std::uint8_t(1 + s % labels);
}

TEST(GrowFromSeeds, EqualsAReferenceDijkstraOnRandomPhantomsWithOneOrTwoThreads) {
  int cases = 0;
  for (Phantom kind : {Phantom::Noise, Phantom::Flat, Phantom::TwoValued})
    for (std::uint32_t seed : {1u, 2u, 3u}) {
      core::Volume v = phantom(kind, {19 + int(seed), 13, 11 + int(seed)}, seed);
      core::Labelmap seeds = core::Labelmap::forVolume(v);
      std::mt19937 rng(seed * 7);
      addRandomSeeds(seeds, rng, 4 + int(seed) * 3, 2 + int(seed));
      const double step = kind == Phantom::TwoValued ? 50.0 : 0.0;
      const auto expected = referenceLabels(v, seeds, step);
      for (int threads : {1, 2}) {
        GrowFromSeedsParams params;
        params.intensityStep = step;
        params.threads = threads;
        GrowFromSeeds grow;
        auto stats = grow.run(v, seeds, params);
        ASSERT_TRUE(stats) << stats.message();
        EXPECT_EQ(differences(grow, expected, v.geometry()), 0) << "phantom " << int(kind) << " seed " << seed;
        // Every voxel but the seeds was reached, once.
        EXPECT_EQ(stats->labelled + stats->seeds, v.geometry().voxelCount());
        ++cases;
      }
    }
  EXPECT_EQ(cases, 18);
}

// Large enough for levels to be shared between threads (about a million voxels).
TEST(GrowFromSeeds, TwoThreadsGiveTheSameLabelsAndStatsAsOneOnALargeVolume) {
  for (Phantom kind : {Phantom::Flat, Phantom::TwoValued}) {
    core::Volume v = phantom(kind, {128, 128, 64}, 5);
    core::Labelmap seeds = core::Labelmap::forVolume(v);
    std::mt19937 rng(11);
    addRandomSeeds(seeds, rng, 24, 6);
    const double step = kind == Phantom::TwoValued ? 50.0 : 0.0;
    const auto expected = referenceLabels(v, seeds, step);
    std::int64_t labelled[2] = {0, 0};
    for (int threads : {1, 2}) {
      GrowFromSeedsParams params;
      params.intensityStep = step;
      params.threads = threads;
      GrowFromSeeds grow;
      auto stats = grow.run(v, seeds, params);
      ASSERT_TRUE(stats) << stats.message();
      EXPECT_EQ(differences(grow, expected, v.geometry()), 0) << "threads " << threads;
      labelled[threads - 1] = stats->labelled;
    }
    EXPECT_EQ(labelled[0], labelled[1]);
  }
}

TEST(GrowFromSeeds, SuccessiveUpdatesEqualTheReferenceForAllSeedsSoFar) {
  for (Phantom kind : {Phantom::Noise, Phantom::Flat, Phantom::TwoValued})
    for (int threads : {1, 2}) {
      core::Volume v = phantom(kind, {40, 36, 30}, 9);
      core::Labelmap seeds = core::Labelmap::forVolume(v);
      std::mt19937 rng(21);
      addRandomSeeds(seeds, rng, 6, 3);
      const double step = kind == Phantom::TwoValued ? 50.0 : 0.0;
      GrowFromSeedsParams params;
      params.intensityStep = step;
      params.threads = threads;
      GrowFromSeeds grow;
      ASSERT_TRUE(grow.run(v, seeds, params));
      for (int round = 0; round < 4; ++round) {
        // New seeds on background only (painting over a seed is a relabelling: a full run);
        // small labels among them, so that some voxels change label at an unchanged cost.
        for (int s = 0; s < 5; ++s) {
          const std::size_t p = rng() % std::uint32_t(v.geometry().voxelCount());
          if (!seeds.voxels()[p]) seeds.voxels()[p] = std::uint8_t(1 + (round + s) % 4);
        }
        auto update = grow.update(v, seeds);
        ASSERT_TRUE(update) << update.message();
        EXPECT_TRUE(update->incremental);
        EXPECT_EQ(differences(grow, referenceLabels(v, seeds, step), v.geometry()), 0)
            << "phantom " << int(kind) << " threads " << threads << " round " << round;
      }
    }
}

TEST(GrowFromSeeds, ReportsProgressAndStopsWhenCancelled) {
  core::Volume v = phantom(Phantom::Flat, {160, 160, 80}, 1);
  core::Labelmap seeds = core::Labelmap::forVolume(v);
  std::mt19937 rng(4);
  addRandomSeeds(seeds, rng, 3, 2);
  std::vector<double> fractions;
  core::TaskControl control;
  control.onProgress = [&](double f, std::string_view) { fractions.push_back(f); };
  GrowFromSeeds grow;
  ASSERT_TRUE(grow.run(v, seeds, {}, control));
  ASSERT_GE(fractions.size(), 2u);
  EXPECT_TRUE(std::is_sorted(fractions.begin(), fractions.end()));
  EXPECT_EQ(fractions.back(), 1.0);

  // The user cancels at the first progress report: the run stops and leaves no half result.
  std::atomic<bool> cancel{false};
  control.cancel = &cancel;
  control.onProgress = [&](double f, std::string_view) {
    if (f < 1.0) cancel = true;
  };
  auto r = grow.run(v, seeds, {}, control);
  ASSERT_FALSE(r);
  EXPECT_NE(r.message().find("cancelled"), std::string::npos);
  EXPECT_FALSE(grow.hasResult());
}

TEST(GrowFromSeeds, EachIntensityRegionTakesTheLabelOfItsSeeds) {
  core::Volume v = slabs();
  core::Labelmap m = seedsFor(v);
  stroke(m, 5, 10, 3, 1);
  stroke(m, 30, 20, 15, 2);
  stroke(m, 55, 5, 8, 3);
  GrowFromSeeds grow;
  auto stats = grow.run(v, m, {});
  ASSERT_TRUE(stats) << stats.message();
  EXPECT_EQ(stats->labels, 3);
  LabelEdit edit(m, &v, {});
  EXPECT_EQ(grow.apply(edit), v.geometry().voxelCount() - 15);
  std::int64_t wrong = 0;
  for (std::int64_t k = 0; k < 20; ++k)
    for (std::int64_t j = 0; j < 30; ++j)
      for (std::int64_t i = 0; i < 60; ++i) wrong += m.at(i, j, k) != 1 + i / 20;
  EXPECT_EQ(wrong, 0);
}

TEST(GrowFromSeeds, AnUpdateAfterAddingSeedsEqualsAFullRunAndTouchesLess) {
  const core::Volume& ct = test::headCt();
  core::Labelmap seeds = core::Labelmap::forVolume(ct);
  (void)seeds.labels().add("Brain");
  (void)seeds.labels().add("Bone");
  (void)seeds.labels().add("Air");
  GrowFromSeedsParams params;
  params.roi = VoxelBox{{40, 40, 30}, {216, 216, 80}};
  stroke(seeds, 128, 128, 54, 1);
  stroke(seeds, 128, 128, 35, 1);
  stroke(seeds, 44, 128, 54, 3);
  GrowFromSeeds incremental;
  auto first = incremental.run(ct, seeds, params);
  ASSERT_TRUE(first) << first.message();
  // The user adds bone seeds where the skull was mislabelled.
  for (std::int64_t i = 40; i < 216; ++i)
    if (ct.valueAt(i, 128, 54) > 500) stroke(seeds, i, 128, 54, 2);
  auto update = incremental.update(ct, seeds);
  ASSERT_TRUE(update) << update.message();
  EXPECT_TRUE(update->incremental);
  EXPECT_LT(update->labelled, first->labelled);
  GrowFromSeeds fresh;
  ASSERT_TRUE(fresh.run(ct, seeds, params));
  std::int64_t differ = 0, bone = 0;
  for (std::int64_t k = 30; k < 80; ++k)
    for (std::int64_t j = 40; j < 216; ++j)
      for (std::int64_t i = 40; i < 216; ++i) {
        differ += incremental.labelAt(i, j, k) != fresh.labelAt(i, j, k);
        bone += fresh.labelAt(i, j, k) == 2;
      }
  EXPECT_EQ(differ, 0);
  EXPECT_GT(bone, 1000);
}

TEST(GrowFromSeeds, RemovingASeedFallsBackToAFullRun) {
  core::Volume v = slabs();
  core::Labelmap m = seedsFor(v);
  stroke(m, 5, 10, 3, 1);
  stroke(m, 30, 20, 15, 2);
  stroke(m, 55, 5, 8, 3);
  GrowFromSeeds grow;
  ASSERT_TRUE(grow.run(v, m, {}));
  for (std::int64_t d = -2; d <= 2; ++d) m.voxels()[std::size_t(v.geometry().linearIndex(55, 5 + d, 8))] = 0;
  auto again = grow.update(v, m);
  ASSERT_TRUE(again);
  EXPECT_FALSE(again->incremental);
  EXPECT_EQ(grow.labelAt(59, 29, 19), 2);  // the right slab now goes to the nearest label left
}

TEST(GrowFromSeeds, ErasingASeedAddedByAnUpdateAlsoFallsBackToAFullRun) {
  core::Volume v = slabs();
  core::Labelmap m = seedsFor(v);
  stroke(m, 5, 10, 3, 1);
  stroke(m, 30, 20, 15, 2);
  GrowFromSeeds grow;
  ASSERT_TRUE(grow.run(v, m, {}));
  stroke(m, 55, 5, 8, 3);
  auto added = grow.update(v, m);
  ASSERT_TRUE(added);
  EXPECT_TRUE(added->incremental);
  EXPECT_EQ(grow.labelAt(59, 29, 19), 3);
  for (std::int64_t d = -2; d <= 2; ++d) m.voxels()[std::size_t(v.geometry().linearIndex(55, 5 + d, 8))] = 0;
  auto erased = grow.update(v, m);
  ASSERT_TRUE(erased);
  EXPECT_FALSE(erased->incremental);
  EXPECT_EQ(grow.labelAt(59, 29, 19), 2);
}

TEST(GrowFromSeeds, WritesOnlyBackgroundVoxelsInsideTheRoiAndIsUndoable) {
  core::Volume v = slabs();
  core::Labelmap m = seedsFor(v);
  stroke(m, 5, 10, 3, 1);
  stroke(m, 30, 20, 15, 2);
  GrowFromSeedsParams params;
  params.roi = VoxelBox{{0, 0, 0}, {40, 30, 20}};
  const auto before = std::vector<std::uint8_t>(m.voxels().begin(), m.voxels().end());
  GrowFromSeeds grow;
  ASSERT_TRUE(grow.run(v, m, params));
  LabelEdit edit(m, &v, {});
  grow.apply(edit);
  EXPECT_EQ(m.at(50, 3, 3), 0);  // outside the ROI
  EXPECT_EQ(m.at(5, 10, 3), 1);
  History history;
  Step step;
  step.voxels = edit.finish();
  ASSERT_TRUE(history.push(std::move(step)));
  history.undo(m);
  EXPECT_TRUE(std::equal(before.begin(), before.end(), m.voxels().begin()));
}

TEST(GrowFromSeeds, AnOpenPreviewBroughtUpToDateEqualsRevertingAndApplyingAgain) {
  // Seeds kept apart from the user's labelmap, which already holds labels (one locked); the
  // preview edit stays open over several updates, and after each one the labelmap and the
  // edit's delta equal those of a fresh edit that applies the current result.
  const core::Volume v = phantom(Phantom::TwoValued, {100, 70, 90}, 17);
  core::Labelmap seeds = core::Labelmap::forVolume(v);
  std::mt19937 rng(5);
  addRandomSeeds(seeds, rng, 12, 4);
  core::Labelmap user = core::Labelmap::forVolume(v);
  for (const char* name : {"A", "B", "C", "D", "E"}) (void)user.labels().add(name);
  user.labels().find(5)->locked = true;
  for (std::int64_t k = 10; k < 30; ++k)
    for (std::int64_t j = 0; j < 70; ++j)
      for (std::int64_t i = 20; i < 60; ++i)
        user.voxels()[std::size_t(v.geometry().linearIndex(i, j, k))] = (i + k) % 7 < 3 ? 5 : 2;
  PaintRule inRange;
  inRange.intensityRange = std::pair{50.0, 150.0};
  for (const PaintRule& rule : {PaintRule{}, inRange})
    for (int threads : {1, 2}) {
      SCOPED_TRACE(testing::Message() << (rule.intensityRange ? "intensity range" : "any") << ", threads " << threads);
      core::Labelmap seedsNow = seeds;
      GrowFromSeedsParams params;
      params.intensityStep = 50;
      params.threads = threads;
      params.roi = VoxelBox{{3, 0, 5}, {97, 66, 90}};
      GrowFromSeeds grow;
      ASSERT_TRUE(grow.run(v, seedsNow, params));
      core::Labelmap previewed = user;
      LabelEdit preview(previewed, &v, rule);
      grow.apply(preview);
      for (int round = 0; round < 4; ++round) {
        if (round == 2) {  // a seed inside the ROI erased: a full run
          const core::Geometry& g = v.geometry();
          for (std::int64_t p = 0; p < g.voxelCount(); ++p) {
            const std::int64_t i = p % 100, j = p / 100 % 70, k = p / 7000;
            if (seedsNow.voxels()[std::size_t(p)] && params.roi->contains(i, j, k)) {
              seedsNow.voxels()[std::size_t(p)] = 0;
              break;
            }
          }
        } else {
          for (int s = 0; s < 3; ++s) {
            const std::size_t p = rng() % std::uint32_t(v.geometry().voxelCount());
            if (!seedsNow.voxels()[p]) seedsNow.voxels()[p] = std::uint8_t(1 + (round + s) % 4);
          }
        }
        auto update = grow.update(v, seedsNow);
        ASSERT_TRUE(update) << update.message();
        EXPECT_EQ(update->incremental, round != 2);
        grow.applyUpdate(preview);
        core::Labelmap fresh = user;
        LabelEdit once(fresh, &v, rule);
        grow.apply(once);
        ASSERT_TRUE(std::equal(fresh.voxels().begin(), fresh.voxels().end(), previewed.voxels().begin()))
            << "round " << round;
        const EditDelta expected = once.finish();
        if (round == 3) test::expectSameDelta(preview.finish(), expected);
      }
    }
}

TEST(GrowFromSeeds, NeedsSeedsOfTwoLabels) {
  core::Volume v = slabs();
  core::Labelmap m = seedsFor(v);
  stroke(m, 5, 10, 3, 1);
  GrowFromSeeds grow;
  auto r = grow.run(v, m, {});
  ASSERT_FALSE(r);
  EXPECT_NE(r.message().find("at least two labels"), std::string::npos);
  EXPECT_FALSE(grow.hasResult());
}

}  // namespace
}  // namespace delineo::tools
