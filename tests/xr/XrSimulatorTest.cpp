// The XR scene end to end through `delineo vr --simulate`, driven by scripted head and hand
// input (the code path from controller input to a committed edit is the one a headset uses),
// with the Vulkan validation layer on: any validation message fails the run (exit code 3).
// The labelmap is read back by reopening the session, i.e. from what the journal kept.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "app/Session.h"
#include "app/xr/SimulatedEyes.h"
#include "app/xr/VolumeManipulator.h"
#include "app/xr/XrInteraction.h"
#include "app/xr/XrPanel.h"
#include "core/io/ImageIO.h"
#include "renderer/RgbaImage.h"
#include "tools/Brush.h"
#include "tools/Contour.h"

namespace fs = std::filesystem;
using namespace delineo;
using namespace delineo::app::xr;
using nlohmann::json;

namespace {

const std::string kCt = "/usr/share/doc/invesalius-examples/examples/Cranium.inv3";
constexpr double kPi = 3.14159265358979323846;
constexpr double kTip = 0.05;  // InteractionOptions::tipOffsetM
constexpr int kEyeW = 200, kEyeH = 220;

fs::path scratch(const std::string& name) {
  fs::path p = fs::path(DELINEO_XR_TEST_OUTPUT) / name;
  fs::remove_all(p);
  fs::create_directories(p);
  return p;
}

int run(const std::string& command, std::string* output) {
  std::string full = command + " 2>&1";
  FILE* pipe = popen(full.c_str(), "r");
  if (!pipe) return -1;
  char buffer[4096];
  output->clear();
  while (size_t n = fread(buffer, 1, sizeof(buffer), pipe)) output->append(buffer, n);
  int status = pclose(pipe);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

json hand(Vec3 p, double yawDeg = 0) { return {{"p", {p.x, p.y, p.z}}, {"yaw_deg", yawDeg}}; }
json hand(Vec3 p, Quat q) { return {{"p", {p.x, p.y, p.z}}, {"q", {q.x, q.y, q.z, q.w}}}; }

struct Script {
  std::vector<json> lines;
  void add(json j) { lines.push_back(std::move(j)); }
  std::string write(const fs::path& dir) const {
    std::string path = (dir / "input.jsonl").string();
    std::ofstream out(path);
    for (const auto& l : lines) out << l.dump() << "\n";
    return path;
  }
};

// Runs the simulator on the CT sample; returns the exit code and fills `output`.
int simulate(const fs::path& dir, const Script& script, const std::string& extra, std::string* output,
             const std::string& eyeSize = std::to_string(kEyeW) + "x" + std::to_string(kEyeH)) {
  std::string cmd = std::string(DELINEO_EXE) + " vr " + kCt + " --simulate --validate --labels " +
                    (dir / "labels.nii.gz").string() + " --input " + script.write(dir) + " --eye-size " + eyeSize +
                    " --screenshot " +
                    (dir / "eye.png").string() + " " + extra;
  return run(cmd, output);
}

core::Labelmap reopen(const fs::path& dir) {
  auto image = io::readImage(kCt);
  EXPECT_TRUE(image) << image.message();
  auto session = app::Session::open(std::move(image).value(), (dir / "labels.nii.gz").string());
  EXPECT_TRUE(session) << session.message();
  return session->labelmap();
}

core::Labelmap initialLabels(const fs::path& dir) {
  auto image = io::readImage(kCt);
  auto session = app::Session::open(std::move(image).value(), (dir / "fresh.nii.gz").string());
  return session->labelmap();
}

std::int64_t differing(const core::Labelmap& a, const core::Labelmap& b) {
  std::int64_t n = 0;
  for (size_t i = 0; i < a.voxels().size(); ++i) n += a.voxels()[i] != b.voxels()[i];
  return n;
}

// Pixels of the screenshot that are not the scene's background.
int foreground(const renderer::RgbaImage& image) {
  int n = 0;
  for (int y = 0; y < image.height; ++y)
    for (int x = 0; x < image.width; ++x) {
      auto p = image.at(x, y);
      n += std::abs(p[0] - 20) + std::abs(p[1] - 20) + std::abs(p[2] - 26) > 24;
    }
  return n;
}

// Where a world point lands in the left eye's image (the simulator's asymmetric frustum).
std::pair<double, double> projectLeft(const Pose& head, Vec3 world, int width, int height) {
  EyeView eye = simulatedEyes(head)[0];
  Vec3 d = eye.pose.orientation.conjugate().rotate(world - eye.pose.position);
  double tx = d.x / -d.z, ty = d.y / -d.z;
  return {(tx - eye.tanLeft) / (eye.tanRight - eye.tanLeft) * width, (eye.tanUp - ty) / (eye.tanUp - eye.tanDown) * height};
}

const Pose kHead{{0, 1.6, 0}, {}};
const Vec3 kLeftRest{-0.2, 1.3, -0.3};
const Vec3 kRightRest{0.2, 1.3, -0.3};

// The panel starts hidden in these scripts (the left menu button) unless a test clicks it.
void hidePanel(Script& s) {
  s.add({{"left", {{"menu", true}}}});
  s.add({{"left", {{"menu", false}}}});
}

}  // namespace

TEST(XrSimulator, WithoutARuntimeVrExitsNonZeroWithOneLine) {
  std::string out;
  int code = run(std::string("env -u XR_RUNTIME_JSON XDG_CONFIG_HOME=/nonexistent ") + DELINEO_EXE + " vr " + kCt, &out);
  EXPECT_NE(code, 0);
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 1) << out;
  EXPECT_NE(out.find("no OpenXR runtime"), std::string::npos) << out;
  EXPECT_NE(out.find("XR_ERROR_RUNTIME_UNAVAILABLE"), std::string::npos) << out;
  EXPECT_NE(out.find("--simulate"), std::string::npos) << out;
}

