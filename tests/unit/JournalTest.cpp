#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "tests/unit/TestSupport.h"
#include "tools/Brush.h"
#include "tools/Journal.h"
#include "tools/LabelmapHash.h"

namespace delineo::tools {
namespace {

namespace fs = std::filesystem;

core::Labelmap labelmap() {
  core::Geometry g;
  g.dims = {48, 40, 36};
  g.spacingMm = {0.9, 0.9, 2.0};
  core::Labelmap m(g);
  (void)m.labels().add("Liver");
  m.voxels()[100] = 1;  // the base is not empty
  return m;
}

Step dab(core::Labelmap& m, core::Vec3 c, std::uint8_t label) {
  LabelEdit edit(m, nullptr, {});
  BrushParams p;
  p.radiusMm = 4;
  p.label = label;
  paintDab(edit, c, p);
  Step s;
  s.name = "Brush 4 mm";
  s.tool = "brush";
  s.paramsJson = "{\"radius_mm\":4}";
  s.timeMs = 1700000000000;
  s.voxels = edit.finish();
  return s;
}

JournalRecord record(JournalRecord::Kind kind, const core::Labelmap& m, const Step* step = nullptr) {
  JournalRecord r;
  r.kind = kind;
  r.hashAfter = LabelmapHash::of(m);
  if (step) r.step = *step;
  return r;
}

TEST(Journal, RecordsReadBackExactlyAndReplayReproducesTheLabelmap) {
  auto dir = test::scratchDir("JournalReadBack");
  std::string path = (dir / "seg.nii.gz.journal").string();
  auto m = labelmap();
  const auto base = m;
  auto journal = Journal::create(path, m, LabelmapHash::of(m));
  ASSERT_TRUE(journal.ok()) << journal.message();
  Step a = dab(m, {10, 10, 10}, 1);
  ASSERT_TRUE(journal->append(record(JournalRecord::Kind::Step, m, &a)).ok());
  Step b = dab(m, {20, 20, 30}, 1);
  ASSERT_TRUE(journal->append(record(JournalRecord::Kind::Step, m, &b)).ok());
  History h;
  h.push(a);
  h.push(b);
  h.undo(m);
  ASSERT_TRUE(journal->append(record(JournalRecord::Kind::Undo, m)).ok());

  auto contents = Journal::read(path);
  ASSERT_TRUE(contents.ok()) << contents.message();
  EXPECT_TRUE(contents->warnings.empty());
  ASSERT_EQ(contents->records.size(), 4u);
  EXPECT_EQ(contents->records[0].kind, JournalRecord::Kind::Base);
  EXPECT_EQ(contents->records[1].step.name, "Brush 4 mm");
  EXPECT_EQ(contents->records[1].step.paramsJson, "{\"radius_mm\":4}");
  EXPECT_EQ(contents->records[1].step.timeMs, 1700000000000);
  EXPECT_TRUE(contents->geometry.sameGrid(m.geometry()));

  core::Labelmap replayed(m.geometry());
  History rh;
  ASSERT_TRUE(replayRecords(contents->records, 0, replayed, rh));
  EXPECT_TRUE(std::equal(m.voxels().begin(), m.voxels().end(), replayed.voxels().begin()));
  EXPECT_EQ(replayed.labels(), base.labels());
  EXPECT_TRUE(rh.canRedo()) << "the undone step can still be redone after replay";
}

TEST(Journal, TornLastRecordIsDroppedWithAMessageAndEarlierRecordsSurvive) {
  auto dir = test::scratchDir("JournalTorn");
  std::string path = (dir / "seg.nrrd.journal").string();
  auto m = labelmap();
  auto journal = Journal::create(path, m, LabelmapHash::of(m));
  ASSERT_TRUE(journal.ok());
  Step a = dab(m, {10, 10, 10}, 1);
  ASSERT_TRUE(journal->append(record(JournalRecord::Kind::Step, m, &a)).ok());
  auto sizeAfterA = fs::file_size(path);
  Step b = dab(m, {30, 30, 30}, 1);
  ASSERT_TRUE(journal->append(record(JournalRecord::Kind::Step, m, &b)).ok());
  auto fullSize = fs::file_size(path);

  // A crash mid-write leaves any prefix of the last record on disk.
  for (auto cut : {sizeAfterA + 3, sizeAfterA + 9, (sizeAfterA + fullSize) / 2, fullSize - 1}) {
    fs::resize_file(path, cut);
    auto contents = Journal::read(path);
    ASSERT_TRUE(contents.ok()) << contents.message();
    ASSERT_EQ(contents->records.size(), 2u) << "cut at " << cut;
    ASSERT_EQ(contents->warnings.size(), 1u);
    EXPECT_NE(contents->warnings[0].find("torn"), std::string::npos) << contents->warnings[0];
  }
  // Reopening for append cuts the torn tail so new records follow the intact ones.
  auto reopened = Journal::openForAppend(path);
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ(fs::file_size(path), sizeAfterA);
  ASSERT_TRUE(reopened->append(record(JournalRecord::Kind::Step, m, &b)).ok());
  auto contents = Journal::read(path);
  EXPECT_EQ(contents->records.size(), 3u);
  EXPECT_TRUE(contents->warnings.empty());
}

TEST(Journal, FlippedByteInTheLastRecordFailsItsChecksum) {
  auto dir = test::scratchDir("JournalFlip");
  std::string path = (dir / "x.journal").string();
  auto m = labelmap();
  auto journal = Journal::create(path, m, LabelmapHash::of(m));
  Step a = dab(m, {10, 10, 10}, 1);
  ASSERT_TRUE(journal->append(record(JournalRecord::Kind::Step, m, &a)).ok());
  auto size = fs::file_size(path);
  {
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(size - 5));
    char c;
    f.seekg(static_cast<std::streamoff>(size - 5));
    f.get(c);
    f.seekp(static_cast<std::streamoff>(size - 5));
    f.put(static_cast<char>(c ^ 0x40));
  }
  auto contents = Journal::read(path);
  ASSERT_TRUE(contents.ok());
  EXPECT_EQ(contents->records.size(), 1u);
  ASSERT_EQ(contents->warnings.size(), 1u);
  EXPECT_NE(contents->warnings[0].find("checksum"), std::string::npos);
}

TEST(Journal, NotAJournalIsAClearError) {
  auto dir = test::scratchDir("JournalGarbage");
  std::string path = (dir / "junk.journal").string();
  std::ofstream(path) << "hello";
  auto contents = Journal::read(path);
  ASSERT_FALSE(contents.ok());
  EXPECT_NE(contents.message().find("junk.journal"), std::string::npos);
}

TEST(Journal, RecoveryStartsAfterTheCheckpointTheFileMatches) {
  auto m = labelmap();
  std::vector<JournalRecord> records;
  records.push_back(record(JournalRecord::Kind::Base, m));
  const auto baseHash = records.back().hashAfter;
  Step a = dab(m, {10, 10, 10}, 1);
  records.push_back(record(JournalRecord::Kind::Step, m, &a));
  records.push_back(record(JournalRecord::Kind::Checkpoint, m));
  const auto savedHash = records.back().hashAfter;
  Step b = dab(m, {30, 30, 30}, 1);
  records.push_back(record(JournalRecord::Kind::Step, m, &b));
  const auto latestHash = records.back().hashAfter;

  EXPECT_EQ(recoveryStart(records, savedHash), 3u);            // step b is newer than the file
  EXPECT_EQ(recoveryStart(records, latestHash), records.size());  // saved; checkpoint not yet written
  EXPECT_EQ(recoveryStart(records, baseHash), std::nullopt);    // an older file than the last save
  EXPECT_EQ(recoveryStart(records, 12345), std::nullopt);       // someone else's labelmap
}

}  // namespace
}  // namespace delineo::tools
