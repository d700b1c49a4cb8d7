// Contours: polygon fill in axial, sagittal and oblique planes against analytic polygons,
// shape-based interpolation (concentric and non-overlapping circles), 3D scissors against known
// prisms and pyramids (orthographic and perspective), bad input, undo.
#include <gtest/gtest.h>

#include <cmath>

#include "tools/Contour.h"
#include "tools/History.h"
#include "tools/Interpolation.h"
#include "tools/Scissors.h"

namespace delineo::tools {
namespace {

core::Labelmap labelmapOn(const core::Geometry& g) {
  core::Labelmap m(g);
  (void)m.labels().add("Contour");
  (void)m.labels().add("Other");
  return m;
}

core::Geometry grid(core::Dims dims, core::Vec3 spacing, core::Vec3 origin = {0, 0, 0}) {
  core::Geometry g;
  g.dims = dims;
  g.spacingMm = spacing;
  g.originMm = origin;
  return g;
}

// Winding number of a 2D point about a closed polygon (independent of the fill's even-odd rule).
int winding(const std::vector<std::array<double, 2>>& poly, double x, double y) {
  int wn = 0;
  for (std::size_t i = 0; i < poly.size(); ++i) {
    auto a = poly[i], b = poly[(i + 1) % poly.size()];
    double cross = (b[0] - a[0]) * (y - a[1]) - (x - a[0]) * (b[1] - a[1]);
    if (a[1] <= y) {
      if (b[1] > y && cross > 0) ++wn;
    } else if (b[1] <= y && cross < 0) {
      --wn;
    }
  }
  return wn;
}

// A concave star with vertices off the voxel centres.
std::vector<std::array<double, 2>> star(double cx, double cy, double r1, double r2) {
  std::vector<std::array<double, 2>> p;
  for (int n = 0; n < 14; ++n) {
    double a = M_PI * 2 * n / 14 + 0.1, r = n % 2 ? r2 : r1;
    p.push_back({cx + r * std::cos(a), cy + r * std::sin(a)});
  }
  return p;
}

TEST(ContourFill, AxialPolygonFillsExactlyTheVoxelCentresInsideOnOneSlice) {
  auto g = grid({64, 64, 20}, {0.8, 0.8, 2.5}, {-10, -20, 30});
  auto m = labelmapOn(g);
  auto shape = star(15.3, 4.1, 20.2, 9.7);
  const double z = 30 + 2.5 * 7;  // slice 7
  ContourParams p;
  for (auto xy : shape) p.pointsMm.push_back({xy[0], xy[1], z});
  LabelEdit edit(m, nullptr, {});
  auto changed = fillContour(edit, p);
  ASSERT_TRUE(changed) << changed.message();
  std::int64_t expected = 0;
  for (std::int64_t k = 0; k < g.dims[2]; ++k)
    for (std::int64_t j = 0; j < g.dims[1]; ++j)
      for (std::int64_t i = 0; i < g.dims[0]; ++i) {
        core::Vec3 c = g.ijkToPatient({double(i), double(j), double(k)});
        bool inside = k == 7 && winding(shape, c.x, c.y) != 0;
        expected += inside;
        ASSERT_EQ(m.at(i, j, k), inside ? 1 : 0) << i << "," << j << "," << k;
      }
  EXPECT_EQ(*changed, expected);
  EXPECT_GT(expected, 300);
}

TEST(ContourFill, SagittalAndObliquePolygonsFillOneLayerInTheirPlane) {
  auto g = grid({40, 50, 45}, {1, 1, 1});
  // Sagittal: the plane x = 12 (voxel column i = 12), a triangle in (y, z).
  {
    auto m = labelmapOn(g);
    ContourParams p;
    p.pointsMm = {{12, 5.5, 4.2}, {12, 40.3, 10.1}, {12, 20.7, 38.9}};
    LabelEdit edit(m, nullptr, {});
    ASSERT_TRUE(fillContour(edit, p));
    std::vector<std::array<double, 2>> tri = {{5.5, 4.2}, {40.3, 10.1}, {20.7, 38.9}};
    for (std::int64_t k = 0; k < g.dims[2]; ++k)
      for (std::int64_t j = 0; j < g.dims[1]; ++j)
        for (std::int64_t i = 0; i < g.dims[0]; ++i)
          ASSERT_EQ(m.at(i, j, k), (i == 12 && winding(tri, double(j), double(k)) != 0) ? 1 : 0);
  }
  // Oblique: a square tilted 30 degrees about x; filled voxels lie within half a voxel
  // thickness of the plane and project inside the square.
  {
    auto m = labelmapOn(g);
    const double a = 30 * M_PI / 180;
    core::Vec3 c{20, 25, 22}, u{1, 0, 0}, v{0, std::cos(a), std::sin(a)};
    core::Vec3 n = core::cross(u, v);
    ContourParams p;
    for (auto [s, t] : {std::pair{-9.3, -8.1}, {9.3, -8.1}, {9.3, 8.1}, {-9.3, 8.1}}) p.pointsMm.push_back(c + u * s + v * t);
    LabelEdit edit(m, nullptr, {});
    auto changed = fillContour(edit, p);
    ASSERT_TRUE(changed);
    const double half = 0.5 * (std::abs(n.x) + std::abs(n.y) + std::abs(n.z));
    std::int64_t count = 0;
    for (std::int64_t k = 0; k < g.dims[2]; ++k)
      for (std::int64_t j = 0; j < g.dims[1]; ++j)
        for (std::int64_t i = 0; i < g.dims[0]; ++i) {
          core::Vec3 d = core::Vec3{double(i), double(j), double(k)} - c;
          double h = core::dot(d, n);
          bool inside = h > -half && h <= half && std::abs(core::dot(d, u)) < 9.3 && std::abs(core::dot(d, v)) < 8.1;
          count += inside;
          ASSERT_EQ(m.at(i, j, k), inside ? 1 : 0) << i << "," << j << "," << k;
        }
    // One layer: the square's area times the layer's thickness along the normal.
    EXPECT_NEAR(double(count), 18.6 * 16.2 * 2 * half, 40);
  }
}

TEST(ContourFill, EraseClearsOnlyItsLabelInside) {
  auto g = grid({30, 30, 5}, {1, 1, 1});
  auto m = labelmapOn(g);
  for (auto& v : m.voxels()) v = 1;
  m.voxels()[std::size_t(g.linearIndex(15, 15, 2))] = 2;
  ContourParams p;
  p.pointsMm = {{5.5, 5.5, 2}, {24.5, 5.5, 2}, {24.5, 24.5, 2}, {5.5, 24.5, 2}};
  p.erase = true;
  p.label = 1;
  LabelEdit edit(m, nullptr, {});
  auto changed = fillContour(edit, p);
  ASSERT_TRUE(changed);
  EXPECT_EQ(m.at(15, 15, 2), 2);
  EXPECT_EQ(m.at(10, 10, 2), 0);
  EXPECT_EQ(m.at(10, 10, 1), 1);
  EXPECT_EQ(*changed, 19 * 19 - 1);
}

TEST(ContourFill, BadContoursAreRejectedAndTouchNothing) {
  auto g = grid({30, 30, 10}, {1, 1, 1});
  auto m = labelmapOn(g);
  LabelEdit edit(m, nullptr, {});
  auto attempt = [&](std::vector<core::Vec3> pts) {
    ContourParams p;
    p.pointsMm = std::move(pts);
    auto r = fillContour(edit, p);
    return r ? std::string("accepted") : r.message();
  };
  EXPECT_NE(attempt({{1, 1, 2}, {5, 1, 2}}).find("at least 3"), std::string::npos);
  EXPECT_NE(attempt({{1, 1, 2}, {5, 1, 2}, {5, 1, 2}}).find("at least 3"), std::string::npos);
  EXPECT_NE(attempt({{1, 1, 2}, {10, 10, 2}, {10, 1, 2}, {1, 10, 2}}).find("intersects itself"), std::string::npos);
  EXPECT_NE(attempt({{1, 1, 2}, {10, 1, 2}, {10, 10, 2}, {1, 10, 5}}).find("off the contour's plane"), std::string::npos);
  EXPECT_NE(attempt({{1, 1, 2}, {5, 1, 2}, {9, 1, 2}}).find("collinear"), std::string::npos);
  EXPECT_EQ(edit.changedVoxels(), 0);
}

// A disc of `radius` voxels at (cx, cy) on slice k.
void disc(core::Labelmap& m, std::int64_t k, double cx, double cy, double radius) {
  const auto& d = m.geometry().dims;
  for (std::int64_t j = 0; j < d[1]; ++j)
    for (std::int64_t i = 0; i < d[0]; ++i)
      if (std::hypot(double(i) - cx, double(j) - cy) <= radius) m.voxels()[std::size_t(m.geometry().linearIndex(i, j, k))] = 1;
}

struct SliceShape {
  std::int64_t area = 0;
  double cx = 0, cy = 0, maxRadius = 0;
};

SliceShape shapeOf(const core::Labelmap& m, std::int64_t k) {
  SliceShape s;
  const auto& d = m.geometry().dims;
  for (std::int64_t j = 0; j < d[1]; ++j)
    for (std::int64_t i = 0; i < d[0]; ++i)
      if (m.at(i, j, k) == 1) {
        ++s.area;
        s.cx += double(i);
        s.cy += double(j);
      }
  if (!s.area) return s;
  s.cx /= double(s.area);
  s.cy /= double(s.area);
  for (std::int64_t j = 0; j < d[1]; ++j)
    for (std::int64_t i = 0; i < d[0]; ++i)
      if (m.at(i, j, k) == 1) s.maxRadius = std::max(s.maxRadius, std::hypot(double(i) - s.cx, double(j) - s.cy));
  return s;
}

TEST(Interpolation, ConcentricCirclesGiveDiscsOfInterpolatedRadius) {
  auto g = grid({64, 64, 11}, {1, 1, 3});
  auto m = labelmapOn(g);
  disc(m, 0, 32, 32, 6);
  disc(m, 10, 32, 32, 16);
  LabelEdit edit(m, nullptr, {});
  auto changed = interpolateSlices(edit, {});
  ASSERT_TRUE(changed) << changed.message();
  for (std::int64_t k = 1; k < 10; ++k) {
    SliceShape s = shapeOf(m, k);
    const double r = 6 + (16 - 6) * double(k) / 10;
    EXPECT_NEAR(s.cx, 32, 0.1) << k;
    EXPECT_NEAR(s.cy, 32, 0.1) << k;
    EXPECT_NEAR(double(s.area), M_PI * r * r, 0.08 * M_PI * r * r + 8) << "slice " << k;  // a disc of radius r
    EXPECT_NEAR(s.maxRadius, r, 1.0) << k;
  }
}

TEST(Interpolation, NonOverlappingCirclesGiveAMovingDisc) {
  auto g = grid({80, 40, 9}, {1, 1, 2});
  auto m = labelmapOn(g);
  disc(m, 0, 12, 20, 7);
  disc(m, 8, 66, 20, 7);
  LabelEdit edit(m, nullptr, {});
  ASSERT_TRUE(interpolateSlices(edit, {}));
  for (std::int64_t k = 1; k < 8; ++k) {
    SliceShape s = shapeOf(m, k);
    EXPECT_NEAR(s.cx, 12 + (66 - 12) * double(k) / 8, 0.6) << "slice " << k;
    EXPECT_NEAR(s.cy, 20, 0.3) << k;
    EXPECT_NEAR(double(s.area), M_PI * 49, 0.12 * M_PI * 49) << k;
  }
}

TEST(Interpolation, NeedsTwoContouredSlices) {
  auto g = grid({20, 20, 5}, {1, 1, 1});
  auto m = labelmapOn(g);
  disc(m, 2, 10, 10, 3);
  LabelEdit edit(m, nullptr, {});
  auto r = interpolateSlices(edit, {});
  ASSERT_FALSE(r);
  EXPECT_NE(r.message().find("at least two slices"), std::string::npos);
}

TEST(Scissors, OrthographicSquareCutsAnObliquePrism) {
  auto g = grid({40, 40, 40}, {1, 1, 1});
  auto m = labelmapOn(g);
  ScissorsParams p;
  p.polygonMm = {{10.3, 12.5, 0}, {25.3, 12.5, 0}, {25.3, 22.5, 0}, {10.3, 22.5, 0}};  // on z = 0
  p.directionMm = {0.5, 0, 1};                                                     // rays slanted in x
  LabelEdit edit(m, nullptr, {});
  ASSERT_TRUE(applyScissors(edit, p));
  for (std::int64_t k = 0; k < 40; ++k)
    for (std::int64_t j = 0; j < 40; ++j)
      for (std::int64_t i = 0; i < 40; ++i) {
        double x0 = double(i) - 0.5 * double(k);  // where the ray through the voxel meets z = 0
        bool inside = x0 > 10.3 && x0 < 25.3 && double(j) > 12.5 && double(j) < 22.5;
        ASSERT_EQ(m.at(i, j, k), inside ? 1 : 0) << i << "," << j << "," << k;
      }
}

TEST(Scissors, PerspectiveSquareCutsAPyramidFromTheEye) {
  auto g = grid({41, 41, 30}, {1, 1, 1});
  auto m = labelmapOn(g);
  for (auto& v : m.voxels()) v = 1;
  // Eye above the volume at z = -10; a 5.8 mm square on the plane z = -5: the pyramid's half
  // width grows by 2.9 mm per 5 mm of depth from the eye. Erase inside.
  ScissorsParams p;
  p.projection = ScissorsParams::Projection::Perspective;
  p.eyeMm = {20, 20, -10};
  p.polygonMm = {{17.1, 17.1, -5}, {22.9, 17.1, -5}, {22.9, 22.9, -5}, {17.1, 22.9, -5}};
  p.erase = true;
  p.label = 1;
  LabelEdit edit(m, nullptr, {});
  ASSERT_TRUE(applyScissors(edit, p));
  for (std::int64_t k = 0; k < 30; ++k)
    for (std::int64_t j = 0; j < 41; ++j)
      for (std::int64_t i = 0; i < 41; ++i) {
        double half = 2.9 * (double(k) + 10) / 5;
        bool inside = std::abs(double(i) - 20) < half && std::abs(double(j) - 20) < half;
        ASSERT_EQ(m.at(i, j, k), inside ? 0 : 1) << i << "," << j << "," << k;
      }
}

TEST(Scissors, OutsideWithinAnIntensityRangeFillsOnlyMatchingVoxels) {
  auto g = grid({20, 20, 20}, {1, 1, 1});
  auto m = labelmapOn(g);
  core::Volume v(g, core::ScalarType::Int16);
  for (std::int64_t n = 0; n < g.voxelCount(); ++n) v.voxels<std::int16_t>()[std::size_t(n)] = std::int16_t(n % 2 ? 100 : 0);
  ScissorsParams p;
  p.polygonMm = {{5.5, 5.5, 0}, {14.5, 5.5, 0}, {14.5, 14.5, 0}, {5.5, 14.5, 0}};
  p.directionMm = {0, 0, 1};
  p.side = ScissorsParams::Side::Outside;
  PaintRule rule;
  rule.intensityRange = std::pair{50.0, 150.0};
  LabelEdit edit(m, &v, rule);
  auto changed = applyScissors(edit, p);
  ASSERT_TRUE(changed);
  for (std::int64_t k = 0; k < 20; ++k)
    for (std::int64_t j = 0; j < 20; ++j)
      for (std::int64_t i = 0; i < 20; ++i) {
        bool outside = !(i >= 6 && i <= 14 && j >= 6 && j <= 14);
        bool bright = g.linearIndex(i, j, k) % 2 == 1;
        ASSERT_EQ(m.at(i, j, k), outside && bright ? 1 : 0);
      }
}

TEST(Scissors, RejectsDegenerateViewsAndOutlines) {
  auto g = grid({10, 10, 10}, {1, 1, 1});
  auto m = labelmapOn(g);
  LabelEdit edit(m, nullptr, {});
  ScissorsParams p;
  p.polygonMm = {{1, 1, 0}, {8, 1, 0}, {8, 8, 0}, {1, 8, 0}};
  p.directionMm = {1, 0, 0};  // in the outline's plane
  EXPECT_FALSE(applyScissors(edit, p));
  p.projection = ScissorsParams::Projection::Perspective;
  p.eyeMm = {3, 3, 0};  // on the plane
  EXPECT_FALSE(applyScissors(edit, p));
  p.polygonMm = {{1, 1, 0}, {8, 8, 0}, {8, 1, 0}, {1, 8, 0}};  // a bow tie
  p.eyeMm = {3, 3, -5};
  auto r = applyScissors(edit, p);
  ASSERT_FALSE(r);
  EXPECT_NE(r.message().find("intersects itself"), std::string::npos);
  EXPECT_EQ(edit.changedVoxels(), 0);
}

TEST(Contours, FillInterpolateAndScissorsAreUndoneByTheirSteps) {
  auto g = grid({40, 40, 12}, {1, 1, 2});
  auto m = labelmapOn(g);
  History history;
  auto commit = [&](auto&& operation) {
    LabelEdit edit(m, nullptr, {});
    ASSERT_TRUE(operation(edit));
    Step step;
    step.voxels = edit.finish();
    ASSERT_TRUE(history.push(std::move(step)));
  };
  ContourParams a, b;
  a.pointsMm = {{5, 5, 0}, {20, 5, 0}, {20, 20, 0}, {5, 20, 0}};
  b.pointsMm = {{15, 15, 22}, {35, 15, 22}, {25, 35, 22}};
  commit([&](LabelEdit& e) { return fillContour(e, a); });
  commit([&](LabelEdit& e) { return fillContour(e, b); });
  commit([&](LabelEdit& e) { return interpolateSlices(e, {}); });
  ScissorsParams s;
  s.polygonMm = {{0, 0, -1}, {12, 0, -1}, {12, 40, -1}, {0, 40, -1}};
  s.erase = true;
  s.label = 1;
  commit([&](LabelEdit& e) { return applyScissors(e, s); });
  EXPECT_GT(m.histogram()[1], 0);
  while (history.canUndo()) history.undo(m);
  EXPECT_EQ(m.histogram()[0], g.voxelCount());
}

}  // namespace
}  // namespace delineo::tools