// Options the headset path cannot honour are refused in one line naming the option, before the
// runtime is looked for: the user learns about the option, not about a missing headset.
TEST(XrSimulator, HeadsetRefusesSimulatorOnlyOptionsBeforeLookingForARuntime) {
  const std::string vr = std::string("env -u XR_RUNTIME_JSON XDG_CONFIG_HOME=/nonexistent ") + DELINEO_EXE + " vr " + kCt;
  for (const std::string option : {"--gpu 0", "--eye-size 640x480"}) {
    std::string out;
    int code = run(vr + " " + option, &out);
    EXPECT_EQ(code, 1) << option;
    EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 1) << out;
    EXPECT_NE(out.find(option.substr(0, option.find(' ')) + " applies to the simulator"), std::string::npos) << out;
    EXPECT_EQ(out.find("no OpenXR runtime"), std::string::npos) << out;
  }
}

// --screenshot, --timing and --adaptive apply to a headset too: without a runtime, the one
// line is still the missing runtime.
TEST(XrSimulator, HeadsetAcceptsScreenshotTimingAndAdaptive) {
  const fs::path shot = scratch("headset-options") / "eye.png";
  std::string out;
  int code = run(std::string("env -u XR_RUNTIME_JSON XDG_CONFIG_HOME=/nonexistent ") + DELINEO_EXE + " vr " + kCt +
                     " --screenshot " + shot.string() + " --timing --adaptive",
                 &out);
  EXPECT_EQ(code, 1);
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 1) << out;
  EXPECT_NE(out.find("no OpenXR runtime"), std::string::npos) << out;
  EXPECT_FALSE(fs::exists(shot));
}

