// The Session: every committed edit is journaled before it counts, and reopening a labelmap
// whose journal holds newer steps brings them back — including after a SIGKILL at any moment.

#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <random>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include "app/OpsScript.h"
#include "app/Session.h"
#include "core/io/ImageIO.h"
#include "tests/unit/TestSupport.h"
#include "tools/LabelmapHash.h"

namespace delineo::app {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

io::LoadedImage phantom() {
  core::Geometry g;
  g.dims = {64, 56, 40};
  g.spacingMm = {0.8, 0.8, 1.5};
  g.originMm = {-25.6, -22.4, -30};
  io::LoadedImage image;
  image.volume = core::Volume(g, core::ScalarType::Int16);
  auto v = image.volume.voxels<std::int16_t>();
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = static_cast<std::int16_t>((i * 7) % 1500 - 500);
  image.volume.modality = "CT";
  image.format = "test";
  return image;
}

std::vector<json> script(int dabs) {
  std::vector<json> ops{{{"tool", "label.add"}, {"name", "Liver"}}, {{"tool", "label.add"}, {"name", "Kidney"}}};
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> x(-22, 22), y(-19, 19), z(-25, 25), r(2, 7);
  for (int d = 0; d < dabs; ++d) {
    if (d % 9 == 8) {
      ops.push_back({{"tool", "undo"}});
      continue;
    }
    ops.push_back({{"tool", "brush"}, {"center_mm", {x(rng), y(rng), z(rng)}}, {"radius_mm", r(rng)},
                   {"label", d % 3 == 0 ? "Kidney" : "Liver"}, {"erase", d % 5 == 4}});
  }
  return ops;
}

TEST(Session, CommitUndoRedoSaveAndReopen) {
  auto dir = test::scratchDir("SessionBasic");
  std::string path = (dir / "seg.seg.nrrd").string();
  {
    auto s = Session::open(phantom(), path);
    ASSERT_TRUE(s.ok()) << s.message();
    EXPECT_TRUE(fs::exists(path + ".journal"));
    for (const auto& op : script(12)) ASSERT_TRUE(applyOperation(*s, op).ok()) << op.dump();
    EXPECT_TRUE(s->unsavedChanges());
    ASSERT_TRUE(s->save().ok());
    EXPECT_FALSE(s->unsavedChanges());
    auto saved = std::vector<std::uint8_t>(s->labelmap().voxels().begin(), s->labelmap().voxels().end());
    auto reopened = io::readLabelmap(path);
    ASSERT_TRUE(reopened.ok()) << reopened.message();
    EXPECT_TRUE(std::equal(saved.begin(), saved.end(), reopened->voxels().begin()));
    EXPECT_EQ(reopened->labels().findByName("Kidney")->id, 2);
  }
  auto again = Session::open(phantom(), path);
  ASSERT_TRUE(again.ok()) << again.message();
  EXPECT_TRUE(again->notices().empty()) << again->notices()[0];
  EXPECT_FALSE(again->unsavedChanges());
  // The undo stack survives a reopen: it is rebuilt from the journal.
  EXPECT_FALSE(again->history().undoSteps().empty());
}

TEST(Session, UnsavedStepsAreRecoveredFromTheJournal) {
  auto dir = test::scratchDir("SessionRecover");
  std::string path = (dir / "seg.nii.gz").string();
  std::vector<std::uint8_t> expected;
  {
    auto s = Session::open(phantom(), path);
    ASSERT_TRUE(s.ok()) << s.message();
    auto ops = script(20);
    for (std::size_t i = 0; i < 8; ++i) ASSERT_TRUE(applyOperation(*s, ops[i]).ok());
    ASSERT_TRUE(s->save().ok());
    for (std::size_t i = 8; i < ops.size(); ++i) ASSERT_TRUE(applyOperation(*s, ops[i]).ok());
    expected.assign(s->labelmap().voxels().begin(), s->labelmap().voxels().end());
    // The session ends without saving: as if the application crashed.
  }
  auto s = Session::open(phantom(), path);
  ASSERT_TRUE(s.ok()) << s.message();
  ASSERT_EQ(s->notices().size(), 1u);
  EXPECT_NE(s->notices()[0].find("recovered"), std::string::npos) << s->notices()[0];
  EXPECT_TRUE(s->unsavedChanges());
  EXPECT_TRUE(std::equal(expected.begin(), expected.end(), s->labelmap().voxels().begin()));
  // Undo still works across the crash.
  EXPECT_TRUE(s->undo().ok());
}

TEST(Session, AJournalOfAnotherFileIsMovedAsideNotReplayed) {
  auto dir = test::scratchDir("SessionOrphan");
  std::string path = (dir / "seg.nrrd").string();
  {
    auto s = Session::open(phantom(), path);
    ASSERT_TRUE(s.ok());
    for (const auto& op : script(3)) ASSERT_TRUE(applyOperation(*s, op).ok()) << op.dump();
    ASSERT_TRUE(s->save().ok());
  }
  // Someone replaces the file with other content behind our back.
  core::Labelmap other(phantom().volume.geometry());
  other.voxels()[5] = 9;
  ASSERT_TRUE(io::writeLabelmap(other, path).ok());
  auto s = Session::open(phantom(), path);
  ASSERT_TRUE(s.ok()) << s.message();
  ASSERT_EQ(s->notices().size(), 1u);
  EXPECT_NE(s->notices()[0].find("moved aside"), std::string::npos);
  EXPECT_EQ(s->labelmap().voxels()[5], 9);
  bool orphanKept = false;
  for (const auto& e : fs::directory_iterator(dir))
    orphanKept |= e.path().filename().string().find(".orphaned-") != std::string::npos;
  EXPECT_TRUE(orphanKept);
}

TEST(Session, ANewDocumentIgnoresTheFileThereAndKeepsItsJournalAside) {
  auto dir = test::scratchDir("SessionNewDocument");
  std::string path = (dir / "seg.nii.gz").string();
  {
    auto s = Session::open(phantom(), path);
    ASSERT_TRUE(s.ok());
    for (const auto& op : script(3)) ASSERT_TRUE(applyOperation(*s, op).ok()) << op.dump();
    ASSERT_TRUE(s->save().ok());
    ASSERT_TRUE(applyOperation(*s, script(4)[4]).ok());  // unsaved: only in the journal
  }
  SessionOptions options;
  options.newDocument = true;
  auto s = Session::open(phantom(), path, options);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(s->labelmap().histogram()[0], s->labelmap().geometry().voxelCount());
  EXPECT_EQ(s->labelmap().labels().size(), 0u);
  EXPECT_FALSE(s->history().canUndo());
  ASSERT_EQ(s->notices().size(), 1u);
  EXPECT_NE(s->notices()[0].find("moved aside"), std::string::npos) << s->notices()[0];
  int aside = 0;
  for (const auto& e : fs::directory_iterator(dir))
    aside += e.path().filename().string().find("seg.nii.gz.journal.orphaned-") == 0;
  EXPECT_EQ(aside, 1);
}

TEST(Session, LabelmapOnAnotherGridIsRefused) {
  auto dir = test::scratchDir("SessionMismatch");
  std::string path = (dir / "seg.nrrd").string();
  core::Geometry g = phantom().volume.geometry();
  g.dims[2] = 39;
  ASSERT_TRUE(io::writeLabelmap(core::Labelmap(g), path).ok());
  auto s = Session::open(phantom(), path);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("seg.nrrd"), std::string::npos);
  EXPECT_NE(s.message().find("dims"), std::string::npos);
}

