#include <gtest/gtest.h>

#include "tools/EditDelta.h"

namespace delineo::tools {
namespace {

TEST(EditDelta, RunLengthRoundTripsAnyBytes) {
  std::vector<std::uint8_t> voxels(32 * 32 * 32, 0);
  for (std::size_t i = 1000; i < 1500; ++i) voxels[i] = 3;
  for (std::size_t i = 20000; i < 20010; i += 2) voxels[i] = static_cast<std::uint8_t>(i);
  auto runs = encodeRuns(voxels);
  EXPECT_LT(runs.size(), 100u);  // mostly constant: a few runs
  std::vector<std::uint8_t> back(voxels.size());
  ASSERT_TRUE(decodeRuns(runs, back));
  EXPECT_EQ(back, voxels);
}

TEST(EditDelta, LongRunsAreSplitAndStillDecode) {
  std::vector<std::uint8_t> voxels(200000, 7);
  auto runs = encodeRuns(voxels);
  std::vector<std::uint8_t> back(voxels.size());
  ASSERT_TRUE(decodeRuns(runs, back));
  EXPECT_EQ(back, voxels);
}

TEST(EditDelta, CorruptRunsAreRejected) {
  std::vector<std::uint8_t> voxels(100, 1);
  auto runs = encodeRuns(voxels);
  std::vector<std::uint8_t> wrongSize(99);
  EXPECT_FALSE(decodeRuns(runs, wrongSize));
  runs.pop_back();
  std::vector<std::uint8_t> back(100);
  EXPECT_FALSE(decodeRuns(runs, back));
}

TEST(EditDelta, BrickBoxesAreClippedAtTheGridEdge) {
  core::Geometry g;
  g.dims = {40, 32, 33};
  core::Labelmap m(g);
  EXPECT_EQ(m.brickCount(), 2 * 1 * 2);
  BrickBox last = brickBox(m, 3);
  EXPECT_EQ(last.lo[0], 32);
  EXPECT_EQ(last.hi[0], 40);
  EXPECT_EQ(last.lo[2], 32);
  EXPECT_EQ(last.hi[2], 33);
  EXPECT_EQ(last.voxelCount(), 8 * 32 * 1);
}

}  // namespace
}  // namespace delineo::tools