// Given the CT floating in front of the viewer, when the left hand grabs it, moves it and turns
// it 30 degrees, the right hand paints a stroke, and the other hand undoes and redoes it, then
// the journaled labelmap equals the brush swept along the same tip path in patient space, and
// the mirror window's screenshot shows both the volume and the cursor.
TEST(XrSimulator, GrabTurnPaintUndoRedoMatchesTheBrushOnTheSamePath) {
  fs::path dir = scratch("paint");
  auto image = io::readImage(kCt);
  ASSERT_TRUE(image) << image.message();
  const core::Geometry geometry = image->volume.geometry();
  VolumePlacement placement = defaultPlacement(geometry, kHead);

  Script s;
  s.add({{"head", {{"p", {0, 1.6, 0}}}}, {"left", hand(kLeftRest)}, {"right", hand(kRightRest)}, {"frames", 2}});
  hidePanel(s);
  // Grab with the left grip, carry 5 cm to the right while turning 30 degrees, release.
  const Vec3 move{0.05, 0, 0};
  const double turnDeg = 30;
  s.add({{"left", {{"squeeze", 1}}}});
  for (int i = 1; i <= 6; ++i)
    s.add({{"left", hand(kLeftRest + move * (i / 6.0), turnDeg * i / 6.0)}});
  s.add({{"left", {{"squeeze", 0}}}});
  // Expected placement: the rigid motion of the hand about its own position.
  Quat turn = Quat::axisAngle({0, 1, 0}, turnDeg * kPi / 180);
  VolumePlacement moved = placement;
  moved.pose.position = kLeftRest + move + turn.rotate(placement.pose.position - kLeftRest);
  moved.pose.orientation = (turn * placement.pose.orientation).normalized();

  // Paint: the tip sweeps 10 cm across the volume's centre line in 8 frames.
  std::vector<Vec3> tips;
  Vec3 centre = moved.pose.position;
  for (int i = 0; i <= 8; ++i) tips.push_back(centre + Vec3{-0.05 + 0.1 * i / 8.0, 0.02, 0.0});
  s.add({{"right", hand(tips[0] + Vec3{0, 0, kTip})}});
  s.add({{"right", {{"trigger", 1}}}});
  for (int i = 1; i <= 8; ++i) s.add({{"right", hand(tips[i] + Vec3{0, 0, kTip})}});
  s.add({{"right", {{"trigger", 0}}}});
  // Undo (X) and redo (Y) on the other hand.
  s.add({{"left", {{"a", true}}}});
  s.add({{"left", {{"a", false}}}});
  s.add({{"left", {{"b", true}}}});
  s.add({{"left", {{"b", false}}}});
  // Rest the cursor beside the volume for the screenshot, the controller pointing up from
  // below so that its body hides no part of the cursor's upper half.
  Vec3 cursorAt = kHead.position + Vec3{0.12, -0.02, -0.22};  // clear of the skull
  s.add({{"right", {{"p", {cursorAt.x, cursorAt.y - kTip, cursorAt.z}}, {"pitch_deg", 90}}}, {"frames", 2}});

  std::string out;
  ASSERT_EQ(simulate(dir, s, "--mirror", &out, "320x352"), 0) << out;

  core::Labelmap expected = initialLabels(dir);
  {
    tools::LabelEdit edit(expected, &image->volume, tools::PaintRule{});
    std::vector<Vec3> pathMm;
    for (Vec3 t : tips) pathMm.push_back(moved.patientFromWorld(t));
    tools::BrushParams brush;
    brush.radiusMm = 5;
    brush.label = 1;
    EXPECT_GT(tools::paintStroke(edit, pathMm, brush), 1000);
    edit.finish();
  }
  core::Labelmap actual = reopen(dir);
  EXPECT_EQ(differing(actual, expected), 0) << out;

  auto shot = renderer::readPng((dir / "eye.png").string());
  ASSERT_TRUE(shot) << shot.message();
  // The volume: its centre projects onto a lit (non-background) pixel.
  auto [vx, vy] = projectLeft(kHead, centre, shot->width, shot->height);
  auto v = shot->at(int(vx), int(vy));
  EXPECT_GT(std::abs(v[0] - 20) + std::abs(v[1] - 20) + std::abs(v[2] - 26), 40) << "volume centre " << vx << "," << vy;
  // The cursor: its silhouette ring shows the label's colour.
  auto [cx, cy] = projectLeft(kHead, cursorAt, shot->width, shot->height);
  auto [ex, ey] = projectLeft(kHead, cursorAt + Vec3{5 * moved.metresPerMm, 0, 0}, shot->width, shot->height);
  double ring = std::hypot(ex - cx, ey - cy);
  ASSERT_GT(ring, 2.0);
  const auto rgba = actual.labels().find(1)->rgba;
  int matching = 0;
  for (int a = 0; a < 32; ++a) {  // upper half, near the silhouette where the shell is brightest
    double angle = kPi + a * kPi / 31, radius = (a % 2 ? 0.8 : 0.92) * ring;
    int x = int(std::lround(cx + radius * std::cos(angle))), y = int(std::lround(cy + radius * std::sin(angle)));
    if (x < 0 || y < 0 || x >= shot->width || y >= shot->height) continue;
    auto p = shot->at(x, y);
    // The translucent shell blends the label colour over the background: the pixel lies on the
    // line from the background towards the label colour.
    Vec3 seen{p[0] - 20.0, p[1] - 20.0, p[2] - 26.0}, label{rgba[0] - 20.0, rgba[1] - 20.0, rgba[2] - 26.0};
    double lengths = core::length(seen) * core::length(label);
    matching += core::length(seen) > 30 && core::dot(seen, label) / lengths > 0.97;
  }
  EXPECT_GE(matching, 16) << "cursor at " << cx << "," << cy << " radius " << ring;
}

