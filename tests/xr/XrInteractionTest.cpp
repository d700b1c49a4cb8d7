// The XR interaction logic without a headset: grab/turn/scale, tool commands from the
// controllers, thumbstick size and label cycling, the panel ray, adaptive quality, the session
// state machine, and the binding table against the OpenXR specification's profile paths.

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>

#include <gtest/gtest.h>

#include "app/xr/AdaptiveQuality.h"
#include "app/xr/FrameTimes.h"
#include "app/xr/VolumeManipulator.h"
#include "app/xr/XrBindings.h"
#include "app/xr/XrInteraction.h"
#include "app/xr/XrScript.h"
#include "app/xr/XrSessionState.h"

using namespace delineo::app::xr;
using delineo::core::Vec3;

namespace {

constexpr double kPi = 3.14159265358979323846;

void expectNear(Vec3 a, Vec3 b, double tol = 1e-9) {
  EXPECT_NEAR(a.x, b.x, tol);
  EXPECT_NEAR(a.y, b.y, tol);
  EXPECT_NEAR(a.z, b.z, tol);
}

FrameInput idle() {
  FrameInput in = defaultSimulatedInput();
  return in;
}

VolumePlacement somePlacement() {
  VolumePlacement p;
  p.pose.position = {0, 1.4, -0.5};
  p.pose.orientation = Quat::axisAngle({1, 0, 0}, -kPi / 2);
  p.metresPerMm = 0.002;
  p.centreMm = {10, 20, 30};
  return p;
}

}  // namespace

TEST(VolumePlacement, MapsPatientToWorldAndBack) {
  VolumePlacement p = somePlacement();
  Vec3 pt{12, -7, 44};
  expectNear(p.patientFromWorld(p.worldFromPatient(pt)), pt, 1e-9);
  // Superior (+z) is up (+y) and posterior (+y) is away from the viewer (-z).
  expectNear(p.worldFromPatient(p.centreMm + Vec3{0, 0, 100}) - p.pose.position, {0, 0.2, 0}, 1e-12);
  expectNear(p.worldFromPatient(p.centreMm + Vec3{0, 100, 0}) - p.pose.position, {0, 0, -0.2}, 1e-12);
}

TEST(VolumePlacement, DefaultFloatsInFrontAtAComfortableSize) {
  delineo::core::Geometry g;
  g.dims = {200, 100, 50};
  g.spacingMm = {1, 2, 4};
  Pose head{{0, 1.6, 0}, {}};
  VolumePlacement p = defaultPlacement(g, head);
  EXPECT_NEAR(p.metresPerMm * 200, 0.4, 1e-9);  // largest extent 200 mm shown 40 cm wide
  EXPECT_LT(p.pose.position.z, -0.4);           // ahead of the viewer
  EXPECT_LT(p.pose.position.y, 1.6);            // a little below the eyes
}

TEST(VolumeManipulator, OneHandGrabCarriesTheVolumeRigidly) {
  VolumeManipulator m(somePlacement());
  FrameInput in = idle();
  HandInput& h = in.hand(Hand::Left);
  h.grip = {{-0.2, 1.3, -0.3}, {}};
  h.squeeze = 1;
  m.update(in);
  // Move by d and turn 90 degrees about the vertical through the hand.
  Vec3 d{0.1, 0.05, 0};
  h.grip = {h.grip.position + d, Quat::axisAngle({0, 1, 0}, kPi / 2)};
  m.update(in);
  VolumePlacement start = somePlacement();
  Vec3 rel = start.pose.position - Vec3{-0.2, 1.3, -0.3};
  Vec3 expected = Vec3{-0.2, 1.3, -0.3} + d + Quat::axisAngle({0, 1, 0}, kPi / 2).rotate(rel);
  expectNear(m.placement().pose.position, expected, 1e-9);
  EXPECT_DOUBLE_EQ(m.placement().metresPerMm, start.metresPerMm);
  // Releasing leaves it where it is.
  h.squeeze = 0;
  h.grip.position = h.grip.position + Vec3{1, 0, 0};
  m.update(in);
  expectNear(m.placement().pose.position, expected, 1e-9);
}

