#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <vector>

#include "tests/unit/DeltaSupport.h"
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


// Bulk writing (setRows) against set() voxel by voxel, on random phantoms whose size is not a
// multiple of the brick size, under every paint rule.

std::uint32_t hashOf(std::int64_t i, std::int64_t j, std::int64_t k, std::uint32_t salt) {
  std::uint32_t h = std::uint32_t(i * 73856093 ^ j * 19349663 ^ k * 83492791) ^ salt * 2654435761u;
  h ^= h >> 15;
  h *= 2246822519u;
  h ^= h >> 13;
  return h;
}

core::Labelmap randomPhantom(const core::Geometry& g) {
  core::Labelmap m(g);
  for (std::uint8_t id = 1; id <= 5; ++id) {
    core::Label l;
    l.id = id;
    l.name = "L" + std::to_string(id);
    (void)m.labels().set(l);
  }
  m.labels().find(3)->locked = true;
  for (std::int64_t k = 0; k < g.dims[2]; ++k)
    for (std::int64_t j = 0; j < g.dims[1]; ++j)
      for (std::int64_t i = 0; i < g.dims[0]; ++i) {
        std::uint32_t h = hashOf(i / 4, j / 3, k / 5, 7);  // blobs, so runs are longer than one voxel
        m.voxels()[std::size_t(g.linearIndex(i, j, k))] = std::uint8_t(h % 3 == 0 ? 0 : h % 6);
      }
  return m;
}

core::Volume randomVolume(const core::Geometry& g) {
  core::Volume v(g, core::ScalarType::Int16);
  auto vox = v.voxels<std::int16_t>();
  for (std::size_t n = 0; n < vox.size(); ++n) vox[n] = std::int16_t(hashOf(std::int64_t(n), 0, 0, 3) % 1000) - 500;
  return v;
}

// The value a tool wants at (i,j,k) given what is there: a mix of unconditional writes,
// erasing, and writes only over background (as grow from seeds does).
using Want = std::function<std::uint8_t(std::int64_t, std::int64_t, std::int64_t, std::uint8_t)>;
Want wantWith(std::uint32_t salt) {
  return [salt](std::int64_t i, std::int64_t j, std::int64_t k, std::uint8_t current) -> std::uint8_t {
    std::uint32_t h = hashOf(i, j, k, salt);
    switch (h % 4) {
      case 0: return current;
      case 1: return std::uint8_t((h >> 8) % 6);
      case 2: return current == 0 ? std::uint8_t(1 + (h >> 8) % 5) : current;
      default: return 0;
    }
  };
}

LabelEdit::RowProposal rowsOf(const Want& want) {
  return [want](std::int64_t j, std::int64_t k, std::int64_t iLo, std::span<std::uint8_t> values) {
    for (std::size_t x = 0; x < values.size(); ++x) values[x] = want(iLo + std::int64_t(x), j, k, values[x]);
  };
}

void setEachVoxel(LabelEdit& edit, const VoxelBox& box, const Want& want) {
  for (std::int64_t k = box.lo[2]; k < box.hi[2]; ++k)
    for (std::int64_t j = box.lo[1]; j < box.hi[1]; ++j)
      for (std::int64_t i = box.lo[0]; i < box.hi[0]; ++i)
        edit.set(i, j, k, want(i, j, k, edit.labelmap().at(i, j, k)));
}

std::vector<PaintRule> everyRule() {
  std::vector<PaintRule> rules(6);
  rules[1].over = PaintRule::Over::BackgroundOnly;
  rules[2].over = PaintRule::Over::OnlyLabel;
  rules[2].onlyLabel = 2;
  rules[3].intensityRange = std::pair{-200.0, 250.0};
  rules[4].over = PaintRule::Over::BackgroundOnly;
  rules[4].intensityRange = std::pair{0.0, 499.0};
  rules[5].over = PaintRule::Over::OnlyLabel;
  rules[5].onlyLabel = 3;  // locked: nothing may change
  return rules;
}

core::Geometry oddGrid() {
  core::Geometry g;
  g.dims = {70, 45, 180};  // 3 x 2 x 6 bricks, the last of each axis partial: enough to share among threads
  return g;
}

