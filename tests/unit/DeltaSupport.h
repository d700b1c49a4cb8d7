#pragma once
// Shared by the tests of tools that write through a LabelEdit: two undo deltas are the same
// (changed voxels, and brick for brick the same before and after bytes).
#include <gtest/gtest.h>

#include "tools/EditDelta.h"

namespace delineo::test {

inline void expectSameDelta(const tools::EditDelta& a, const tools::EditDelta& b) {
  EXPECT_EQ(a.changedVoxels, b.changedVoxels);
  ASSERT_EQ(a.bricks.size(), b.bricks.size());
  for (std::size_t n = 0; n < a.bricks.size(); ++n) {
    EXPECT_EQ(a.bricks[n].brick, b.bricks[n].brick);
    EXPECT_EQ(a.bricks[n].before, b.bricks[n].before);
    EXPECT_EQ(a.bricks[n].after, b.bricks[n].after);
  }
}

}  // namespace delineo::test