TEST(VolumeManipulator, GripHysteresisIgnoresAHalfSqueeze) {
  VolumeManipulator m(somePlacement());
  FrameInput in = idle();
  in.hand(Hand::Right).squeeze = 0.5;
  m.update(in);
  EXPECT_FALSE(m.grabbing(Hand::Right));
  in.hand(Hand::Right).squeeze = 0.7;
  m.update(in);
  EXPECT_TRUE(m.grabbing(Hand::Right));
  in.hand(Hand::Right).squeeze = 0.5;  // still held: above the release threshold
  m.update(in);
  EXPECT_TRUE(m.grabbing(Hand::Right));
}

TEST(VolumeManipulator, TwoHandsScaleAboutTheirMidpoint) {
  VolumeManipulator m(somePlacement());
  FrameInput in = idle();
  in.hand(Hand::Left).grip.position = {-0.1, 1.4, -0.4};
  in.hand(Hand::Right).grip.position = {0.1, 1.4, -0.4};
  in.hand(Hand::Left).squeeze = in.hand(Hand::Right).squeeze = 1;
  m.update(in);
  // Hands twice as far apart, same midpoint: twice the size; the midpoint stays fixed.
  Vec3 mid{0, 1.4, -0.4};
  Vec3 patientAtMid = m.placement().patientFromWorld(mid);
  in.hand(Hand::Left).grip.position = {-0.2, 1.4, -0.4};
  in.hand(Hand::Right).grip.position = {0.2, 1.4, -0.4};
  m.update(in);
  EXPECT_NEAR(m.placement().metresPerMm, 0.004, 1e-12);
  expectNear(m.placement().patientFromWorld(mid), patientAtMid, 1e-9);
  expectNear(m.placement().pose.position, mid + (somePlacement().pose.position - mid) * 2.0, 1e-9);
}

TEST(VolumeManipulator, TwoHandsTurnWithTheLineBetweenThem) {
  VolumeManipulator m(somePlacement());
  FrameInput in = idle();
  in.hand(Hand::Left).grip.position = {-0.1, 1.4, -0.4};
  in.hand(Hand::Right).grip.position = {0.1, 1.4, -0.4};
  in.hand(Hand::Left).squeeze = in.hand(Hand::Right).squeeze = 1;
  m.update(in);
  in.hand(Hand::Left).grip.position = {0, 1.4, -0.3};
  in.hand(Hand::Right).grip.position = {0, 1.4, -0.5};  // turned 90 degrees about y
  m.update(in);
  Vec3 axisBefore = somePlacement().pose.orientation.rotate({1, 0, 0});
  Vec3 axisAfter = m.placement().pose.orientation.rotate({1, 0, 0});
  expectNear(axisAfter, Quat::axisAngle({0, 1, 0}, kPi / 2).rotate(axisBefore), 1e-9);
  EXPECT_NEAR(m.placement().metresPerMm, 0.002, 1e-12);
}

TEST(VolumeManipulator, ScaleIsClamped) {
  VolumeManipulator m(somePlacement());
  FrameInput in = idle();
  in.hand(Hand::Left).grip.position = {-0.1, 1.4, -0.4};
  in.hand(Hand::Right).grip.position = {0.1, 1.4, -0.4};
  in.hand(Hand::Left).squeeze = in.hand(Hand::Right).squeeze = 1;
  m.update(in);
  in.hand(Hand::Left).grip.position = {-100, 1.4, -0.4};
  in.hand(Hand::Right).grip.position = {100, 1.4, -0.4};
  m.update(in);
  EXPECT_DOUBLE_EQ(m.placement().metresPerMm, ManipulatorOptions{}.maxMetresPerMm);
}