TEST(OpsScript, BadLinesAreRejectedWithTheLineNumberAndLeaveTheLabelmapAsBefore) {
  auto dir = test::scratchDir("OpsBadLines");
  std::string path = (dir / "seg.nrrd").string();
  auto s = Session::open(phantom(), path);
  ASSERT_TRUE(s.ok());
  struct Case {
    std::string line;
    std::string reason;
  };
  std::vector<Case> cases{
      {R"({"tool":"brsh","center_mm":[0,0,0],"radius_mm":3,"label":1})", "unknown tool 'brsh'"},
      {R"({"tool":"brush","center_mm":[0,0,900],"radius_mm":3,"label":1})", "outside the volume"},
      {R"({"tool":"brush","center_mm":[0,0,0],"radius_mm":-3,"label":1})", "radius_mm"},
      {R"({"tool":"brush","center_mm":[0,0],"radius_mm":3,"label":1})", "3 numbers"},
      {R"({"tool":"brush","center_mm":[0,0,0],"radius_mm":3,"label":77})", "not in the label table"},
      {R"({"tool":"label.color","label":1,"color":[300,0,0]})", "0..255"},
      {R"({"tool":"redo"})", "nothing to redo"},
      {R"(this is not json)", "not valid JSON"},
  };
  for (const auto& c : cases) {
    std::string ops = (dir / "ops.jsonl").string();
    std::ofstream(ops) << R"({"tool":"label.add","name":"Liver"})" << "\n"
                       << R"({"tool":"brush","center_mm":[0,0,0],"radius_mm":4,"label":1})" << "\n"
                       << "\n"
                       << c.line << "\n"
                       << R"({"tool":"brush","center_mm":[5,5,5],"radius_mm":4,"label":1})" << "\n";
    auto fresh = Session::open(phantom(), (dir / ("seg-" + std::to_string(&c - cases.data()) + ".nrrd")).string());
    ASSERT_TRUE(fresh.ok());
    auto before = tools::LabelmapHash::of(fresh->labelmap());
    (void)before;
    auto r = runOpsFile(*fresh, ops);
    ASSERT_FALSE(r.ok()) << c.line;
    EXPECT_NE(r.message().find("ops.jsonl:4: "), std::string::npos) << r.message();
    EXPECT_NE(r.message().find(c.reason), std::string::npos) << r.message();
    // Lines 1-2 stand; line 4 changed nothing; line 5 never ran.
    EXPECT_EQ(fresh->history().undoSteps().size(), 2u);
    EXPECT_EQ(fresh->labelmap().at(40, 34, 23), 0);
  }
}

