// Grow from seeds (competitive, multi-label): regions separated by an intensity edge take the
// label of their own seeds; an update after adding seeds equals a full run; only background
// voxels are written; bad input; undo.
#include <gtest/gtest.h>

#include <random>

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