TEST(XrInteraction, TriggerStrokeBecomesCapsulesInPatientSpaceAndOneCommit) {
  XrInteraction x;
  VolumePlacement p = somePlacement();
  FrameInput in = idle();
  HandInput& r = in.hand(Hand::Right);
  std::vector<XrCommand> all;
  std::vector<Vec3> tips;
  for (int f = 0; f < 6; ++f) {
    r.grip.position = r.aim.position = {0.01 * f, 1.4, -0.3};
    r.trigger = f < 5 ? 1.0 : 0.0;
    in.timeS = f / 90.0;
    auto c = x.update(in, p, nullptr, {}, false);
    all.insert(all.end(), c.begin(), c.end());
    if (f < 5) tips.push_back(p.patientFromWorld(r.aim.position + Vec3{0, 0, -InteractionOptions{}.tipOffsetM}));
  }
  ASSERT_EQ(all.size(), 6u);
  EXPECT_EQ(all[0].kind, XrCommand::Kind::StrokeBegin);
  for (int i = 1; i < 5; ++i) EXPECT_EQ(all[i].kind, XrCommand::Kind::StrokeTo);
  EXPECT_EQ(all[5].kind, XrCommand::Kind::StrokeEnd);
  for (int i = 0; i < 5; ++i) expectNear(all[i].pointMm, tips[i], 1e-9);
  // 1 cm of hand motion at 0.002 m/mm is 5 mm in the patient.
  EXPECT_NEAR(delineo::core::length(all[1].pointMm - all[0].pointMm), 5.0, 1e-9);
}

TEST(XrInteraction, CursorShowsTheBrushAtItsTrueSize) {
  XrInteraction x;
  x.settings().brushRadiusMm = 8;
  x.update(idle(), somePlacement(), nullptr, {}, false);
  EXPECT_TRUE(x.visuals().cursorVisible);
  EXPECT_NEAR(x.visuals().cursorRadiusM, 8 * 0.002, 1e-12);
}

TEST(XrInteraction, ThumbstickUpGrowsTheBrushSmoothlyAndWithinLimits) {
  XrInteraction x;
  FrameInput in = idle();
  in.hand(Hand::Right).thumbY = 1;
  for (int f = 0; f <= 90; ++f) {  // one second at full deflection
    in.timeS = f / 90.0;
    x.update(in, somePlacement(), nullptr, {}, false);
  }
  EXPECT_NEAR(x.settings().brushRadiusMm, 10, 0.01);  // doubled from 5 mm
  in.hand(Hand::Right).thumbY = -1;
  for (int f = 91; f < 2000; ++f) {
    in.timeS = f / 90.0;
    x.update(in, somePlacement(), nullptr, {}, false);
  }
  EXPECT_DOUBLE_EQ(x.settings().brushRadiusMm, InteractionOptions{}.minRadiusMm);
}

TEST(XrInteraction, ThumbstickFlickCyclesLabelsOncePerFlick) {
  XrInteraction x;
  std::vector<std::uint8_t> ids{1, 3, 7};
  FrameInput in = idle();
  auto frame = [&](double thumbX) {
    in.hand(Hand::Right).thumbX = thumbX;
    x.update(in, somePlacement(), nullptr, ids, false);
  };
  frame(0.9);
  frame(0.9);  // held: no second step
  EXPECT_EQ(x.settings().label, 3);
  frame(0.0);
  frame(0.9);
  EXPECT_EQ(x.settings().label, 7);
  frame(0.0);
  frame(0.9);
  EXPECT_EQ(x.settings().label, 1);  // wraps
  frame(0.0);
  frame(-0.9);
  EXPECT_EQ(x.settings().label, 7);
}

TEST(XrInteraction, OtherHandsButtonsUndoAndRedoOnPress) {
  XrInteraction x;
  FrameInput in = idle();
  in.hand(Hand::Left).primary = true;
  auto a = x.update(in, somePlacement(), nullptr, {}, false);
  auto b = x.update(in, somePlacement(), nullptr, {}, false);  // held
  in.hand(Hand::Left).primary = false;
  in.hand(Hand::Left).secondary = true;
  auto c = x.update(in, somePlacement(), nullptr, {}, false);
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].kind, XrCommand::Kind::Undo);
  EXPECT_TRUE(b.empty());
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].kind, XrCommand::Kind::Redo);
}

TEST(XrInteraction, GrowToolPlacesASeedAndAButtonAcceptsThePreview) {
  XrInteraction x;
  x.settings().tool = XrTool::Grow;
  FrameInput in = idle();
  in.hand(Hand::Right).trigger = 1;
  auto a = x.update(in, somePlacement(), nullptr, {}, false);
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].kind, XrCommand::Kind::GrowSeed);
  in.hand(Hand::Right).trigger = 0;
  in.hand(Hand::Right).primary = true;
  auto b = x.update(in, somePlacement(), nullptr, {}, true);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b[0].kind, XrCommand::Kind::GrowAccept);
}