TEST(LabelEdit, RowsOverBricksGiveTheSameLabelmapAndDeltaAsVoxelByVoxelUnderEveryRule) {
  const core::Geometry g = oddGrid();
  const core::Volume v = randomVolume(g);
  const VoxelBox box{{5, 3, 7}, {66, 45, 171}};
  for (const PaintRule& rule : everyRule())
    for (int threads : {1, 2, 3})
      for (std::uint32_t salt : {1u, 2u}) {
        SCOPED_TRACE(testing::Message() << "rule " << int(rule.over) << (rule.intensityRange ? " with range" : "")
                                        << ", threads " << threads << ", salt " << salt);
        core::Labelmap perVoxel = randomPhantom(g), bulk = randomPhantom(g);
        LabelEdit a(perVoxel, &v, rule), b(bulk, &v, rule);
        // Some voxels written one by one first, so that some bricks are saved before the bulk write.
        for (std::int64_t i = 0; i < 70; i += 3) {
          a.set(i, 40, 50, 4);
          b.set(i, 40, 50, 4);
        }
        setEachVoxel(a, box, wantWith(salt));
        const std::int64_t before = b.changedVoxels();
        const std::int64_t written = b.setRows(box, rowsOf(wantWith(salt)), LabelEdit::RowBasis::Current, threads);
        EXPECT_TRUE(std::equal(perVoxel.voxels().begin(), perVoxel.voxels().end(), bulk.voxels().begin()));
        EXPECT_EQ(a.changedVoxels(), b.changedVoxels());
        EXPECT_EQ(written, b.changedVoxels() - before);
        EXPECT_EQ(a.touchedBricks(), b.touchedBricks());
        test::expectSameDelta(a.finish(), b.finish());
      }
}

TEST(LabelEdit, RowsOverBricksRevertLikeVoxelByVoxel) {
  const core::Geometry g = oddGrid();
  const core::Volume v = randomVolume(g);
  core::Labelmap m = randomPhantom(g);
  const std::vector<std::uint8_t> original(m.voxels().begin(), m.voxels().end());
  LabelEdit edit(m, &v, {});
  EXPECT_GT(edit.setRows(VoxelBox::whole(g.dims), rowsOf(wantWith(4)), LabelEdit::RowBasis::Current, 2), 0);
  edit.revert();
  EXPECT_TRUE(std::equal(original.begin(), original.end(), m.voxels().begin()));
}

TEST(LabelEdit, RowsFromTheEditStartEqualRevertingAndWritingAfresh) {
  // An open edit holds result A; rewriting some bricks from the edit's start with result B
  // must end as a fresh edit writing B there and A elsewhere, under every rule.
  const core::Geometry g = oddGrid();
  const core::Volume v = randomVolume(g);
  const VoxelBox box{{2, 0, 9}, {70, 41, 180}};
  const std::vector<std::int64_t> rewritten{1, 4, 6, 7, 12, 23, 30, 35};
  const Want a = wantWith(5), b = wantWith(6);
  auto inRewritten = [&](std::int64_t i, std::int64_t j, std::int64_t k) {
    const std::int64_t brick = i / 32 + 3 * (j / 32 + 2 * (k / 32));
    return std::find(rewritten.begin(), rewritten.end(), brick) != rewritten.end();
  };
  const Want mixed = [&](std::int64_t i, std::int64_t j, std::int64_t k, std::uint8_t current) {
    return inRewritten(i, j, k) ? b(i, j, k, current) : a(i, j, k, current);
  };
  for (const PaintRule& rule : everyRule())
    for (int threads : {1, 2}) {
      SCOPED_TRACE(testing::Message() << "rule " << int(rule.over) << (rule.intensityRange ? " with range" : "")
                                      << ", threads " << threads);
      core::Labelmap updated = randomPhantom(g), fresh = randomPhantom(g);
      LabelEdit preview(updated, &v, rule);
      preview.setRows(box, rowsOf(a), LabelEdit::RowBasis::Current, threads);
      preview.setRows(rewritten, box, rowsOf(b), LabelEdit::RowBasis::EditStart, threads);
      LabelEdit once(fresh, &v, rule);
      setEachVoxel(once, box, mixed);
      EXPECT_TRUE(std::equal(fresh.voxels().begin(), fresh.voxels().end(), updated.voxels().begin()));
      test::expectSameDelta(once.finish(), preview.finish());
    }
}

}  // namespace
}  // namespace delineo::tools