// Undo without redo leaves the labelmap as it was: the undo really reverted the stroke.
TEST(XrSimulator, UndoAloneRevertsTheStroke) {
  fs::path dir = scratch("undo");
  auto image = io::readImage(kCt);
  VolumePlacement placement = defaultPlacement(image->volume.geometry(), kHead);
  Script s;
  s.add({{"left", hand(kLeftRest)}, {"right", hand(placement.pose.position + Vec3{0, 0, kTip})}});
  hidePanel(s);
  s.add({{"right", {{"trigger", 1}}}});
  s.add({{"right", hand(placement.pose.position + Vec3{0.03, 0, kTip})}});
  s.add({{"right", {{"trigger", 0}}}});
  s.add({{"left", {{"a", true}}}});
  s.add({{"left", {{"a", false}}}});
  std::string out;
  ASSERT_EQ(simulate(dir, s, "", &out), 0) << out;
  EXPECT_NE(out.find("Undone"), std::string::npos) << out;  // a committed stroke was undone
  EXPECT_EQ(differing(reopen(dir), initialLabels(dir)), 0);
}

// Two grips pulled apart to twice their distance: the volume covers clearly more of the view.
TEST(XrSimulator, TwoHandScalingEnlargesTheVolume) {
  auto image = io::readImage(kCt);
  const Vec3 centre = defaultPlacement(image->volume.geometry(), kHead).pose.position;
  auto pixels = [&](bool scale) {
    fs::path dir = scratch(scale ? "scaled" : "unscaled");
    Script s;
    // Grips either side of the volume's centre: the centre stays put while the size doubles.
    Vec3 l = centre - Vec3{0.08, 0, 0}, r = centre + Vec3{0.08, 0, 0};
    s.add({{"left", hand(l)}, {"right", hand(r)}});
    hidePanel(s);
    if (scale) {
      s.add({{"left", {{"squeeze", 1}}}, {"right", {{"squeeze", 1}}}});
      for (int i = 1; i <= 6; ++i)
        s.add({{"left", hand(l + Vec3{-0.08 * i / 6.0, 0, 0})}, {"right", hand(r + Vec3{0.08 * i / 6.0, 0, 0})}});
      s.add({{"left", {{"squeeze", 0}}}, {"right", {{"squeeze", 0}}}});
    }
    s.add({{"left", {{"tracked", false}}}, {"right", {{"tracked", false}}}, {"frames", 2}});
    std::string out;
    EXPECT_EQ(simulate(dir, s, "", &out), 0) << out;
    auto shot = renderer::readPng((dir / "eye.png").string());
    return shot ? foreground(*shot) : 0;
  };
  int before = pixels(false), after = pixels(true);
  EXPECT_GT(before, 500);
  EXPECT_GT(after, before * 5 / 2) << before << " -> " << after;  // twice the size: ~4x the area
}

