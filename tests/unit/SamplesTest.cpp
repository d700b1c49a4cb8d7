// The samples the setup installs: what `delineo` and `delineo --sample mri` open.

#include <gtest/gtest.h>

#include "app/Samples.h"

namespace delineo::app {
namespace {

TEST(Samples, HeadCtOpensWithItsInVesaliusMasksAsLabels) {
  auto image = loadSample("ct");
  ASSERT_TRUE(image.ok()) << image.message();
  EXPECT_EQ(image->volume.geometry().dims, (core::Dims{256, 256, 108}));
  EXPECT_EQ(image->volume.modality, "CT");
  EXPECT_EQ(image->volume.scalarType(), core::ScalarType::Int16);
  auto [lo, hi] = image->volume.valueRange();
  EXPECT_LE(lo, -1000);  // air in HU
  EXPECT_GE(hi, 1500);   // bone
  ASSERT_TRUE(image->labels.has_value());
  EXPECT_EQ(image->labels->labels().size(), 2u);
  EXPECT_GT(image->labels->histogram()[1], 100000);
  EXPECT_TRUE(image->labels->checkMatches(image->volume.geometry(), "masks").ok());
}

TEST(Samples, MriOpensColin27WithTheAalAtlasAsLabels) {
  auto image = loadSample("mri");
  ASSERT_TRUE(image.ok()) << image.message();
  EXPECT_EQ(image->volume.geometry().dims, (core::Dims{181, 217, 181}));
  ASSERT_TRUE(image->labels.has_value());
  EXPECT_EQ(image->labels->labels().size(), 116u);
  EXPECT_EQ(image->labels->labels().find(1)->name, "Precentral_L");
  EXPECT_GT(image->labels->histogram()[1], 10000);
}

TEST(Samples, UnknownSampleNamesTheChoices) {
  auto image = loadSample("pet");
  ASSERT_FALSE(image.ok());
  EXPECT_NE(image.message().find("ct, mri"), std::string::npos) << image.message();
}

}  // namespace
}  // namespace delineo::app