TEST(XrInteraction, HandheldClipPlaneFollowsTheOtherHand) {
  XrInteraction x;
  VolumePlacement p = somePlacement();
  FrameInput in = idle();
  HandInput& l = in.hand(Hand::Left);
  l.aim = l.grip = {p.pose.position, {}};  // at the volume centre, pointing away (-z world)
  l.trigger = 1;
  x.update(in, p, nullptr, {}, false);
  auto plane = x.clipPlaneMm(p);
  ASSERT_TRUE(plane.has_value());
  // World -z is posterior (+y in LPS): the plane through the centre cuts away the back half.
  expectNear(plane->first, {0, 1, 0}, 1e-9);
  EXPECT_NEAR(plane->second, p.centreMm.y, 1e-9);
  l.trigger = 0;
  x.update(in, p, nullptr, {}, false);
  l.trigger = 1;
  x.update(in, p, nullptr, {}, false);  // second press: off
  EXPECT_FALSE(x.clipPlaneMm(p).has_value());
}

TEST(XrInteraction, ABCyclesThroughEveryToolIncludingContour) {
  XrInteraction x;
  FrameInput in = idle();
  std::vector<XrTool> seen;
  for (int i = 0; i < 4; ++i) {
    in.hand(Hand::Right).primary = true;
    x.update(in, somePlacement(), nullptr, {}, false);
    in.hand(Hand::Right).primary = false;
    x.update(in, somePlacement(), nullptr, {}, false);
    seen.push_back(x.settings().tool);
  }
  EXPECT_EQ(seen, (std::vector<XrTool>{XrTool::Erase, XrTool::Grow, XrTool::Contour, XrTool::Brush}));
  in.hand(Hand::Right).secondary = true;
  x.update(in, somePlacement(), nullptr, {}, false);
  EXPECT_EQ(x.settings().tool, XrTool::Contour);  // B goes back
}

// Given the contour tool and a plane tilted in the left hand, when the right tip moves about
// off the plane with the trigger held, then every point sent is the tip projected onto the
// plane as it was when the trigger went down (moving the plane hand meanwhile changes nothing),
// points closer than the step are skipped, and the release closes the contour.
TEST(XrInteraction, ContourPointsAreTheTipProjectedOntoThePlaneHeldAtThePress) {
  XrInteraction x;
  x.settings().tool = XrTool::Contour;
  VolumePlacement p = somePlacement();
  FrameInput in = idle();
  HandInput& l = in.hand(Hand::Left);
  HandInput& r = in.hand(Hand::Right);
  l.aim = l.grip = {p.pose.position, Quat::axisAngle({1, 1, 0}, 0.6)};
  const HeldPlane planeM = heldPlane(l.aim);
  EXPECT_NEAR(delineo::core::dot(planeM.u, planeM.normal), 0, 1e-12);
  const Vec3 offsets[] = {{0, 0, 0}, {0.02, 0.01, 0.03}, {0.02, 0.0101, 0.03}, {-0.01, 0.03, -0.02}, {-0.02, -0.01, 0.01}};
  std::vector<XrCommand> all;
  for (int f = 0; f < 6; ++f) {
    r.aim.position = r.grip.position = p.pose.position + offsets[std::min(f, 4)] + Vec3{0, 0, InteractionOptions{}.tipOffsetM};
    r.trigger = f < 5 ? 1 : 0;
    if (f == 2) l.aim.orientation = Quat::axisAngle({0, 1, 0}, 1.0);  // turning the plane hand mid-contour
    auto c = x.update(in, p, nullptr, {}, false);
    all.insert(all.end(), c.begin(), c.end());
    if (f == 0) {
      EXPECT_TRUE(x.visuals().contourPlaneVisible);
      EXPECT_TRUE(x.visuals().projectionVisible);
    }
  }
  // Offsets 1 and 2 are 0.1 mm apart in the world (0.05 mm in the patient): one point.
  ASSERT_EQ(all.size(), 5u);
  EXPECT_EQ(all[0].kind, XrCommand::Kind::ContourBegin);
  for (int i = 1; i < 4; ++i) EXPECT_EQ(all[i].kind, XrCommand::Kind::ContourTo);
  EXPECT_EQ(all[4].kind, XrCommand::Kind::ContourEnd);
  const HeldPlane planeMm = patientPlane(planeM, p);
  const int used[] = {0, 1, 3, 4};
  for (int i = 0; i < 4; ++i) {
    Vec3 tipMm = p.patientFromWorld(p.pose.position + offsets[used[i]]);
    expectNear(all[i].pointMm, projectOntoPlane(planeMm, tipMm), 1e-9);
    EXPECT_NEAR(delineo::core::dot(all[i].pointMm - planeMm.point, planeMm.normal), 0, 1e-9);
  }
  EXPECT_FALSE(x.contouring());
  EXPECT_TRUE(x.visuals().contourMm.empty());
}

