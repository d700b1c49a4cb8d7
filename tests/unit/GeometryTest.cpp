#include <gtest/gtest.h>

#include <cmath>

#include "core/Geometry.h"

namespace delineo::core {
namespace {

// An oblique, anisotropic grid like a tilted MR acquisition: axes rotated 20 degrees about
// z and 10 degrees about x, spacing 0.8 x 0.8 x 3.3 mm.
Geometry obliqueGeometry() {
  const double a = 20.0 * M_PI / 180.0, b = 10.0 * M_PI / 180.0;
  Mat3 rz = Mat3::fromColumns({std::cos(a), std::sin(a), 0}, {-std::sin(a), std::cos(a), 0}, {0, 0, 1});
  Mat3 rx = Mat3::fromColumns({1, 0, 0}, {0, std::cos(b), std::sin(b)}, {0, -std::sin(b), std::cos(b)});
  Geometry g;
  g.dims = {64, 48, 20};
  g.spacingMm = {0.8, 0.8, 3.3};
  g.originMm = {-101.5, 37.25, -12.0};
  g.direction = rx * rz;
  return g;
}

TEST(Geometry, IjkToPatientRoundTripsOnObliqueAnisotropicGrid) {
  Geometry g = obliqueGeometry();
  for (Vec3 ijk : {Vec3{0, 0, 0}, Vec3{63, 47, 19}, Vec3{12.5, 3.25, 7.75}, Vec3{-2, 50, 30}}) {
    Vec3 back = g.patientToIjk(g.ijkToPatient(ijk));
    EXPECT_NEAR(back.x, ijk.x, 1e-9);
    EXPECT_NEAR(back.y, ijk.y, 1e-9);
    EXPECT_NEAR(back.z, ijk.z, 1e-9);
  }
}

TEST(Geometry, StepAlongEachAxisMovesBySpacingAlongItsDirection) {
  Geometry g = obliqueGeometry();
  Vec3 p0 = g.ijkToPatient({5, 5, 5});
  for (int axis = 0; axis < 3; ++axis) {
    Vec3 step{0, 0, 0};
    step[axis] = 1;
    Vec3 d = g.ijkToPatient(Vec3{5, 5, 5} + step) - p0;
    EXPECT_NEAR(length(d), g.spacingMm[axis], 1e-12);
    EXPECT_NEAR(dot(normalize(d), g.direction.column(axis)), 1.0, 1e-12);
  }
}

TEST(Geometry, OriginIsThePositionOfTheFirstVoxelCentre) {
  Geometry g = obliqueGeometry();
  Vec3 p = g.ijkToPatient({0, 0, 0});
  EXPECT_EQ(p, g.originMm);
}

TEST(Geometry, OrientationCodeNamesWhereEachAxisPoints) {
  Geometry g;
  g.dims = {2, 2, 2};
  EXPECT_EQ(g.orientationCode(), "LPS");
  // NIfTI's usual RAS storage seen in LPS: +i to the right, +j anterior.
  g.direction = Mat3::fromColumns({-1, 0, 0}, {0, -1, 0}, {0, 0, 1});
  EXPECT_EQ(g.orientationCode(), "RAS");
  // A coronal acquisition: rows left, columns inferior, slices anterior.
  g.direction = Mat3::fromColumns({1, 0, 0}, {0, 0, -1}, {0, -1, 0});
  EXPECT_EQ(g.orientationCode(), "LIA");
}

TEST(Geometry, ValidateRejectsDegenerateGrids) {
  Geometry g = obliqueGeometry();
  EXPECT_TRUE(g.validate("ok.nii").ok());

  Geometry zeroDim = g;
  zeroDim.dims[2] = 0;
  auto r = zeroDim.validate("bad.nii");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.message().find("bad.nii"), std::string::npos);
  EXPECT_NE(r.message().find("dimensions"), std::string::npos);

  Geometry negativeSpacing = g;
  negativeSpacing.spacingMm.y = -1;
  EXPECT_FALSE(negativeSpacing.validate("x").ok());

  Geometry parallelAxes = g;
  parallelAxes.direction.setColumn(1, parallelAxes.direction.column(0));
  r = parallelAxes.validate("x");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.message().find("degenerate"), std::string::npos);

  Geometry absurd = g;
  absurd.dims = {100000, 100000, 100000};
  r = absurd.validate("huge.nrrd");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.message().find("absurdly large"), std::string::npos);
}

TEST(Geometry, DescribeDifferenceExplainsMismatch) {
  Geometry a = obliqueGeometry();
  EXPECT_TRUE(a.sameGrid(a));
  Geometry b = a;
  b.dims[2] = 19;
  EXPECT_EQ(a.describeDifference(b), "dims 64x48x20 vs 64x48x19");
  b = a;
  b.originMm.x += 0.5;
  EXPECT_NE(a.describeDifference(b).find("origin"), std::string::npos);
  b = a;
  b.spacingMm.z = 3.0;
  EXPECT_NE(a.describeDifference(b).find("spacing"), std::string::npos);
  b = a;
  b.originMm.x += 1e-5;  // header rounding is not a mismatch
  EXPECT_TRUE(a.sameGrid(b));
}

}  // namespace
}  // namespace delineo::core
