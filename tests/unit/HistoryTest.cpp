#include <gtest/gtest.h>

#include "tools/Brush.h"
#include "tools/History.h"
#include "tools/LabelOps.h"

namespace delineo::tools {
namespace {

core::Labelmap labelmap(std::int64_t n) {
  core::Geometry g;
  g.dims = {n, n, n};
  core::Labelmap m(g);
  (void)m.labels().add("Liver");
  (void)m.labels().add("Spleen");
  return m;
}

Step brushStep(core::Labelmap& m, core::Vec3 centre, double radius, std::uint8_t label) {
  LabelEdit edit(m, nullptr, {});
  BrushParams p;
  p.radiusMm = radius;
  p.label = label;
  paintDab(edit, centre, p);
  Step s;
  s.name = "Brush";
  s.voxels = edit.finish();
  return s;
}

std::vector<std::uint8_t> copyOf(const core::Labelmap& m) { return {m.voxels().begin(), m.voxels().end()}; }

TEST(History, UndoAndRedoRestoreEveryVoxel) {
  auto m = labelmap(96);
  History h;
  std::vector<std::vector<std::uint8_t>> states{copyOf(m)};
  for (int s = 0; s < 6; ++s) {
    ASSERT_TRUE(h.push(brushStep(m, {10.0 + 12 * s, 40.0 + s, 50.0 - 3 * s}, 9.0, std::uint8_t(1 + s % 2))));
    states.push_back(copyOf(m));
  }
  for (int s = 5; s >= 0; --s) {
    ASSERT_NE(h.undo(m), nullptr);
    ASSERT_EQ(copyOf(m), states[static_cast<std::size_t>(s)]) << "after undoing step " << s;
  }
  EXPECT_EQ(h.undo(m), nullptr);
  for (int s = 1; s <= 6; ++s) {
    ASSERT_NE(h.redo(m), nullptr);
    ASSERT_EQ(copyOf(m), states[static_cast<std::size_t>(s)]) << "after redoing step " << s;
  }
  EXPECT_EQ(h.redo(m), nullptr);
}

TEST(History, AnEditThatChangesNothingAddsNoStep) {
  auto m = labelmap(40);
  History h;
  ASSERT_TRUE(h.push(brushStep(m, {20, 20, 20}, 5, 1)));
  EXPECT_FALSE(h.push(brushStep(m, {20, 20, 20}, 5, 1)));  // same dab again: no change
  EXPECT_EQ(h.undoSteps().size(), 1u);
}

TEST(History, NewStepClearsRedo) {
  auto m = labelmap(40);
  History h;
  h.push(brushStep(m, {10, 10, 10}, 3, 1));
  h.undo(m);
  EXPECT_TRUE(h.canRedo());
  h.push(brushStep(m, {30, 30, 30}, 3, 2));
  EXPECT_FALSE(h.canRedo());
}

TEST(History, OneVoxelEditOn512CubedCostsAtMostOneBrick) {
  auto m = labelmap(512);
  History h;
  LabelEdit edit(m, nullptr, {});
  edit.set(300, 200, 100, 1);
  Step s;
  s.name = "Dot";
  s.voxels = edit.finish();
  std::size_t bytes = s.byteSize();
  ASSERT_TRUE(h.push(std::move(s)));
  EXPECT_LE(bytes, std::size_t{32 * 32 * 32}) << "one brick of uint8 is the ceiling";
  // RLE makes it far smaller still: a few runs before and after.
  EXPECT_LT(h.bytes(), 1024u);
}

TEST(History, MemoryFollowsTouchedBricksNotLabelmapSize) {
  auto m = labelmap(256);  // 16 MiB labelmap
  History h;
  h.push(brushStep(m, {128, 128, 128}, 20, 1));
  const Step& step = h.undoSteps().back();
  // A 20 mm ball spans at most 3 bricks per axis (41 voxels), i.e. 27 bricks.
  EXPECT_LE(step.voxels.bricks.size(), 27u);
  EXPECT_LT(step.byteSize(), 27u * 32 * 32 * 32 / 4) << "RLE keeps it well under raw bricks";
  EXPECT_LT(h.bytes(), m.voxels().size() / 50) << "a full-copy undo would cost the whole labelmap";
}

TEST(History, OldestStepsDropWhenOverBudget) {
  auto m = labelmap(128);
  History h(20 * 1024);
  for (int s = 0; s < 30; ++s) h.push(brushStep(m, {5.0 + 4 * s, 64, 64}, 6, 1));
  EXPECT_LE(h.bytes(), 20u * 1024);
  EXPECT_GT(h.droppedSteps(), 0u);
  EXPECT_GE(h.undoSteps().size(), 1u);
  // What remains still undoes correctly, newest first.
  while (h.undo(m)) {
  }
  EXPECT_GT(m.histogram()[1], 0) << "dropped steps stay applied";
}

TEST(History, LabelOperationsAreUndoable) {
  auto m = labelmap(40);
  History h;
  h.push(brushStep(m, {20, 20, 20}, 6, 2));
  const auto spleenVoxels = m.histogram()[2];
  auto del = deleteLabel(m, 2);
  ASSERT_TRUE(del.ok());
  h.push(std::move(del).value());
  EXPECT_EQ(m.histogram()[2], 0);
  EXPECT_EQ(m.labels().find(2), nullptr);
  h.undo(m);
  EXPECT_EQ(m.histogram()[2], spleenVoxels);
  ASSERT_NE(m.labels().find(2), nullptr);
  EXPECT_EQ(m.labels().find(2)->name, "Spleen");

  auto merge = mergeLabels(m, 2, 1);
  ASSERT_TRUE(merge.ok());
  h.push(std::move(merge).value());
  EXPECT_EQ(m.histogram()[1], spleenVoxels);
  EXPECT_EQ(m.labels().find(2), nullptr);
  h.undo(m);
  EXPECT_EQ(m.histogram()[1], 0);

  auto rename = renameLabel(m, 1, "Left lobe");
  h.push(std::move(rename).value());
  EXPECT_EQ(m.labels().find(1)->name, "Left lobe");
  h.undo(m);
  EXPECT_EQ(m.labels().find(1)->name, "Liver");

  m.labels().find(2)->locked = true;
  auto lockedDelete = deleteLabel(m, 2);
  ASSERT_FALSE(lockedDelete.ok());
  EXPECT_NE(lockedDelete.message().find("locked"), std::string::npos);
}

}  // namespace
}  // namespace delineo::tools