TEST(XrInteraction, ContourWithoutThePlaneHandDrawsNothing) {
  XrInteraction x;
  x.settings().tool = XrTool::Contour;
  FrameInput in = idle();
  in.hand(Hand::Left).tracked = false;
  in.hand(Hand::Right).trigger = 1;
  EXPECT_TRUE(x.update(in, somePlacement(), nullptr, {}, false).empty());
  EXPECT_FALSE(x.visuals().contourPlaneVisible);
}

TEST(XrInteraction, ContourIsDroppedWhenTheDrawingHandLosesTracking) {
  XrInteraction x;
  x.settings().tool = XrTool::Contour;
  FrameInput in = idle();
  in.hand(Hand::Right).trigger = 1;
  auto a = x.update(in, somePlacement(), nullptr, {}, false);
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].kind, XrCommand::Kind::ContourBegin);
  in.hand(Hand::Right).tracked = false;
  auto b = x.update(in, somePlacement(), nullptr, {}, false);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b[0].kind, XrCommand::Kind::ContourCancel);
}

TEST(PanelHit, RayMeetsTheQuadAtItsUv) {
  PanelQuad q;
  q.pose.position = {0, 1.5, -1};
  q.widthM = 0.4;
  q.heightM = 0.3;
  Pose aim{{0.1, 1.5 + 0.075, 0}, {}};  // straight ahead
  auto hit = hitPanel(q, aim);
  ASSERT_TRUE(hit.has_value());
  EXPECT_NEAR(hit->u, 0.75, 1e-9);
  EXPECT_NEAR(hit->v, 0.25, 1e-9);
  EXPECT_NEAR(hit->distanceM, 1.0, 1e-9);
  aim.orientation = Quat::axisAngle({0, 1, 0}, kPi);  // pointing away
  EXPECT_FALSE(hitPanel(q, aim).has_value());
}

TEST(XrInteraction, TriggerOnThePanelClicksItInsteadOfPainting) {
  XrInteraction x;
  PanelQuad q;
  q.pose.position = {0.2, 1.3, -1};
  FrameInput in = idle();
  in.hand(Hand::Right).trigger = 1;
  auto c = x.update(in, somePlacement(), &q, {}, false);
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].kind, XrCommand::Kind::PanelPointer);
  EXPECT_TRUE(c[0].pressed);
  EXPECT_FALSE(x.stroking());
}

TEST(AdaptiveQuality, LengthensStepsThenLowersResolutionAndRestoresWhenIdle) {
  AdaptiveQuality q;
  for (int f = 0; f < 200; ++f) q.update(30, false, 0.03);
  EXPECT_DOUBLE_EQ(q.stepScale(), AdaptiveOptions{}.maxStepScale);
  EXPECT_LT(q.resolutionScale(), 1.0);
  EXPECT_GE(q.resolutionScale(), AdaptiveOptions{}.minResolution);
  q.update(30, true, 0.03);
  EXPECT_DOUBLE_EQ(q.stepScale(), 1.0);
  EXPECT_DOUBLE_EQ(q.resolutionScale(), 1.0);
}