// The left hand's plane through the volume's centre, pointing away: the far half is cut away,
// and seen from the front the part left is a cut face, so less of the skull's surface shows.
TEST(XrSimulator, HandheldClipPlaneCutsTheVolume) {
  auto image = io::readImage(kCt);
  VolumePlacement placement = defaultPlacement(image->volume.geometry(), kHead);
  auto shotOf = [&](bool clip) {
    fs::path dir = scratch(clip ? "clipped" : "unclipped");
    Script s;
    // Pointing down (-y): cuts away everything below the centre.
    s.add({{"left", {{"p", {placement.pose.position.x, placement.pose.position.y, placement.pose.position.z}},
                     {"pitch_deg", -90}}},
           {"right", {{"tracked", false}}}});
    hidePanel(s);
    if (clip) {
      s.add({{"left", {{"trigger", 1}}}});
      s.add({{"left", {{"trigger", 0}}}});
    }
    s.add({{"frames", 2}});
    std::string out;
    EXPECT_EQ(simulate(dir, s, "", &out), 0) << out;
    auto shot = renderer::readPng((dir / "eye.png").string());
    return shot ? std::move(shot).value() : renderer::RgbaImage{};
  };
  auto full = shotOf(false), cut = shotOf(true);
  ASSERT_GT(full.width, 0);
  ASSERT_GT(cut.width, 0);
  // Below the centre (where the plane cut) the clipped view shows mostly background.
  auto [cx, cy] = projectLeft(kHead, placement.pose.position + Vec3{0, -0.08, 0}, full.width, full.height);
  int fullLit = 0, cutLit = 0;
  for (int dy = -6; dy <= 6; ++dy)
    for (int dx = -20; dx <= 20; ++dx) {
      int x = int(cx) + dx, y = int(cy) + dy;
      auto lit = [&](const renderer::RgbaImage& im) {
        auto p = im.at(x, y);
        return std::abs(p[0] - 20) + std::abs(p[1] - 20) + std::abs(p[2] - 26) > 24;
      };
      fullLit += lit(full);
      cutLit += lit(cut);
    }
  EXPECT_GT(fullLit, 200);
  EXPECT_LT(cutLit, fullLit / 4) << fullLit << " -> " << cutLit;
}

// Pointing the right hand's ray at the panel's "Undo" button and pulling the trigger undoes the
// stroke just painted: the panel is clicked through the same input as the tools.
TEST(XrSimulator, PanelUndoButtonClickedWithTheRayUndoes) {
  fs::path dir = scratch("panel");
  auto image = io::readImage(kCt);
  VolumePlacement placement = defaultPlacement(image->volume.geometry(), kHead);
  Script s;
  s.add({{"left", hand(kLeftRest)}, {"right", hand(placement.pose.position + Vec3{0, 0, kTip})}});
  s.add({{"right", {{"trigger", 1}}}});
  s.add({{"right", hand(placement.pose.position + Vec3{0.03, 0, kTip})}});
  s.add({{"right", {{"trigger", 0}}}});
  auto [u, v] = XrPanel::buttonUv(PanelButton::Undo);
  s.add({{"right", {{"p", {0.1, 1.35, -0.25}}, {"point_at_panel", {u, v}}}}, {"frames", 2}});
  s.add({{"right", {{"trigger", 1}}}, {"frames", 2}});
  s.add({{"right", {{"trigger", 0}}}, {"frames", 2}});
  std::string out;
  ASSERT_EQ(simulate(dir, s, "", &out), 0) << out;
  EXPECT_NE(out.find("Undone"), std::string::npos) << out;  // a committed stroke was undone
  EXPECT_EQ(differing(reopen(dir), initialLabels(dir)), 0) << out;
}

