// The semi-automatic tools as a user reaches them: `delineo apply` operations (validated before
// anything changes, committed and undoable as steps) and the `delineo grow` command.
#include <gtest/gtest.h>

#include <filesystem>

#include "app/OpsScript.h"
#include "app/Session.h"
#include "tests/unit/SemiAutoSupport.h"
#include "tools/RegionGrow.h"

namespace delineo::app {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

io::LoadedImage headImage() {
  io::LoadedImage image;
  image.volume = test::headCt();
  image.format = "test";
  return image;
}

std::vector<std::uint8_t> voxelsOf(const core::Labelmap& m) { return {m.voxels().begin(), m.voxels().end()}; }

TEST(SemiAutoOps, EveryToolCommitsAnUndoableStep) {
  auto dir = test::scratchDir("SemiAutoOpsCommit");
  auto s = Session::open(headImage(), (dir / "seg.nii.gz").string());
  ASSERT_TRUE(s) << s.message();
  for (const char* name : {"Bone", "Brain", "Air"}) ASSERT_TRUE(applyOperation(*s, {{"tool", "label.add"}, {"name", name}}));
  const auto empty = voxelsOf(s->labelmap());
  const std::vector<json> ops = {
      {{"tool", "threshold"}, {"label", "Bone"}, {"lower", 300}, {"upper", 3000}},
      {{"tool", "islands"}, {"label", "Bone"}, {"mode", "remove_small"}, {"min_voxels", 100}},
      {{"tool", "fill_holes"}, {"label", "Bone"}},
      {{"tool", "margin"}, {"label", "Bone"}, {"margin_mm", -1.0}},
      {{"tool", "smooth"}, {"label", "Bone"}, {"method", "median"}, {"radius_mm", 1}},
      {{"tool", "grow"}, {"seeds_ijk", {{0, 0, 0}}}, {"lower", -1024}, {"upper", -500}, {"label", "Air"},
       {"connectivity", 26}},
      {{"tool", "contour"}, {"label", "Brain"}, {"points_mm", {{-20, -20, 0}, {20, -20, 0}, {0, 20, 0}}}},
      {{"tool", "grow_from_seeds"}, {"roi_ijk", {{60, 60, 40}, {200, 200, 70}}}},
  };
  // The contour must lie in the volume: put it on the plane of slice 54.
  std::vector<json> script = ops;
  const core::Geometry& g = s->volume().geometry();
  core::Vec3 c = g.ijkToPatient({128, 128, 54});
  script[6]["points_mm"] = {{c.x - 20, c.y - 20, c.z}, {c.x + 20, c.y - 20, c.z}, {c.x, c.y + 20, c.z}};
  for (const auto& op : script) {
    auto outcome = applyOperation(*s, op);
    ASSERT_TRUE(outcome) << op.dump() << ": " << outcome.message();
    EXPECT_TRUE(outcome->changed) << op.dump();
  }
  EXPECT_GT(s->labelmap().histogram()[1], 100000);
  while (s->history().canUndo() && s->history().undoSteps().back().tool != "label.add") ASSERT_TRUE(s->undo());
  EXPECT_EQ(voxelsOf(s->labelmap()), empty);
}

TEST(SemiAutoOps, BadInputIsRejectedBeforeTheLabelmapChanges) {
  auto dir = test::scratchDir("SemiAutoOpsBad");
  auto s = Session::open(headImage(), (dir / "seg.nii.gz").string());
  ASSERT_TRUE(s);
  ASSERT_TRUE(applyOperation(*s, {{"tool", "label.add"}, {"name", "Bone"}}));
  ASSERT_TRUE(applyOperation(*s, {{"tool", "threshold"}, {"label", "Bone"}, {"lower", 300}, {"upper", 3000}}));
  const auto before = voxelsOf(s->labelmap());
  const std::size_t steps = s->history().undoSteps().size();
  const std::vector<std::pair<json, std::string>> bad = {
      {{{"tool", "grow"}, {"seeds_ijk", {{0, 0, 400}}}, {"lower", 0}, {"upper", 1}, {"label", "Bone"}}, "outside the volume"},
      {{{"tool", "grow"}, {"seeds_ijk", {{0, 0, 0}}}, {"lower", 5}, {"upper", 1}, {"label", "Bone"}}, "empty intensity range"},
      {{{"tool", "contour"}, {"label", "Bone"}, {"points_mm", {{0, 0, 0}, {1, 0, 0}}}}, "at least 3"},
      {{{"tool", "contour"}, {"label", "Bone"}, {"points_mm", {{0, 0, 0}, {9, 9, 0}, {9, 0, 0}, {0, 9, 0}}}}, "intersects itself"},
      {{{"tool", "margin"}, {"label", "Bone"}, {"margin_mm", 5000}}, "larger than the volume"},
      {{{"tool", "threshold"}, {"label", "Bone"}, {"lower", 10}, {"upper", -10}}, "empty threshold range"},
      {{{"tool", "smooth"}, {"label", "Bone"}, {"method", "blur"}, {"radius_mm", 1}}, "must be one of"},
      {{{"tool", "grow"}, {"seeds_ijk", {{0, 0, 0}}}, {"lower", -1024}, {"upper", -500}, {"label", "Bone"},
        {"max_voxels", 1000}}, "leak guard"},
  };
  for (const auto& [op, expected] : bad) {
    auto outcome = applyOperation(*s, op);
    ASSERT_FALSE(outcome) << op.dump();
    EXPECT_NE(outcome.message().find(expected), std::string::npos) << outcome.message();
  }
  EXPECT_EQ(voxelsOf(s->labelmap()), before);
  EXPECT_EQ(s->history().undoSteps().size(), steps);
}

TEST(SemiAutoOps, GrowCommandWritesTheSameRegionAsTheToolAndReportsItsTime) {
  auto dir = test::scratchDir("SemiAutoGrowCli");
  std::string out = (dir / "bone.nii.gz").string();
  std::string output;
  int rc = test::runCommand(std::string(DELINEO_EXE) + " grow " + test::kCraniumInv3 +
                                " --seed-ijk 0,0,0 --seed-ijk 255,255,107 --lower -1024 --upper -500 --connectivity 26"
                                " --label 4 --timing --out " + out,
                            &output);
  ASSERT_EQ(rc, 0) << output;
  EXPECT_TRUE(output.rfind("grow_ms=", 0) == 0 || output.find("\ngrow_ms=") != std::string::npos) << output;
  auto written = io::readLabelmap(out);
  ASSERT_TRUE(written) << written.message();
  tools::RegionGrowParams p;
  p.seeds = {{0, 0, 0}, {255, 255, 107}};
  p.lower = -1024;
  p.upper = -500;
  p.connectivity = 26;
  auto region = tools::growConnectedThreshold(test::headCt(), p);
  ASSERT_TRUE(region);
  std::int64_t differ = 0;
  const tools::VoxelMask mask = region->toMask();
  for (std::int64_t v = 0; v < mask.size(); ++v) differ += (written->voxels()[std::size_t(v)] == 4) != (mask[v] != 0);
  EXPECT_EQ(differ, 0);
  rc = test::runCommand(std::string(DELINEO_EXE) + " grow " + test::kCraniumInv3 +
                            " --seed 9999,0,0 --lower 0 --upper 1 --out " + out, &output);
  EXPECT_NE(rc, 0);
  EXPECT_NE(output.find("outside the volume"), std::string::npos) << output;
}

// Given a grow from the command line, when its labelmap's journal is read, then the grow is
// a journaled step made by the annotator, and the journal alone rebuilds the same labelmap.
TEST(SemiAutoOps, GrowCommandIsAJournaledStepThatReplaysToTheSameLabelmap) {
  auto dir = test::scratchDir("SemiAutoGrowCliJournal");
  const std::string out = (dir / "air.nii.gz").string();
  const std::string exe = std::string(DELINEO_EXE);
  std::string output;
  int rc = test::runCommand(exe + " grow " + test::kCraniumInv3 +
                                " --seed-ijk 0,0,0 --lower -1024 --upper -500 --label 7 --annotator alice --out " + out,
                            &output);
  ASSERT_EQ(rc, 0) << output;
  ASSERT_TRUE(fs::exists(out + ".journal")) << output;

  rc = test::runCommand("(" + exe + " audit --json " + out + " 2>/dev/null)", &output);
  ASSERT_EQ(rc, 0) << output;
  auto trail = json::parse(output);
  std::vector<std::string> actions;
  const json* growStep = nullptr;
  for (const auto& e : trail) {
    actions.push_back(e["action"].get<std::string>() + ":" + e["tool"].get<std::string>());
    if (e["tool"] == "grow") growStep = &e;
  }
  EXPECT_EQ(actions, (std::vector<std::string>{"base:base", "step:label.add", "step:grow", "save:save"})) << output;
  ASSERT_NE(growStep, nullptr) << output;
  EXPECT_EQ((*growStep)["annotator"], "alice");
  EXPECT_EQ((*growStep)["name"].get<std::string>().rfind("Grow · Grow 7 · ", 0), 0u) << output;
  ASSERT_EQ((*growStep)["labels"].size(), 1u) << output;
  EXPECT_EQ((*growStep)["labels"][0]["id"], 7);

  auto written = io::readLabelmap(out);
  ASSERT_TRUE(written) << written.message();
  EXPECT_EQ((*growStep)["labels"][0]["gained"].get<std::int64_t>(), written->histogram()[7]);
  const std::string replayed = (dir / "replayed.nii.gz").string();
  rc = test::runCommand(exe + " replay " + out + ".journal --volume " + test::kCraniumInv3 + " --out " + replayed,
                        &output);
  ASSERT_EQ(rc, 0) << output;
  auto again = io::readLabelmap(replayed);
  ASSERT_TRUE(again) << again.message();
  EXPECT_EQ(voxelsOf(*again), voxelsOf(*written));
  ASSERT_NE(again->labels().find(7), nullptr);
  EXPECT_EQ(again->labels().find(7)->name, "Grow 7");
}

// Given a labelmap with a label, when grown --into it, then its label stays, the grow is added
// as a step after the steps already journaled, and the journal follows the result to --out.
TEST(SemiAutoOps, GrowCommandIntoALabelmapContinuesItsJournal) {
  auto dir = test::scratchDir("SemiAutoGrowCliInto");
  const std::string exe = std::string(DELINEO_EXE);
  const std::string first = (dir / "first.nii.gz").string(), second = (dir / "second.nii.gz").string();
  std::string output;
  int rc = test::runCommand(exe + " grow " + test::kCraniumInv3 +
                                " --seed-ijk 0,0,0 --lower -1024 --upper -500 --label 2 --out " + first, &output);
  ASSERT_EQ(rc, 0) << output;
  auto before = io::readLabelmap(first);
  ASSERT_TRUE(before) << before.message();
  rc = test::runCommand(exe + " grow " + test::kCraniumInv3 + " --seed-ijk 128,128,54 --lower -100 --upper 200 --label 3" +
                            " --into " + first + " --out " + second, &output);
  ASSERT_EQ(rc, 0) << output;
  auto after = io::readLabelmap(second);
  ASSERT_TRUE(after) << after.message();
  EXPECT_EQ(after->histogram()[2], before->histogram()[2]);
  EXPECT_GT(after->histogram()[3], 100000);
  ASSERT_TRUE(fs::exists(second + ".journal"));
  rc = test::runCommand("(" + exe + " audit --csv " + second + " 2>/dev/null)", &output);
  ASSERT_EQ(rc, 0) << output;
  EXPECT_LT(output.find(",grow,\"Grow · Grow 2"), output.find(",grow,\"Grow · Grow 3")) << output;
  EXPECT_NE(output.find(",grow,\"Grow · Grow 3"), std::string::npos) << output;
}

// Given an existing labelmap at --out, when grown without --into, then the result is a new
// labelmap (as before journaling) and the old journal is kept aside, never replayed or lost.
TEST(SemiAutoOps, GrowCommandWithoutIntoStartsANewLabelmap) {
  auto dir = test::scratchDir("SemiAutoGrowCliNew");
  const std::string exe = std::string(DELINEO_EXE);
  const std::string out = (dir / "seg.nii.gz").string();
  std::string output;
  const std::string air = exe + " grow " + test::kCraniumInv3 + " --seed-ijk 0,0,0 --lower -1024 --upper -500 --label 2";
  ASSERT_EQ(test::runCommand(air + " --out " + out, &output), 0) << output;
  ASSERT_EQ(test::runCommand(exe + " grow " + test::kCraniumInv3 +
                                 " --seed-ijk 128,128,54 --lower -100 --upper 200 --label 3 --out " + out, &output), 0)
      << output;
  auto written = io::readLabelmap(out);
  ASSERT_TRUE(written) << written.message();
  EXPECT_EQ(written->histogram()[2], 0);
  EXPECT_GT(written->histogram()[3], 100000);
  EXPECT_EQ(written->labels().find(2), nullptr);
  int aside = 0;
  for (const auto& e : fs::directory_iterator(dir))
    aside += e.path().filename().string().rfind("seg.nii.gz.journal.orphaned-", 0) == 0;
  EXPECT_EQ(aside, 1);

  // A failed grow (the leak guard) writes nothing and leaves the labelmap as it was.
  const std::string leaky = (dir / "leaky.nii.gz").string();
  int rc = test::runCommand(air + " --max-voxels 1000 --out " + leaky, &output);
  EXPECT_NE(rc, 0);
  EXPECT_NE(output.find("leak guard"), std::string::npos) << output;
  EXPECT_FALSE(fs::exists(leaky));
  EXPECT_FALSE(fs::exists(leaky + ".journal")) << "a failed new document keeps no journal";
}

}  // namespace
}  // namespace delineo::app
