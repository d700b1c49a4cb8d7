#include <gtest/gtest.h>

#include "tools/LabelEdit.h"

namespace delineo::tools {
namespace {

core::Geometry grid(std::int64_t n = 40) {
  core::Geometry g;
  g.dims = {n, n, n};
  return g;
}

core::Labelmap labelled() {
  core::Labelmap m(grid());
  for (std::uint8_t id : {std::uint8_t{1}, std::uint8_t{2}, std::uint8_t{3}}) {
    core::Label l;
    l.id = id;
    l.name = "L" + std::to_string(id);
    (void)m.labels().set(l);
  }
  m.labels().find(3)->locked = true;
  m.voxels()[0] = 1;  // (0,0,0)
  m.voxels()[1] = 2;  // (1,0,0)
  m.voxels()[2] = 3;  // (2,0,0), locked
  return m;
}

TEST(LabelEdit, OverwriteAllPaintsEverythingButLockedLabels) {
  auto m = labelled();
  LabelEdit edit(m, nullptr, {});
  EXPECT_TRUE(edit.set(0, 0, 0, 2));
  EXPECT_FALSE(edit.set(1, 0, 0, 2));  // already 2: no change
  EXPECT_FALSE(edit.set(2, 0, 0, 2));  // locked
  EXPECT_TRUE(edit.set(3, 0, 0, 2));   // background
  EXPECT_EQ(edit.changedVoxels(), 2);
  EXPECT_EQ(m.at(2, 0, 0), 3);
}

TEST(LabelEdit, BackgroundOnlyKeepsExistingLabels) {
  auto m = labelled();
  PaintRule rule;
  rule.over = PaintRule::Over::BackgroundOnly;
  LabelEdit edit(m, nullptr, rule);
  EXPECT_FALSE(edit.set(0, 0, 0, 2));
  EXPECT_TRUE(edit.set(5, 5, 5, 2));
  EXPECT_EQ(m.at(0, 0, 0), 1);
}

TEST(LabelEdit, OnlyLabelTouchesJustThatLabel) {
  auto m = labelled();
  PaintRule rule;
  rule.over = PaintRule::Over::OnlyLabel;
  rule.onlyLabel = 1;
  LabelEdit edit(m, nullptr, rule);
  EXPECT_TRUE(edit.set(0, 0, 0, 0));   // erase label 1
  EXPECT_FALSE(edit.set(1, 0, 0, 0));  // label 2 untouched
  EXPECT_FALSE(edit.set(5, 5, 5, 2));  // background untouched
}

TEST(LabelEdit, IntensityRangeLimitsPaintingToMatchingVoxels) {
  auto m = labelled();
  core::Volume v(grid(), core::ScalarType::Int16);
  auto vox = v.voxels<std::int16_t>();
  for (std::size_t i = 0; i < vox.size(); ++i) vox[i] = static_cast<std::int16_t>(i % 2 ? 400 : -50);
  PaintRule rule;
  rule.intensityRange = std::pair{200.0, 3000.0};
  LabelEdit edit(m, &v, rule);
  EXPECT_TRUE(edit.set(5, 0, 0, 1));   // index 5: 400 HU
  EXPECT_FALSE(edit.set(6, 0, 0, 1));  // index 6: -50 HU
}

TEST(LabelEdit, FinishRecordsOnlyBricksThatChangedAndUndoRestoresThem) {
  auto m = labelled();
  auto original = std::vector<std::uint8_t>(m.voxels().begin(), m.voxels().end());
  LabelEdit edit(m, nullptr, {});
  edit.set(33, 1, 1, 2);  // brick (1,0,0)
  edit.set(10, 10, 10, 2);
  edit.set(10, 10, 10, 0);  // painted back: brick (0,0,0) changed nothing
  EXPECT_EQ(edit.touchedBricks(), (std::vector<std::int64_t>{0, 1}));
  EditDelta delta = edit.finish();
  ASSERT_EQ(delta.bricks.size(), 1u);
  EXPECT_EQ(delta.bricks[0].brick, 1);
  EXPECT_EQ(delta.changedVoxels, 1);
  ASSERT_TRUE(applyDelta(m, delta, DeltaDirection::Undo));
  EXPECT_TRUE(std::equal(original.begin(), original.end(), m.voxels().begin()));
  ASSERT_TRUE(applyDelta(m, delta, DeltaDirection::Redo));
  EXPECT_EQ(m.at(33, 1, 1), 2);
}

TEST(LabelEdit, RevertDiscardsAPreview) {
  auto m = labelled();
  auto original = std::vector<std::uint8_t>(m.voxels().begin(), m.voxels().end());
  LabelEdit edit(m, nullptr, {});
  for (int i = 0; i < 40; ++i) edit.set(i, 20, 20, 1);
  edit.revert();
  EXPECT_TRUE(std::equal(original.begin(), original.end(), m.voxels().begin()));
}

TEST(LabelEdit, NoChangeGivesAnEmptyDelta) {
  auto m = labelled();
  LabelEdit edit(m, nullptr, {});
  edit.set(0, 0, 0, 1);
  EXPECT_TRUE(edit.finish().empty());
}

}  // namespace
}  // namespace delineo::tools