namespace {

// The contour scene: the left hand holds an oblique plane through the volume's centre; the
// right hand's tip visits the corners of a pentagon on that plane, each lifted off the plane
// along its normal by +-1 cm (the tip is projected onto the plane).
struct ContourDrawing {
  VolumePlacement placement;
  Pose planeHand;                 // the left hand's pose as the simulator will have it
  std::vector<Vec3> tipsM;        // where the right hand's tip goes, in order
  std::vector<Vec3> onPlaneMm;    // those tips projected onto the plane, patient mm
};

ContourDrawing contourDrawing(const core::Geometry& geometry) {
  ContourDrawing d;
  d.placement = defaultPlacement(geometry, kHead);
  Quat tilt = (Quat::axisAngle({0, 1, 0}, 20 * kPi / 180) * Quat::axisAngle({1, 0, 0}, 35 * kPi / 180)).normalized();
  // As the script's "q" is read back (normalised again): the same plane to the last bit.
  d.planeHand = {d.placement.pose.position, Quat{tilt.x, tilt.y, tilt.z, tilt.w}.normalized()};
  HeldPlane world = heldPlane(d.planeHand);
  HeldPlane planeMm = patientPlane(world, d.placement);
  const double radiusM = 0.035;
  for (int i = 0; i < 5; ++i) {
    double a = 2 * kPi * i / 5, lift = i % 2 ? 0.01 : -0.01;
    Vec3 tip = world.point + world.u * (radiusM * std::cos(a)) + world.v * (radiusM * std::sin(a)) + world.normal * lift;
    d.tipsM.push_back(tip);
  }
  for (Vec3 tip : d.tipsM) d.onPlaneMm.push_back(projectOntoPlane(planeMm, d.placement.patientFromWorld(tip)));
  return d;
}

// Selects the contour tool with the right A button (Brush -> Erase -> Grow -> Contour), takes
// the plane in the left hand and draws through the tips with the trigger held; `release`:
// lets go (the contour is filled).
void drawContour(Script& s, const ContourDrawing& d, bool release) {
  s.add({{"head", {{"p", {0, 1.6, 0}}}}, {"left", hand(kLeftRest)}, {"right", hand(kRightRest)}});
  hidePanel(s);
  for (int i = 0; i < 3; ++i) {
    s.add({{"right", {{"a", true}}}});
    s.add({{"right", {{"a", false}}}});
  }
  Quat q = d.planeHand.orientation;
  s.add({{"left", hand(d.planeHand.position, q)}, {"right", hand(d.tipsM[0] + Vec3{0, 0, kTip})}});
  s.add({{"right", {{"trigger", 1}}}});
  for (size_t i = 1; i < d.tipsM.size(); ++i) s.add({{"right", hand(d.tipsM[i] + Vec3{0, 0, kTip})}});
  if (release) s.add({{"right", {{"trigger", 0}}}});
}

}  // namespace

