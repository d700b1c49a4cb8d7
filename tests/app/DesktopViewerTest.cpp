// The desktop viewer, run as a user would (`delineo view` in an Xvfb window on lavapipe, with
// the validation layer: any message makes the viewer exit non-zero and fails the test).

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sys/wait.h>

#include <nlohmann/json.hpp>

#include "app/OpsScript.h"
#include "app/Samples.h"
#include "app/Session.h"
#include "app/desktop/SliceViewController.h"
#include "app/desktop/ViewLayout.h"
#include "core/io/ImageIO.h"
#include "renderer/RgbaImage.h"

namespace delineo::test {
namespace {

namespace fs = std::filesystem;

// The window the tests open, and the layout the viewer derives from it: the menu bar is one
// ImGui frame high (13 px font + 2 x 3 px padding).
constexpr int kWidth = 900, kHeight = 600;
app::LayoutMargins margins() {
  app::LayoutMargins m;
  m.top = 19;
  return m;
}

fs::path outputDir(const std::string& test) {
  fs::path dir = fs::path(DELINEO_APP_TEST_DIR) / test;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

int runViewer(const std::string& args, const fs::path& dir, std::string* log) {
  std::string cmd = std::string(DELINEO_EXE) + " view --validate --size " + std::to_string(kWidth) + "x" +
                    std::to_string(kHeight) + " " + args + " > " + (dir / "log.txt").string() + " 2>&1";
  int rc = std::system(cmd.c_str());
  std::ifstream in(dir / "log.txt");
  log->assign(std::istreambuf_iterator<char>(in), {});
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

struct Probe {
  double nonBackground = 0;  // fraction of pixels that are not the black background
  double bright = 0;         // fraction of bright (bone-like) pixels
  double warm = 0;           // fraction of pixels clearly redder than blue (shaded bone in 3D)
};

// Pixels of a view's rectangle, inset to skip its name and the crosshair ends.
Probe probe(const renderer::RgbaImage& image, const app::Rect& r) {
  Probe p;
  int n = 0;
  for (int y = r.y + r.height / 8; y < r.y + r.height * 7 / 8; y += 2)
    for (int x = r.x + r.width / 8; x < r.x + r.width * 7 / 8; x += 2) {
      auto c = image.at(x, y);
      int sum = c[0] + c[1] + c[2];
      ++n;
      if (sum > 60) p.nonBackground += 1;
      if (sum > 3 * 170) p.bright += 1;
      if (c[0] > c[2] + 30) p.warm += 1;
    }
  p.nonBackground /= n;
  p.bright /= n;
  p.warm /= n;
  return p;
}

TEST(DesktopViewer, StartsOnTheHeadCtAndShowsItInThe3DViewAndEverySliceView) {
  fs::path dir = outputDir("screenshot");
  std::string log;
  int rc = runViewer("--labels " + (dir / "labels.nii.gz").string() + " --frames 2 --screenshot " +
                         (dir / "four-up.png").string(),
                     dir, &log);
  ASSERT_EQ(rc, 0) << log;
  auto image = renderer::readPng((dir / "four-up.png").string());
  ASSERT_TRUE(image) << image.message();
  ASSERT_EQ(image->width, kWidth);
  ASSERT_EQ(image->height, kHeight);

  app::ViewLayout layout;
  layout.update(app::LayoutKind::FourUp, kWidth, kHeight, margins());
  Probe volume = probe(*image, *layout.rect(app::ViewId::Volume3D));
  // The skull, shaded in the bone preset's warm colours, fills a good part of the 3D view.
  EXPECT_GT(volume.nonBackground, 0.10) << "3D view";
  EXPECT_GT(volume.warm, 0.05) << "3D view";
  for (app::ViewId id : {app::ViewId::Axial, app::ViewId::Sagittal, app::ViewId::Coronal}) {
    Probe slice = probe(*image, *layout.rect(id));
    // A head cut through its middle: mostly tissue (grey), with a bright rim of bone.
    EXPECT_GT(slice.nonBackground, 0.35) << app::viewName(id);
    EXPECT_GT(slice.bright, 0.01) << app::viewName(id);
  }
}

// Given the head CT in the viewer, when a script paints a stroke on the axial view with the
// mouse, grows the skull from a seed, undoes, redoes and saves with the keyboard, then the
// saved labelmap equals the same edits made through the Session directly.
TEST(DesktopViewer, ScriptedPaintGrowUndoRedoSaveGivesTheExpectedLabelmap) {
  fs::path dir = outputDir("scripted");
  auto image = app::loadSample("ct");
  ASSERT_TRUE(image) << image.message();
  const core::Geometry& g = image->volume.geometry();

  // A bone voxel on the middle axial slice, found by walking from the front of the head.
  std::array<std::int64_t, 3> seed{g.dims[0] / 2, 0, g.dims[2] / 2};
  while (seed[1] < g.dims[1] && image->volume.valueAt(seed[0], seed[1], seed[2]) < 600) ++seed[1];
  ASSERT_LT(seed[1], g.dims[1]);

  const nlohmann::json addLabel = {{"tool", "label.add"}, {"name", "Lesion"}};
  const nlohmann::json grow = {{"tool", "grow"}, {"seeds_ijk", {{seed[0], seed[1], seed[2]}}},
                               {"lower", 300}, {"upper", 3000}, {"label", "Lesion"}};
  std::ofstream script(dir / "edit.jsonl");
  script << addLabel.dump() << "\n"
         << R"({"ui":"tool","name":"brush"})" << "\n"
         << R"({"ui":"key","key":"3"})" << "\n"
         << R"({"ui":"radius","mm":5})" << "\n"
         << R"({"ui":"stroke","view":"axial","from":[0.35,0.55],"to":[0.65,0.55],"steps":8})" << "\n"
         << grow.dump() << "\n"
         << R"({"ui":"key","key":"ctrl+z"})" << "\n"
         << R"({"ui":"key","key":"ctrl+y"})" << "\n"
         << R"({"ui":"key","key":"ctrl+s"})" << "\n";
  script.close();
  std::string log;
  fs::path saved = dir / "labels.nii.gz";
  int rc = runViewer("--labels " + saved.string() + " --script " + (dir / "edit.jsonl").string() + " --frames 1 --screenshot " +
                         (dir / "after.png").string(),
                     dir, &log);
  ASSERT_EQ(rc, 0) << log;
  ASSERT_TRUE(fs::exists(saved)) << log;

  // The same edits through the Session: the stroke's points are where the viewer maps the
  // script's view fractions (the axial slice through the volume's centre).
  app::ViewLayout layout;
  layout.update(app::LayoutKind::FourUp, kWidth, kHeight, margins());
  app::Rect axial = *layout.rect(app::ViewId::Axial);
  app::SliceViewController slice(renderer::SliceOrientation::Axial);
  core::Vec3 centre = g.ijkToPatient({double(g.dims[0] - 1) / 2, double(g.dims[1] - 1) / 2, double(g.dims[2] - 1) / 2});
  slice.update(g, centre, layout.viewWidth(), layout.viewHeight());
  nlohmann::json stroke = {{"tool", "brush"}, {"radius_mm", 5}, {"label", 3}, {"shape", "disk"},
                           {"points_mm", nlohmann::json::array()}};
  core::Vec3 n = slice.normal();
  stroke["normal"] = {n.x, n.y, n.z};
  for (int s = 0; s <= 8; ++s) {
    double fx = 0.35 + 0.30 * s / 8;
    core::Vec3 p = slice.pixelToMm(fx * axial.width, 0.55 * axial.height);
    stroke["points_mm"].push_back({p.x, p.y, p.z});
  }
  auto expected = app::Session::open(std::move(image).value(), (dir / "expected.nii.gz").string());
  ASSERT_TRUE(expected) << expected.message();
  for (const auto& op : {addLabel, stroke, grow}) {
    auto r = app::applyOperation(*expected, op);
    ASSERT_TRUE(r) << r.message();
    EXPECT_TRUE(r->changed) << op.dump();
  }

  auto actual = io::readLabelmap(saved.string());
  ASSERT_TRUE(actual) << actual.message();
  auto want = expected->labelmap().voxels();
  auto got = actual->voxels();
  ASSERT_EQ(got.size(), want.size());
  std::int64_t differ = 0, painted = 0;
  for (size_t i = 0; i < want.size(); ++i) {
    differ += got[i] != want[i];
    painted += want[i] == 3;
  }
  EXPECT_GT(painted, 1000);
  EXPECT_EQ(differ, 0) << "voxels that differ from the expected labelmap";
  ASSERT_NE(actual->labels().findByName("Lesion"), nullptr);
}

// Resizing, minimising and restoring the window are states of the swapchain, not errors: the
// viewer keeps going and the validation layer stays silent.
TEST(DesktopViewer, SurvivesResizeMinimiseAndRestoreWithoutValidationMessages) {
  fs::path dir = outputDir("resize");
  std::ofstream script(dir / "resize.jsonl");
  script << R"({"ui":"resize","size":[640,420]})" << "\n"
         << R"({"ui":"wait","frames":2})" << "\n"
         << R"({"ui":"layout","name":"axial"})" << "\n"
         << R"({"ui":"resize","size":[1000,700]})" << "\n"
         << R"({"ui":"wait","frames":2})" << "\n"
         << R"({"ui":"minimize"})" << "\n"
         << R"({"ui":"wait","frames":3})" << "\n"
         << R"({"ui":"restore"})" << "\n"
         << R"({"ui":"layout","name":"four-up"})" << "\n"
         << R"({"ui":"wait","frames":2})" << "\n";
  script.close();
  std::string log;
  int rc = runViewer("--labels " + (dir / "labels.nii.gz").string() + " --script " + (dir / "resize.jsonl").string() +
                         " --frames 2 --screenshot " + (dir / "after.png").string(),
                     dir, &log);
  ASSERT_EQ(rc, 0) << log;
  auto image = renderer::readPng((dir / "after.png").string());
  ASSERT_TRUE(image) << image.message();
  EXPECT_EQ(image->width, 1000);
  EXPECT_EQ(image->height, 700);
}

// Given a campaign whose first case alice already submitted, when alice opens the viewer on the
// campaign, then the second case opens with the campaign's labels, and a save writes its
// labelmap where the campaign's layout says.
TEST(DesktopViewer, CampaignOpensTheAnnotatorsNextCaseAndSavesIntoTheLayout) {
  fs::path dir = outputDir("campaign");
  core::Geometry g;
  g.dims = {40, 40, 24};
  g.spacingMm = {1, 1, 2};
  core::Volume volume(g, core::ScalarType::Int16);
  auto voxels = volume.voxels<std::int16_t>();
  for (std::size_t n = 0; n < voxels.size(); ++n) voxels[n] = static_cast<std::int16_t>(n % 400);
  ASSERT_TRUE(io::writeVolume(volume, (dir / "ct.nrrd").string()).ok());
  core::Labelmap done(g);
  core::Label liver;
  liver.id = 1;
  liver.name = "Liver";
  liver.rgba = {200, 100, 80, 255};
  liver.review = {core::Review::State::Submitted, "alice", ""};
  ASSERT_TRUE(done.labels().set(liver).ok());
  fs::create_directories(dir / "case-1");
  ASSERT_TRUE(io::writeLabelmap(done, (dir / "case-1" / "alice.seg.nrrd").string()).ok());
  nlohmann::json campaign{{"name", "Liver pilot"},
                          {"labels", {{{"id", 1}, {"name", "Liver"}, {"rgba", {200, 100, 80, 255}}}}},
                          {"annotators", {"alice"}},
                          {"layout", "{case}/{annotator}.seg.nrrd"},
                          {"cases",
                           {{{"id", "case-1"}, {"volume", "ct.nrrd"}, {"assignees", {"alice"}}},
                            {{"id", "case-2"}, {"volume", "ct.nrrd"}, {"assignees", {"alice"}}}}}};
  std::ofstream(dir / "campaign.json") << campaign.dump(2);
  std::ofstream script(dir / "edit.jsonl");
  script << R"({"tool":"brush","center_mm":[20,20,24],"radius_mm":4,"label":"Liver"})" << "\n"
         << R"({"ui":"save"})" << "\n";
  script.close();

  std::string log;
  int rc = runViewer("--campaign " + (dir / "campaign.json").string() + " --annotator alice --script " +
                         (dir / "edit.jsonl").string() + " --frames 2",
                     dir, &log);
  ASSERT_EQ(rc, 0) << log;
  EXPECT_NE(log.find("case case-2 for alice"), std::string::npos) << log;
  auto saved = io::readLabelmap((dir / "case-2" / "alice.seg.nrrd").string());
  ASSERT_TRUE(saved.ok()) << saved.message() << "\n" << log;
  ASSERT_NE(saved->labels().find(1), nullptr);
  EXPECT_EQ(saved->labels().find(1)->name, "Liver");
  EXPECT_GT(saved->histogram()[1], 0);
}

TEST(DesktopViewer, WithoutADisplayExitsWithOneClearLine) {
  fs::path dir = outputDir("nodisplay");
  std::string cmd = "env -u DISPLAY -u WAYLAND_DISPLAY " + std::string(DELINEO_EXE) + " view > " +
                    (dir / "log.txt").string() + " 2>&1";
  int rc = std::system(cmd.c_str());
  std::ifstream in(dir / "log.txt");
  std::string log((std::istreambuf_iterator<char>(in)), {});
  EXPECT_NE(WEXITSTATUS(rc), 0);
  EXPECT_NE(log.find("no display"), std::string::npos) << log;
  EXPECT_EQ(std::count(log.begin(), log.end(), '\n'), 1) << log;
}

}  // namespace
}  // namespace delineo::test
