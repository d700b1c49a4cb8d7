#include <gtest/gtest.h>

#include "core/Labelmap.h"
#include "core/Volume.h"

namespace delineo::core {
namespace {

Geometry smallGeometry() {
  Geometry g;
  g.dims = {70, 33, 5};
  g.spacingMm = {0.5, 0.5, 2.0};
  g.originMm = {10, -20, 30};
  return g;
}

TEST(Labelmap, ForVolumeLiesOnTheVolumesGrid) {
  Volume v(smallGeometry(), ScalarType::Int16);
  Labelmap l = Labelmap::forVolume(v);
  EXPECT_TRUE(l.checkMatches(v.geometry(), "seg.nii.gz").ok());
  EXPECT_EQ(l.voxels().size(), 70u * 33u * 5u);
  for (auto id : l.voxels()) ASSERT_EQ(id, 0);
}

TEST(Labelmap, GeometryMismatchIsRejectedWithClearError) {
  Volume v(smallGeometry(), ScalarType::Int16);
  Geometry other = smallGeometry();
  other.dims[2] = 6;
  Labelmap l(other);
  auto r = l.checkMatches(v.geometry(), "/data/seg.nii.gz");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.message(),
            "/data/seg.nii.gz: labelmap does not lie on the volume's grid: dims 70x33x6 vs 70x33x5");

  other = smallGeometry();
  other.originMm.z += 1.0;  // shifted half a slice
  r = Labelmap(other).checkMatches(v.geometry(), "shifted.nrrd");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.message().find("origin"), std::string::npos);

  other = smallGeometry();
  other.direction = Mat3::fromColumns({0, 1, 0}, {1, 0, 0}, {0, 0, 1});
  r = Labelmap(other).checkMatches(v.geometry(), "swapped.nrrd");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.message().find("direction"), std::string::npos);
}

TEST(Labelmap, BricksCoverTheGridIn32CubedBlocks) {
  Labelmap l(smallGeometry());
  EXPECT_EQ(l.brickDims(), (Dims{3, 2, 1}));
  EXPECT_EQ(l.brickCount(), 6);
}

TEST(Labelmap, HistogramAndMissingLabelsFollowTheVoxels) {
  Labelmap l(smallGeometry());
  l.voxels()[0] = 4;
  l.voxels()[1] = 4;
  l.voxels()[2] = 9;
  auto h = l.histogram();
  EXPECT_EQ(h[4], 2);
  EXPECT_EQ(h[9], 1);
  EXPECT_EQ(h[0], l.geometry().voxelCount() - 3);
  EXPECT_EQ(l.addMissingLabels(), 2);
  EXPECT_EQ(l.labels().find(9)->name, "Label 9");
  EXPECT_EQ(l.addMissingLabels(), 0);
}

TEST(Volume, KeepsNativeTypeAndReportsRange) {
  Volume v(smallGeometry(), ScalarType::Int16);
  auto vox = v.voxels<std::int16_t>();
  vox[0] = -1024;
  vox[5] = 3071;
  EXPECT_EQ(v.valueRange(), (std::pair<double, double>{-1024, 3071}));
  EXPECT_EQ(v.valueAt(5, 0, 0), 3071);
  EXPECT_EQ(v.byteSize(), 70u * 33u * 5u * 2u);
  EXPECT_STREQ(scalarName(v.scalarType()), "int16");
}

}  // namespace
}  // namespace delineo::core
