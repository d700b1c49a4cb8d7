// ITK-SNAP label description files: what ITK-SNAP exports parses into our LabelTable, what we
// write is what ITK-SNAP writes, and a bad line is reported by file and line number.

#include <gtest/gtest.h>

#include <fstream>

#include "core/io/ItkSnapLabels.h"
#include "tests/unit/TestSupport.h"

namespace delineo::io {
namespace {

core::Label makeLabel(int id, const std::string& name, std::array<std::uint8_t, 4> rgba, bool visible = true) {
  core::Label l;
  l.id = static_cast<std::uint8_t>(id);
  l.name = name;
  l.rgba = rgba;
  l.visible = visible;
  return l;
}

// As ITK-SNAP 3.8's "Export Label Descriptions" writes it, plus a hand-edited tail.
const char* kItkSnapExport =
    "################################################\n"
    "# ITK-SnAP Label Description File\n"
    "# File format: \n"
    "# IDX   -R-  -G-  -B-  -A--  VIS MSH  LABEL\n"
    "# Fields: \n"
    "#    IDX:   Zero-based index \n"
    "#    -R-:   Red color component (0..255)\n"
    "#    -G-:   Green color component (0..255)\n"
    "#    -B-:   Blue color component (0..255)\n"
    "#    -A-:   Label transparency (0.00 .. 1.00)\n"
    "#    VIS:   Label visibility (0 or 1)\n"
    "#    IDX:   Label mesh visibility (0 or 1)\n"
    "#  LABEL:   Label description \n"
    "################################################\n"
    "    0     0    0    0        0  0  0    \"Clear Label\"\n"
    "    1   255    0    0        1  1  1    \"Liver\"\n"
    "    2     0  255    0      0.5  0  0    \"Left kidney\"\r\n"
    "\n"
    "  # a comment a user added\n"
    "  200   186  194  212        1  1  1    \"Vessel \"tree\" (hepatic)\"\n";

TEST(ItkSnapLabels, ParsesAnItkSnapExportSkippingTheClearLabel) {
  auto table = parseItkSnapLabels(kItkSnapExport, "labels.txt");
  ASSERT_TRUE(table.ok()) << table.message();
  ASSERT_EQ(table->size(), 3u);

  const core::Label* liver = table->find(1);
  ASSERT_NE(liver, nullptr);
  EXPECT_EQ(liver->name, "Liver");
  EXPECT_EQ(liver->rgba, (std::array<std::uint8_t, 4>{255, 0, 0, 255}));
  EXPECT_TRUE(liver->visible);

  const core::Label* kidney = table->find(2);
  ASSERT_NE(kidney, nullptr);
  EXPECT_EQ(kidney->name, "Left kidney");  // spaces kept, CR of a Windows line dropped
  EXPECT_EQ(kidney->rgba, (std::array<std::uint8_t, 4>{0, 255, 0, 128}));
  EXPECT_FALSE(kidney->visible);

  const core::Label* vessel = table->find(200);
  ASSERT_NE(vessel, nullptr);
  EXPECT_EQ(vessel->name, "Vessel \"tree\" (hepatic)");  // first to last quote, as ITK-SNAP reads
  EXPECT_EQ(vessel->rgba, (std::array<std::uint8_t, 4>{186, 194, 212, 255}));
  EXPECT_EQ(table->find(0), nullptr);
}

TEST(ItkSnapLabels, WritesTheHeaderAndClearLabelLikeItkSnap) {
  core::LabelTable table;
  ASSERT_TRUE(table.set(makeLabel(1, "Liver", {255, 0, 0, 255})).ok());
  std::string text = formatItkSnapLabels(table);
  std::string exported = kItkSnapExport;
  std::string expectedStart = exported.substr(0, exported.find("    2 "));
  EXPECT_EQ(text, expectedStart);
}

TEST(ItkSnapLabels, FormatThenParseGivesTheSameTable) {
  core::LabelTable table;
  ASSERT_TRUE(table.set(makeLabel(1, "Liver", {221, 130, 101, 255})).ok());
  ASSERT_TRUE(table.set(makeLabel(7, "Portal vein (main)", {0, 151, 206, 128}, false)).ok());
  ASSERT_TRUE(table.set(makeLabel(255, "Tumour #2", {1, 2, 3, 1})).ok());
  for (int alpha = 0; alpha < 256; ++alpha) {
    core::Label l = *table.find(255);
    l.rgba[3] = static_cast<std::uint8_t>(alpha);
    ASSERT_TRUE(table.set(l).ok());
    auto parsed = parseItkSnapLabels(formatItkSnapLabels(table), "round trip");
    ASSERT_TRUE(parsed.ok()) << parsed.message();
    ASSERT_EQ(*parsed, table) << "opacity " << alpha << " did not survive";
  }
}

TEST(ItkSnapLabels, ABadLineIsReportedWithFileAndLineNumber) {
  std::string text = "# header\n    1   255    0    0        1  1  1    \"Liver\"\n    2   255    x    0  1  1  1  \"Bad\"\n";
  auto parsed = parseItkSnapLabels(text, "/data/case1.labels.txt");
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.message().find("/data/case1.labels.txt, line 3"), std::string::npos) << parsed.message();
  EXPECT_NE(parsed.message().find("\"x\" is not a number"), std::string::npos) << parsed.message();

  auto missing = parseItkSnapLabels("  1 255 0 0 1 1 \"Liver\"\n", "f.txt");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.message().find("f.txt, line 1"), std::string::npos) << missing.message();

  auto unclosed = parseItkSnapLabels("  1 255 0 0 1 1 1 \"Liver\n", "f.txt");
  ASSERT_FALSE(unclosed.ok());
  EXPECT_NE(unclosed.message().find("closing quote"), std::string::npos) << unclosed.message();

  auto outOfRange = parseItkSnapLabels("\n\n  300 255 0 0 1 1 1 \"Big\"\n", "f.txt");
  ASSERT_FALSE(outOfRange.ok());
  EXPECT_NE(outOfRange.message().find("line 3: label id 300 is outside 0..255"), std::string::npos)
      << outOfRange.message();
}

TEST(ItkSnapLabels, WriteAndReadAFile) {
  auto dir = test::scratchDir("ItkSnapLabels.WriteAndReadAFile");
  core::LabelTable table;
  ASSERT_TRUE(table.set(makeLabel(3, "Spleen", {157, 108, 162, 255})).ok());
  std::string path = (dir / "case.labels.txt").string();
  ASSERT_TRUE(writeItkSnapLabels(table, path).ok());
  auto read = readItkSnapLabels(path);
  ASSERT_TRUE(read.ok()) << read.message();
  EXPECT_EQ(*read, table);

  auto absent = readItkSnapLabels((dir / "none.labels.txt").string());
  ASSERT_FALSE(absent.ok());
  EXPECT_NE(absent.message().find("none.labels.txt"), std::string::npos);
}

}  // namespace
}  // namespace delineo::io
