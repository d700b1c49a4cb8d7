#include <gtest/gtest.h>

#include <cmath>

#include "tools/Brush.h"

namespace delineo::tools {
namespace {

// A CT-like anisotropic, oblique grid: 0.7 x 0.7 x 2.5 mm, rotated 30 degrees about z.
core::Geometry anisotropic() {
  const double a = 30.0 * M_PI / 180.0;
  core::Geometry g;
  g.dims = {80, 70, 30};
  g.spacingMm = {0.7, 0.7, 2.5};
  g.originMm = {-20, 15, -30};
  g.direction = core::Mat3::fromColumns({std::cos(a), std::sin(a), 0}, {-std::sin(a), std::cos(a), 0}, {0, 0, 1});
  return g;
}

core::Labelmap labelmapOn(const core::Geometry& g) {
  core::Labelmap m(g);
  (void)m.labels().add("Liver");
  (void)m.labels().add("Bone");
  return m;
}

// Distance from p to segment [a, b].
double segmentDistance(core::Vec3 p, core::Vec3 a, core::Vec3 b) {
  core::Vec3 ab = b - a;
  double len2 = core::dot(ab, ab);
  double t = len2 > 0 ? std::clamp(core::dot(p - a, ab) / len2, 0.0, 1.0) : 0.0;
  return core::length(p - (a + ab * t));
}

TEST(Brush, SphereDabPaintsExactlyTheVoxelCentresWithinTheRadius) {
  auto g = anisotropic();
  auto m = labelmapOn(g);
  core::Vec3 centre = g.ijkToPatient({40.3, 33.7, 14.2});
  BrushParams p;
  p.radiusMm = 6.0;
  LabelEdit edit(m, nullptr, {});
  std::int64_t changed = paintDab(edit, centre, p);
  std::int64_t expected = 0;
  for (std::int64_t k = 0; k < g.dims[2]; ++k)
    for (std::int64_t j = 0; j < g.dims[1]; ++j)
      for (std::int64_t i = 0; i < g.dims[0]; ++i) {
        bool inside = core::length(g.ijkToPatient({double(i), double(j), double(k)}) - centre) <= 6.0;
        expected += inside;
        ASSERT_EQ(m.at(i, j, k), inside ? 1 : 0) << i << "," << j << "," << k;
      }
  EXPECT_EQ(changed, expected);
  // The analytic ball holds 4/3 pi r^3 / voxel volume voxel centres, within a surface layer.
  double analytic = 4.0 / 3.0 * M_PI * 216.0 / g.voxelVolumeMm3();
  EXPECT_NEAR(double(expected), analytic, analytic * 0.08);
}

TEST(Brush, DiskPaintsOneLayerInAnObliquePlane) {
  core::Geometry g;
  g.dims = {60, 60, 60};
  g.spacingMm = {0.5, 0.5, 0.5};
  auto m = labelmapOn(g);
  core::Vec3 centre{15, 15, 15};
  BrushParams p;
  p.shape = BrushParams::Shape::Disk;
  p.radiusMm = 8;
  p.planeNormal = core::normalize({1, 1, 0});
  LabelEdit edit(m, nullptr, {});
  paintDab(edit, centre, p);
  std::int64_t painted = 0;
  for (std::int64_t k = 0; k < 60; ++k)
    for (std::int64_t j = 0; j < 60; ++j)
      for (std::int64_t i = 0; i < 60; ++i) {
        if (!m.at(i, j, k)) continue;
        ++painted;
        core::Vec3 d = g.ijkToPatient({double(i), double(j), double(k)}) - centre;
        double h = core::dot(d, p.planeNormal);
        EXPECT_LE(std::abs(h), 0.5 * (0.5 + 0.5) / std::sqrt(2.0) + 1e-9);  // half a voxel along n
        EXPECT_LE(core::length(d - p.planeNormal * h), 8.0 + 1e-9);
      }
  // A disk of radius 8 mm on a 0.5 mm grid: about pi*8^2 / (0.5^2 * sqrt2 spacing along the
  // diagonal) voxels in its layer; it must be a thin slab, not a ball.
  EXPECT_GT(painted, 600);
  EXPECT_LT(painted, 2500);
}

TEST(Brush, AxialDiskPaintsOnlyItsSlice) {
  core::Geometry g;
  g.dims = {50, 50, 20};
  g.spacingMm = {0.8, 0.8, 3.0};
  auto m = labelmapOn(g);
  BrushParams p;
  p.shape = BrushParams::Shape::Disk;
  p.radiusMm = 5;
  LabelEdit edit(m, nullptr, {});
  paintDab(edit, g.ijkToPatient({25, 25, 7}), p);
  for (std::int64_t k = 0; k < 20; ++k)
    for (std::int64_t j = 0; j < 50; ++j)
      for (std::int64_t i = 0; i < 50; ++i)
        if (m.at(i, j, k)) {
          ASSERT_EQ(k, 7);
        }
  EXPECT_EQ(m.at(25, 25, 7), 1);
  EXPECT_EQ(m.at(25 + 6, 25, 7), 1);   // 4.8 mm
  EXPECT_EQ(m.at(25 + 7, 25, 7), 0);   // 5.6 mm
}

TEST(Brush, FastStrokesLeaveNoGaps) {
  auto g = anisotropic();
  // Dabs 25 mm apart with a 3 mm radius: without the capsule sweep, most of the path is empty.
  std::vector<core::Vec3> points{g.ijkToPatient({5, 5, 3}), g.ijkToPatient({70, 20, 20}),
                                 g.ijkToPatient({20, 60, 25})};
  auto m = labelmapOn(g);
  BrushParams p;
  p.radiusMm = 3;
  p.label = 2;
  LabelEdit edit(m, nullptr, {});
  paintStroke(edit, points, p);
  for (std::int64_t k = 0; k < g.dims[2]; ++k)
    for (std::int64_t j = 0; j < g.dims[1]; ++j)
      for (std::int64_t i = 0; i < g.dims[0]; ++i) {
        core::Vec3 c = g.ijkToPatient({double(i), double(j), double(k)});
        double d = std::min(segmentDistance(c, points[0], points[1]), segmentDistance(c, points[1], points[2]));
        ASSERT_EQ(m.at(i, j, k), d <= 3.0 ? 2 : 0) << i << "," << j << "," << k << " d=" << d;
      }
}

TEST(Brush, EraseClearsOnlyWithinTheBrushAndNeverLockedLabels) {
  core::Geometry g;
  g.dims = {30, 30, 30};
  auto m = labelmapOn(g);
  std::fill(m.voxels().begin(), m.voxels().end(), 1);
  m.voxels()[static_cast<std::size_t>(g.linearIndex(15, 15, 15))] = 2;
  m.labels().find(2)->locked = true;
  BrushParams p;
  p.radiusMm = 2;
  p.erase = true;
  LabelEdit edit(m, nullptr, {});
  paintDab(edit, {15, 15, 15}, p);
  EXPECT_EQ(m.at(15, 15, 15), 2);
  EXPECT_EQ(m.at(16, 15, 15), 0);
  EXPECT_EQ(m.at(18, 15, 15), 1);
}

TEST(Brush, ThresholdBrushPaintsOnlyVoxelsInTheIntensityRange) {
  core::Geometry g;
  g.dims = {30, 30, 30};
  auto m = labelmapOn(g);
  core::Volume v(g, core::ScalarType::Int16);
  auto vox = v.voxels<std::int16_t>();
  for (std::int64_t k = 0; k < 30; ++k)
    for (std::int64_t j = 0; j < 30; ++j)
      for (std::int64_t i = 0; i < 30; ++i) vox[static_cast<std::size_t>(g.linearIndex(i, j, k))] = i < 15 ? 0 : 1000;
  PaintRule rule;
  rule.intensityRange = std::pair{500.0, 2000.0};
  LabelEdit edit(m, &v, rule);
  BrushParams p;
  p.radiusMm = 5;
  paintDab(edit, {15, 15, 15}, p);
  EXPECT_EQ(m.at(14, 15, 15), 0);
  EXPECT_EQ(m.at(15, 15, 15), 1);
  EXPECT_EQ(m.at(19, 15, 15), 1);
}

TEST(Brush, DabsNearTheEdgeAreClippedToTheGrid) {
  core::Geometry g;
  g.dims = {10, 10, 10};
  auto m = labelmapOn(g);
  BrushParams p;
  p.radiusMm = 3;
  LabelEdit edit(m, nullptr, {});
  EXPECT_GT(paintDab(edit, {0, 0, 0}, p), 0);
  EXPECT_EQ(paintDab(edit, {100, 100, 100}, p), 0);
}

}  // namespace
}  // namespace delineo::tools