// Runs `delineo apply` in a child and SIGKILLs it after `delay`; returns the committed steps
// it reported before dying.
int killedApply(const std::string& volume, const std::string& labels, const std::string& ops,
                std::chrono::microseconds delay, const fs::path& log) {
  pid_t pid = fork();
  if (pid == 0) {
    int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(fd, 1);
    dup2(fd, 2);
    execl(DELINEO_EXE, DELINEO_EXE, "apply", volume.c_str(), "--labels", labels.c_str(), "--ops", ops.c_str(),
          "--verbose", static_cast<char*>(nullptr));
    _exit(127);
  }
  std::this_thread::sleep_for(delay);
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  std::ifstream in(log);
  std::string line;
  int committed = 0;
  while (std::getline(in, line)) committed += line.rfind("committed line", 0) == 0;
  return committed;
}

TEST(Session, CrashAtAnyMomentLosesNoCommittedStep) {
  auto dir = test::scratchDir("SessionCrash");
  const std::string volume = (dir / "ct.nrrd").string();
  ASSERT_TRUE(io::writeVolume(phantom().volume, volume).ok());
  auto ops = script(60);
  const std::string opsPath = (dir / "ops.jsonl").string();
  {
    std::ofstream out(opsPath);
    for (const auto& op : ops) out << op.dump() << "\n";
  }
  // The state after each prefix of the script, without any crash.
  std::vector<std::uint64_t> prefixHash;
  {
    auto s = Session::open(phantom(), (dir / "reference.nrrd").string());
    ASSERT_TRUE(s.ok());
    prefixHash.push_back(s->hash());
    for (const auto& op : ops) {
      ASSERT_TRUE(applyOperation(*s, op).ok()) << op.dump();
      prefixHash.push_back(s->hash());
    }
  }
  // How long an uninterrupted run takes, to spread the kills over it.
  auto start = std::chrono::steady_clock::now();
  std::string out;
  ASSERT_EQ(test::runCommand(std::string(DELINEO_EXE) + " apply " + volume + " --labels " +
                                 (dir / "timing.nrrd").string() + " --ops " + opsPath, &out),
            0)
      << out;
  auto fullRun = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start);

  std::mt19937 rng(2024);
  std::uniform_int_distribution<std::int64_t> when(0, fullRun.count() * 11 / 10);
  const int kTrials = 30;
  int recoveredSomething = 0;
  for (int trial = 0; trial < kTrials; ++trial) {
    const std::string labels = (dir / ("crash" + std::to_string(trial) + ".nrrd")).string();
    int reported = killedApply(volume, labels, opsPath, std::chrono::microseconds(when(rng)),
                               dir / ("log" + std::to_string(trial) + ".txt"));
    auto s = Session::open(phantom(), labels);
    ASSERT_TRUE(s.ok()) << "trial " << trial << ": " << s.message();
    // Recovered state == the no-crash state after some prefix that includes every step the
    // child reported as committed (it may have committed one more before printing).
    auto it = std::find(prefixHash.begin() + reported, prefixHash.end(), s->hash());
    ASSERT_NE(it, prefixHash.end()) << "trial " << trial << ": recovered labelmap matches no prefix";
    auto prefix = it - prefixHash.begin();
    EXPECT_LE(prefix, reported + 1) << "trial " << trial;
    recoveredSomething += prefix > 0;
  }
  EXPECT_GT(recoveredSomething, 0) << "no trial was killed after a commit: timing is off";
}

}  // namespace
}  // namespace delineo::app
