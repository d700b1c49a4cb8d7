#include <gtest/gtest.h>

#include "core/LabelTable.h"

namespace delineo::core {
namespace {

TEST(LabelTable, AddGivesSmallestFreeIdAndDistinctColours) {
  LabelTable t;
  EXPECT_EQ(*t.add("Liver"), 1);
  EXPECT_EQ(*t.add("Spleen"), 2);
  ASSERT_TRUE(t.remove(1));
  EXPECT_EQ(*t.add("Kidney"), 1);
  EXPECT_EQ(t.find(1)->name, "Kidney");
  EXPECT_NE(t.find(1)->rgba, t.find(2)->rgba);
}

TEST(LabelTable, KeepsLabelsOrderedByIdAndReplacesOnSet) {
  LabelTable t;
  Label a;
  a.id = 7;
  a.name = "Bone";
  Label b;
  b.id = 3;
  b.name = "Skin";
  ASSERT_TRUE(t.set(a).ok());
  ASSERT_TRUE(t.set(b).ok());
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t.labels()[0].id, 3);
  EXPECT_EQ(t.labels()[1].id, 7);
  a.name = "Cortical bone";
  ASSERT_TRUE(t.set(a).ok());
  EXPECT_EQ(t.size(), 2u);
  EXPECT_EQ(t.find(7)->name, "Cortical bone");
  EXPECT_EQ(t.findByName("Skin")->id, 3);
  EXPECT_EQ(t.findByName("Liver"), nullptr);
}

TEST(LabelTable, BackgroundIdIsRefused) {
  LabelTable t;
  Label zero;
  zero.id = 0;
  auto r = t.set(zero);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.message().find("background"), std::string::npos);
}

TEST(LabelTable, AllIdsTakenIsAnError) {
  LabelTable t;
  for (int i = 1; i <= 255; ++i) ASSERT_TRUE(t.add("L").ok());
  EXPECT_FALSE(t.freeId().has_value());
  EXPECT_FALSE(t.add("one too many").ok());
}

}  // namespace
}  // namespace delineo::core