TEST(AdaptiveQuality, KeepsFullQualityWithinBudget) {
  AdaptiveQuality q;
  for (int f = 0; f < 200; ++f) q.update(8, false, 0.011);
  EXPECT_DOUBLE_EQ(q.stepScale(), 1.0);
  EXPECT_DOUBLE_EQ(q.resolutionScale(), 1.0);
}

// Given a headset whose runtime reports a 60 Hz display (16.7 ms period), when Delineo's work
// takes 14 ms a frame, then quality stays full: the fixed 90 Hz budget would have lowered it.
TEST(AdaptiveQuality, HoldsTheRuntimesDisplayPeriodNotNinetyHertz) {
  AdaptiveQuality at90;
  for (int f = 0; f < 200; ++f) at90.update(14, false, 1.0 / 60);
  EXPECT_GT(at90.stepScale(), 1.0);

  AdaptiveQuality at60;
  at60.setDisplayPeriodMs(16.666);
  for (int f = 0; f < 200; ++f) at60.update(14, false, 1.0 / 60);
  EXPECT_DOUBLE_EQ(at60.budgetMs(), 16.666);
  EXPECT_DOUBLE_EQ(at60.stepScale(), 1.0);
  EXPECT_DOUBLE_EQ(at60.resolutionScale(), 1.0);

  // Work over the period still trades quality for time.
  for (int f = 0; f < 200; ++f) at60.update(20, false, 1.0 / 60);
  EXPECT_GT(at60.stepScale(), 1.0);
}

// Given a 120 Hz display, 10 ms of work (within 90 Hz's budget) is late and lowers quality.
TEST(AdaptiveQuality, AFasterDisplayTightensTheBudget) {
  AdaptiveQuality q;
  q.setDisplayPeriodMs(1000.0 / 120);
  for (int f = 0; f < 200; ++f) q.update(10, false, 1.0 / 120);
  EXPECT_GT(q.stepScale(), 1.0);
}

// A runtime that reports no period (0) or nonsense leaves the budget as it was.
TEST(AdaptiveQuality, IgnoresAMissingDisplayPeriod) {
  AdaptiveQuality q;
  q.setDisplayPeriodMs(0);
  q.setDisplayPeriodMs(-5);
  q.setDisplayPeriodMs(std::nan(""));
  q.setDisplayPeriodMs(std::numeric_limits<double>::infinity());
  EXPECT_DOUBLE_EQ(q.budgetMs(), AdaptiveOptions{}.budgetMs);
}

// Given a 20 Hz display (Monado's null compositor) whose runtime paces a late frame at 10 Hz
// and reports 100 ms for it, the budget stays the display's 50 ms: work of 60 ms a frame still
// lowers quality, where holding the longer period would have kept the slow rate.
TEST(AdaptiveQuality, ALongerPeriodForALateFrameDoesNotRaiseTheBudget) {
  AdaptiveQuality q;
  q.setDisplayPeriodMs(50);
  EXPECT_DOUBLE_EQ(q.budgetMs(), 50);  // the first period replaces the 90 Hz default, even when longer
  for (int f = 0; f < 100; ++f) {
    q.setDisplayPeriodMs(f % 3 ? 50 : 100);
    q.update(60, false, 0.075);
  }
  EXPECT_DOUBLE_EQ(q.budgetMs(), 50);
  EXPECT_GT(q.stepScale(), 1.0);
}

// Given a runtime whose first frames report a placeholder period (Monado's null compositor:
// 16 ms twice, then its 50 ms), the budget is the display's 50 ms once the window has passed.
TEST(AdaptiveQuality, APlaceholderPeriodAtTheStartIsForgotten) {
  AdaptiveQuality q;
  q.setDisplayPeriodMs(16);
  q.setDisplayPeriodMs(16);
  EXPECT_DOUBLE_EQ(q.budgetMs(), 16);
  for (int f = 0; f < AdaptiveOptions{}.periodWindow; ++f) q.setDisplayPeriodMs(50);
  EXPECT_DOUBLE_EQ(q.budgetMs(), 50);
}