// Given the CT and the contour tool, when the left hand holds an oblique plane and the right
// hand's tip traces a pentagon off the plane with the trigger held, then on release the
// journaled labelmap equals the contour fill of the tip path projected onto the plane (the
// `apply` tool's fill); undo removes it and redo restores it; a click that draws no outline
// says so and changes nothing.
TEST(XrSimulator, ContourOnAHeldPlaneFillsTheProjectedPolygonUndoably) {
  fs::path dir = scratch("contour");
  auto image = io::readImage(kCt);
  ASSERT_TRUE(image) << image.message();
  ContourDrawing d = contourDrawing(image->volume.geometry());

  Script s;
  drawContour(s, d, true);
  s.add({{"left", {{"a", true}}}});  // undo
  s.add({{"left", {{"a", false}}}});
  s.add({{"left", {{"b", true}}}});  // redo
  s.add({{"left", {{"b", false}}}});
  // A click without drawing: too short to be a contour.
  s.add({{"right", {{"trigger", 1}}}});
  s.add({{"right", {{"trigger", 0}}}});
  std::string out;
  ASSERT_EQ(simulate(dir, s, "", &out), 0) << out;
  EXPECT_NE(out.find("Contour: too short (1 point)"), std::string::npos) << out;

  core::Labelmap expected = initialLabels(dir);
  {
    tools::LabelEdit edit(expected, &image->volume, tools::PaintRule{});
    tools::ContourParams params{d.onPlaneMm, 1, false};
    auto filled = tools::fillContour(edit, params);
    ASSERT_TRUE(filled) << filled.message();
    EXPECT_GT(*filled, 500);  // a real pentagon of voxels, one layer thick
    edit.finish();
  }
  core::Labelmap actual = reopen(dir);
  EXPECT_EQ(differing(actual, expected), 0) << out;

  // Undo alone: back to the labelmap as it was.
  fs::path undoDir = scratch("contour-undo");
  Script u;
  drawContour(u, d, true);
  u.add({{"left", {{"a", true}}}});
  u.add({{"left", {{"a", false}}}});
  ASSERT_EQ(simulate(undoDir, u, "", &out), 0) << out;
  EXPECT_NE(out.find("Undone"), std::string::npos) << out;
  EXPECT_EQ(differing(reopen(undoDir), initialLabels(undoDir)), 0);
}

// While the trigger is held the outline drawn so far shows in the contour colour on the
// translucent plane, in the mirror window's left eye; nothing is filled yet.
TEST(XrSimulator, ContourBeingDrawnShowsOnTheHeldPlane) {
  fs::path dir = scratch("contour-drawing");
  auto image = io::readImage(kCt);
  ASSERT_TRUE(image) << image.message();
  ContourDrawing d = contourDrawing(image->volume.geometry());
  Script s;
  drawContour(s, d, false);
  s.add({{"frames", 2}});
  std::string out;
  ASSERT_EQ(simulate(dir, s, "--mirror", &out, "320x352"), 0) << out;
  EXPECT_EQ(differing(reopen(dir), initialLabels(dir)), 0) << "filled before the trigger was released";

  auto shot = renderer::readPng((dir / "eye.png").string());
  ASSERT_TRUE(shot) << shot.message();
  // Midpoints of the drawn edges (not the closing one): amber (the contour colour, 255,199,0),
  // full or seen through the skull (x-ray), i.e. clearly more red and green than blue.
  int amber = 0, edges = 0;
  for (size_t i = 0; i + 1 < d.onPlaneMm.size(); ++i) {
    Vec3 mid = d.placement.worldFromPatient((d.onPlaneMm[i] + d.onPlaneMm[i + 1]) * 0.5);
    auto [x, y] = projectLeft(kHead, mid, shot->width, shot->height);
    ++edges;
    bool found = false;
    for (int dy = -1; dy <= 1 && !found; ++dy)
      for (int dx = -1; dx <= 1 && !found; ++dx) {
        auto p = shot->at(std::clamp(int(x) + dx, 0, shot->width - 1), std::clamp(int(y) + dy, 0, shot->height - 1));
        found = p[0] > p[2] + 60 && p[1] > p[2] + 30;
      }
    amber += found;
  }
  EXPECT_EQ(amber, edges) << "of the drawn edges' midpoints";
}
