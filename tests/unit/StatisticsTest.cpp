#include <gtest/gtest.h>

#include <cmath>

#include "tools/Compare.h"
#include "tools/Statistics.h"

namespace delineo::tools {
namespace {

core::Geometry grid() {
  core::Geometry g;
  g.dims = {60, 50, 40};
  g.spacingMm = {0.5, 0.8, 1.25};
  g.originMm = {-10, 20, 5};
  return g;
}

// Fills the index box [lo, hi] (inclusive) with `id`.
void box(core::Labelmap& m, std::array<std::int64_t, 3> lo, std::array<std::int64_t, 3> hi, std::uint8_t id) {
  for (std::int64_t k = lo[2]; k <= hi[2]; ++k)
    for (std::int64_t j = lo[1]; j <= hi[1]; ++j)
      for (std::int64_t i = lo[0]; i <= hi[0]; ++i)
        m.voxels()[static_cast<std::size_t>(m.geometry().linearIndex(i, j, k))] = id;
}

TEST(Statistics, CubeGivesItsVolumeCentroidBoundsAndIntensities) {
  auto g = grid();
  core::Labelmap m(g);
  box(m, {10, 10, 10}, {19, 19, 19}, 3);  // 10x10x10 voxels
  core::Volume v(g, core::ScalarType::Int16);
  auto vox = v.voxels<std::int16_t>();
  for (std::int64_t k = 0; k < g.dims[2]; ++k)
    for (std::int64_t j = 0; j < g.dims[1]; ++j)
      for (std::int64_t i = 0; i < g.dims[0]; ++i)
        vox[static_cast<std::size_t>(g.linearIndex(i, j, k))] = static_cast<std::int16_t>(i % 2 ? 100 : 50);
  auto stats = computeStatistics(m, &v);
  ASSERT_EQ(stats.size(), 1u);
  const auto& s = stats[0];
  EXPECT_EQ(s.id, 3);
  EXPECT_EQ(s.voxels, 1000);
  EXPECT_NEAR(s.volumeMl, 1000 * 0.5 * 0.8 * 1.25 / 1000.0, 1e-12);
  EXPECT_DOUBLE_EQ(s.mean, 75.0);
  EXPECT_DOUBLE_EQ(s.stddev, 25.0);
  EXPECT_EQ(s.min, 50);
  EXPECT_EQ(s.max, 100);
  core::Vec3 centre = g.ijkToPatient({14.5, 14.5, 14.5});
  EXPECT_NEAR(s.centroidMm.x, centre.x, 1e-9);
  EXPECT_NEAR(s.centroidMm.y, centre.y, 1e-9);
  EXPECT_NEAR(s.centroidMm.z, centre.z, 1e-9);
  EXPECT_NEAR(s.boundsMinMm.x, -10 + 10 * 0.5, 1e-9);
  EXPECT_NEAR(s.boundsMaxMm.z, 5 + 19 * 1.25, 1e-9);
}

TEST(Statistics, LabelsInTheTableWithoutVoxelsAreListedEmpty) {
  core::Labelmap m(grid());
  (void)m.labels().add("Tumour");
  auto stats = computeStatistics(m, nullptr);
  ASSERT_EQ(stats.size(), 1u);
  EXPECT_EQ(stats[0].voxels, 0);
  EXPECT_EQ(stats[0].volumeMl, 0);
}

TEST(Compare, IdenticalLabelmapsAgreePerfectly) {
  core::Labelmap a(grid());
  box(a, {5, 5, 5}, {20, 25, 15}, 1);
  auto result = compareLabelmaps(a, a);
  ASSERT_TRUE(result.ok());
  ASSERT_EQ(result->size(), 1u);
  EXPECT_EQ((*result)[0].dice, 1.0);
  EXPECT_EQ((*result)[0].jaccard, 1.0);
  EXPECT_EQ(*(*result)[0].hausdorffMm, 0.0);
  EXPECT_EQ(*(*result)[0].hausdorff95Mm, 0.0);
}

TEST(Compare, ShiftedCubeGivesKnownOverlapAndDistance) {
  core::Labelmap a(grid()), b(grid());
  box(a, {10, 10, 10}, {19, 19, 19}, 1);
  box(b, {13, 10, 10}, {22, 19, 19}, 1);  // shifted 3 voxels = 1.5 mm along i
  auto result = compareLabelmaps(a, b);
  ASSERT_TRUE(result.ok());
  const auto& c = (*result)[0];
  EXPECT_EQ(c.voxelsBoth, 700);
  EXPECT_DOUBLE_EQ(c.dice, 2.0 * 700 / 2000);
  EXPECT_DOUBLE_EQ(c.jaccard, 700.0 / 1300);
  EXPECT_DOUBLE_EQ(c.volumeDifferenceMl, 0.0);
  EXPECT_NEAR(*c.hausdorffMm, 1.5, 1e-9);
  EXPECT_NEAR(*c.hausdorff95Mm, 1.5, 1e-9);
}

TEST(Compare, SpheresOfDifferentRadiiDifferByTheRadiusGap) {
  core::Geometry g;
  g.dims = {64, 64, 64};
  core::Labelmap a(g), b(g);
  for (std::int64_t k = 0; k < 64; ++k)
    for (std::int64_t j = 0; j < 64; ++j)
      for (std::int64_t i = 0; i < 64; ++i) {
        double r = std::sqrt(double((i - 32) * (i - 32) + (j - 32) * (j - 32) + (k - 32) * (k - 32)));
        auto idx = static_cast<std::size_t>(g.linearIndex(i, j, k));
        if (r <= 20) a.voxels()[idx] = 1;
        if (r <= 14) b.voxels()[idx] = 1;
      }
  auto result = compareLabelmaps(a, b);
  ASSERT_TRUE(result.ok());
  // Surfaces 6 mm apart, within a voxel of discretisation.
  EXPECT_NEAR(*(*result)[0].hausdorffMm, 6.0, 1.0);
  EXPECT_NEAR(*(*result)[0].hausdorff95Mm, 6.0, 1.0);
  EXPECT_LT((*result)[0].volumeDifferenceMl, 0);
}

TEST(Compare, LabelMissingInOneLabelmapHasNoDistance) {
  core::Labelmap a(grid()), b(grid());
  box(a, {1, 1, 1}, {3, 3, 3}, 2);
  auto result = compareLabelmaps(a, b);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ((*result)[0].dice, 0.0);
  EXPECT_FALSE((*result)[0].hausdorffMm.has_value());
}

TEST(Compare, DifferentGridsAreRejected) {
  core::Labelmap a(grid());
  auto g = grid();
  g.dims[0] = 61;
  core::Labelmap b(g);
  auto result = compareLabelmaps(a, b);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.message().find("dims"), std::string::npos);
}

TEST(Compare, PercentileInterpolatesLikeNumpy) {
  EXPECT_DOUBLE_EQ(percentile({1, 2, 3, 4}, 50), 2.5);
  EXPECT_DOUBLE_EQ(percentile({0, 10}, 95), 9.5);
  EXPECT_DOUBLE_EQ(percentile({7}, 95), 7);
}

}  // namespace
}  // namespace delineo::tools