TEST(FrameTimes, MeanAndMedianOfTheSamples) {
  FrameTimes t;
  EXPECT_EQ(t.count(), 0u);
  EXPECT_DOUBLE_EQ(t.meanMs(), 0);
  EXPECT_DOUBLE_EQ(t.medianMs(), 0);
  for (double ms : {12.0, 40.0, 10.0}) t.add(ms);
  EXPECT_EQ(t.count(), 3u);
  EXPECT_DOUBLE_EQ(t.meanMs(), 62.0 / 3);
  EXPECT_DOUBLE_EQ(t.medianMs(), 12.0);  // one slow frame moves the mean, not the median
  t.add(14);
  EXPECT_DOUBLE_EQ(t.medianMs(), 13.0);
}

TEST(SessionStateMachine, FollowsTheOpenXrLifecycle) {
  SessionStateMachine s;
  EXPECT_EQ(s.onState(SessionPhase::Idle), SessionAction::None);
  EXPECT_FALSE(s.running());
  EXPECT_EQ(s.onState(SessionPhase::Ready), SessionAction::Begin);
  EXPECT_TRUE(s.running());
  s.onState(SessionPhase::Synchronized);
  EXPECT_FALSE(s.visible());
  s.onState(SessionPhase::Visible);
  EXPECT_TRUE(s.visible());
  EXPECT_FALSE(s.focused());
  s.onState(SessionPhase::Focused);
  EXPECT_TRUE(s.focused());
  EXPECT_EQ(s.onState(SessionPhase::Stopping), SessionAction::End);
  EXPECT_FALSE(s.running());
  s.onState(SessionPhase::Idle);
  EXPECT_EQ(s.onState(SessionPhase::Exiting), SessionAction::Exit);
  EXPECT_TRUE(s.exit());
  EXPECT_FALSE(s.lost());
}

TEST(SessionStateMachine, LossPendingIsALostSessionNotACrash) {
  SessionStateMachine s;
  s.onState(SessionPhase::Ready);
  s.onState(SessionPhase::Focused);
  EXPECT_EQ(s.onState(SessionPhase::LossPending), SessionAction::Exit);
  EXPECT_TRUE(s.exit());
  EXPECT_TRUE(s.lost());
  EXPECT_FALSE(s.running());
}

// Input/output paths of each profile as listed in the OpenXR 1.0 specification, section 6.4
// "Interaction Profile Paths" (both hands unless noted).
std::map<std::string, std::set<std::string>> specPaths() {
  auto both = [](std::initializer_list<const char*> left, std::initializer_list<const char*> right,
                 std::initializer_list<const char*> common) {
    std::set<std::string> s;
    for (const char* p : left) s.insert(std::string("/user/hand/left") + p);
    for (const char* p : right) s.insert(std::string("/user/hand/right") + p);
    for (const char* side : {"/user/hand/left", "/user/hand/right"})
      for (const char* p : common) s.insert(std::string(side) + p);
    return s;
  };
  return {
      {"/interaction_profiles/khr/simple_controller",
       both({}, {}, {"/input/select/click", "/input/menu/click", "/input/grip/pose", "/input/aim/pose", "/output/haptic"})},
      {"/interaction_profiles/oculus/touch_controller",
       both({"/input/x/click", "/input/x/touch", "/input/y/click", "/input/y/touch", "/input/menu/click"},
            {"/input/a/click", "/input/a/touch", "/input/b/click", "/input/b/touch", "/input/system/click"},
            {"/input/squeeze/value", "/input/trigger/value", "/input/trigger/touch", "/input/thumbstick",
             "/input/thumbstick/x", "/input/thumbstick/y", "/input/thumbstick/click", "/input/thumbstick/touch",
             "/input/thumbrest/touch", "/input/grip/pose", "/input/aim/pose", "/output/haptic"})},
      {"/interaction_profiles/valve/index_controller",
       both({}, {},
            {"/input/system/click", "/input/system/touch", "/input/a/click", "/input/a/touch", "/input/b/click",
             "/input/b/touch", "/input/squeeze/value", "/input/squeeze/force", "/input/trigger/click",
             "/input/trigger/value", "/input/trigger/touch", "/input/thumbstick", "/input/thumbstick/x",
             "/input/thumbstick/y", "/input/thumbstick/click", "/input/thumbstick/touch", "/input/trackpad",
             "/input/trackpad/x", "/input/trackpad/y", "/input/trackpad/force", "/input/trackpad/touch",
             "/input/grip/pose", "/input/aim/pose", "/output/haptic"})},
      {"/interaction_profiles/htc/vive_controller",
       both({}, {},
            {"/input/system/click", "/input/squeeze/click", "/input/menu/click", "/input/trigger/click",
             "/input/trigger/value", "/input/trackpad", "/input/trackpad/x", "/input/trackpad/y",
             "/input/trackpad/click", "/input/trackpad/touch", "/input/grip/pose", "/input/aim/pose",
             "/output/haptic"})},
      {"/interaction_profiles/microsoft/motion_controller",
       both({}, {},
            {"/input/menu/click", "/input/squeeze/click", "/input/trigger/value", "/input/thumbstick",
             "/input/thumbstick/x", "/input/thumbstick/y", "/input/thumbstick/click", "/input/trackpad",
             "/input/trackpad/x", "/input/trackpad/y", "/input/trackpad/click", "/input/trackpad/touch",
             "/input/grip/pose", "/input/aim/pose", "/output/haptic"})},
  };
}

TEST(XrBindings, EveryProfileBindsPathsThatExistInTheSpecification) {
  auto spec = specPaths();
  ASSERT_EQ(suggestedBindings().size(), 5u);
  for (const XrProfileBindings& p : suggestedBindings()) {
    ASSERT_TRUE(spec.count(p.profile)) << p.profile;
    for (const XrBinding& b : p.bindings)
      EXPECT_TRUE(spec[p.profile].count(b.path)) << p.profile << " has no " << b.path;
  }
}

TEST(XrBindings, EveryProfileGivesBothHandsPosesAndATrigger) {
  for (const XrProfileBindings& p : suggestedBindings()) {
    for (const char* hand : {"/user/hand/left/", "/user/hand/right/"}) {
      std::set<XrActionId> bound;
      for (const XrBinding& b : p.bindings)
        if (b.path.rfind(hand, 0) == 0) bound.insert(b.action);
      for (XrActionId need : {XrActionId::GripPose, XrActionId::AimPose, XrActionId::Trigger, XrActionId::Haptic})
        EXPECT_TRUE(bound.count(need)) << p.profile << " " << hand << " lacks " << xrActionName(need);
      // Grab needs a squeeze everywhere but on the simple controller, which has none.
      if (p.profile != "/interaction_profiles/khr/simple_controller") {
        EXPECT_TRUE(bound.count(XrActionId::Squeeze)) << p.profile;
      }
    }
  }
}

TEST(XrScript, LinesChangeTheStateAndHoldItForFrames) {
  auto s = XrScript::parse(
      "# comment\n"
      "{\"right\": {\"p\": [0.1, 1.2, -0.3], \"trigger\": 1}, \"frames\": 3}\n"
      "{\"left\": {\"squeeze\": 1, \"yaw_deg\": 90}, \"dt\": 0.5}\n");
  ASSERT_TRUE(s) << s.message();
  ASSERT_EQ(s->frameCount(), 4u);
  auto f0 = s->next();
  EXPECT_DOUBLE_EQ(f0->input.hand(Hand::Right).trigger, 1);
  expectNear(f0->input.hand(Hand::Right).grip.position, {0.1, 1.2, -0.3});
  s->next();
  s->next();
  auto f3 = s->next();
  EXPECT_DOUBLE_EQ(f3->input.hand(Hand::Right).trigger, 1);  // kept
  EXPECT_DOUBLE_EQ(f3->input.hand(Hand::Left).squeeze, 1);
  expectNear(f3->input.hand(Hand::Left).grip.forward(), {-1, 0, 0}, 1e-9);
  EXPECT_FALSE(s->next().has_value());
}

TEST(XrScript, ABadLineNamesItsNumber) {
  auto s = XrScript::parse("{\"right\": {\"p\": [1, 2]}}\n", "s.jsonl");
  ASSERT_FALSE(s);
  EXPECT_NE(s.message().find("s.jsonl:1:"), std::string::npos) << s.message();
}
