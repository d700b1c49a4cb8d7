// 3D Slicer .seg.nrrd: what we write carries Slicer's keys (names, colours, terminology,
// label values, extents) and reads back to the same labelmap; files written the way Slicer
// writes them, including older and multi-layer ones, read with the right names and values.

#include <gtest/gtest.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/io/AtomicFile.h"
#include "core/io/ItkImageIO.h"
#include "core/io/SegNrrd.h"
#include "tests/unit/TestSupport.h"

namespace delineo::io {
namespace {

namespace fs = std::filesystem;

core::Geometry obliqueGeometry() {
  core::Geometry g;
  g.dims = {9, 7, 5};
  g.spacingMm = {0.8, 0.6, 3.0};
  g.originMm = {-100.25, 42.5, -7.0};
  double c = std::cos(0.3), s = std::sin(0.3);
  // Tilted about x, then about z: no axis aligned with LPS.
  core::Mat3 rx = core::Mat3::fromColumns({1, 0, 0}, {0, c, s}, {0, -s, c});
  core::Mat3 rz = core::Mat3::fromColumns({c, s, 0}, {-s, c, 0}, {0, 0, 1});
  g.direction = rz * rx;
  return g;
}

core::Label makeLabel(int id, const std::string& name, std::array<std::uint8_t, 4> rgba) {
  core::Label l;
  l.id = static_cast<std::uint8_t>(id);
  l.name = name;
  l.rgba = rgba;
  return l;
}

// Liver (1) in a box, a vessel (4) inside it, a tumour (200) of one voxel, and a kidney (7)
// with no voxels yet.
core::Labelmap sampleLabelmap() {
  core::Labelmap labelmap(obliqueGeometry());
  for (std::int64_t k = 1; k <= 3; ++k)
    for (std::int64_t j = 2; j <= 5; ++j)
      for (std::int64_t i = 0; i <= 6; ++i) labelmap.voxels()[labelmap.geometry().linearIndex(i, j, k)] = 1;
  for (std::int64_t i = 3; i <= 8; ++i) labelmap.voxels()[labelmap.geometry().linearIndex(i, 4, 2)] = 4;
  labelmap.voxels()[labelmap.geometry().linearIndex(8, 6, 4)] = 200;

  core::Label liver = makeLabel(1, "Liver", {221, 130, 101, 255});
  liver.terminology = {{"123037004", "SCT", "Anatomical Structure"}, {"10200004", "SCT", "Liver"}, {}};
  core::Label vessel = makeLabel(4, "Portal vein (main)", {0, 151, 206, 128});
  vessel.terminology = {{"123037004", "SCT", "Anatomical Structure"}, {"32764006", "SCT", "Portal vein"}, {}};
  vessel.visible = false;
  core::Label kidney = makeLabel(7, "Left kidney", {185, 102, 83, 255});
  kidney.terminology = {{"123037004", "SCT", "Anatomical Structure"}, {"64033007", "SCT", "Kidney"},
                        {"7771000", "SCT", "Left"}};
  kidney.locked = true;
  core::Label tumour = makeLabel(200, "Tumour: segment 2 / 3", {255, 255, 0, 255});
  for (const auto& l : {liver, vessel, kidney, tumour}) EXPECT_TRUE(labelmap.labels().set(l).ok());
  return labelmap;
}

std::string headerOf(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::string text, line;
  while (std::getline(in, line) && !line.empty()) text += line + "\n";
  return text;
}

std::string keyValue(const std::string& header, const std::string& key) {
  std::string prefix = key + ":=";
  std::istringstream in(header);
  for (std::string line; std::getline(in, line);)
    if (line.rfind(prefix, 0) == 0) return line.substr(prefix.size());
  return "<missing " + key + ">";
}

void expectSameGeometry(const core::Geometry& a, const core::Geometry& b, double toleranceMm) {
  EXPECT_EQ(a.dims, b.dims);
  EXPECT_TRUE(a.sameGrid(b, toleranceMm)) << a.describeDifference(b, toleranceMm);
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 3; ++c) EXPECT_NEAR(a.direction.m[r][c], b.direction.m[r][c], 1e-6);
}

TEST(SegNrrd, RoundTripKeepsVoxelsGeometryNamesColoursAndTerminology) {
  auto dir = test::scratchDir("SegNrrd.RoundTrip");
  core::Labelmap labelmap = sampleLabelmap();
  std::string path = (dir / "case.seg.nrrd").string();
  ASSERT_TRUE(writeSegNrrd(labelmap, path).ok());
  std::vector<std::string> warnings;
  auto read = readSegNrrd(path, &warnings);
  ASSERT_TRUE(read.ok()) << read.message();
  EXPECT_TRUE(warnings.empty());
  EXPECT_TRUE(std::equal(labelmap.voxels().begin(), labelmap.voxels().end(), read->voxels().begin()));
  EXPECT_EQ(read->labels(), labelmap.labels());
  expectSameGeometry(read->geometry(), labelmap.geometry(), 1e-9);
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 1) << "temporary file left behind";
}

TEST(SegNrrd, WritesTheKeysSlicerWrites) {
  auto dir = test::scratchDir("SegNrrd.Keys");
  core::Labelmap labelmap = sampleLabelmap();
  fs::path path = dir / "case.seg.nrrd";
  ASSERT_TRUE(writeSegNrrd(labelmap, path.string()).ok());
  std::string h = headerOf(path);
  EXPECT_NE(h.find("space: left-posterior-superior\n"), std::string::npos) << h;
  EXPECT_NE(h.find("encoding: gzip\n"), std::string::npos) << h;
  EXPECT_NE(h.find("type: unsigned char\n"), std::string::npos) << h;
  EXPECT_NE(h.find("space directions: ("), std::string::npos) << h;
  EXPECT_NE(h.find("space origin: (-100.25"), std::string::npos) << h;
  EXPECT_EQ(keyValue(h, "Segmentation_MasterRepresentation"), "Binary labelmap");
  EXPECT_EQ(keyValue(h, "Segmentation_ContainedRepresentationNames"), "Binary labelmap|");
  EXPECT_EQ(keyValue(h, "Segmentation_ReferenceImageExtentOffset"), "0 0 0");

  // Segments in id order: Liver, Portal vein, Left kidney, Tumour.
  EXPECT_EQ(keyValue(h, "Segment0_ID"), "Segment_1");
  EXPECT_EQ(keyValue(h, "Segment0_Name"), "Liver");
  EXPECT_EQ(keyValue(h, "Segment0_NameAutoGenerated"), "0");
  EXPECT_EQ(keyValue(h, "Segment0_Color"), "0.866667 0.509804 0.396078");
  EXPECT_EQ(keyValue(h, "Segment0_ColorAutoGenerated"), "0");
  EXPECT_EQ(keyValue(h, "Segment0_LabelValue"), "1");
  EXPECT_EQ(keyValue(h, "Segment0_Layer"), "0");
  EXPECT_EQ(keyValue(h, "Segment0_Extent"), "0 6 2 5 1 3");
  EXPECT_EQ(keyValue(h, "Segment0_Tags"),
            "Segmentation.Status:inprogress|TerminologyEntry:Segmentation category and type - 3D Slicer General "
            "Anatomy list~SCT^123037004^Anatomical Structure~SCT^10200004^Liver~^^~Anatomic codes - DICOM master "
            "list~^^~^^|");
  EXPECT_EQ(keyValue(h, "Segment1_LabelValue"), "4");
  EXPECT_EQ(keyValue(h, "Segment1_Extent"), "3 8 4 4 2 2");
  EXPECT_EQ(keyValue(h, "Segment2_Name"), "Left kidney");
  EXPECT_EQ(keyValue(h, "Segment2_Extent"), "0 -1 0 -1 0 -1");  // Slicer's text for an empty segment
  EXPECT_NE(keyValue(h, "Segment2_Tags").find("~SCT^64033007^Kidney~SCT^7771000^Left~"), std::string::npos);
  EXPECT_EQ(keyValue(h, "Segment3_LabelValue"), "200");
  EXPECT_EQ(keyValue(h, "Segment3_Extent"), "8 8 6 6 4 4");
  EXPECT_EQ(keyValue(h, "Segment3_Tags"), "Segmentation.Status:inprogress|");
  EXPECT_EQ(keyValue(h, "Segment4_ID"), "<missing Segment4_ID>");
}

// A header as Slicer 5 writes it (keys in Slicer's alphabetical order), raw encoding.
const char* kSlicerHeader =
    "NRRD0004\n"
    "# Complete NRRD file format specification at:\n"
    "# http://teem.sourceforge.net/nrrd/format.html\n"
    "type: unsigned char\n"
    "dimension: 3\n"
    "space: left-posterior-superior\n"
    "sizes: 4 3 2\n"
    "space directions: (-0.5,0,0) (0,-0.5,0) (0,0,2.5)\n"
    "kinds: domain domain domain\n"
    "encoding: raw\n"
    "space origin: (60.5,-20,30)\n"
    "Segment0_Color:=0.501961 0.682353 0.501961\n"
    "Segment0_ColorAutoGenerated:=1\n"
    "Segment0_Extent:=0 3 0 2 0 0\n"
    "Segment0_ID:=Segment_1\n"
    "Segment0_LabelValue:=1\n"
    "Segment0_Layer:=0\n"
    "Segment0_Name:=liver\n"
    "Segment0_NameAutoGenerated:=0\n"
    "Segment0_Tags:=Segmentation.Status:inprogress|TerminologyEntry:Segmentation category and type - 3D Slicer "
    "General Anatomy list~SCT^123037004^Anatomical Structure~SCT^10200004^Liver~^^~Anatomic codes - DICOM master "
    "list~^^~^^|\n"
    "Segment1_Color:=0.945098 0.839216 0.568627\n"
    "Segment1_ColorAutoGenerated:=0\n"
    "Segment1_Extent:=1 2 1 1 1 1\n"
    "Segment1_ID:=Segment_2\n"
    "Segment1_LabelValue:=5\n"
    "Segment1_Layer:=0\n"
    "Segment1_Name:=tumor core\n"
    "Segment1_NameAutoGenerated:=0\n"
    "Segment1_Tags:=Segmentation.Status:completed|\n"
    "Segmentation_ContainedRepresentationNames:=Binary labelmap|Closed surface|\n"
    "Segmentation_ConversionParameters:=Collapse labelmaps|1|Merge the labelmaps into as few shared labelmaps as "
    "possible 1 = created labelmaps will be shared if possible without overwriting each other.&Compute surface "
    "normals|1|Compute surface normals. 1 (default) = surface normals are computed. 0 = surface normals are not "
    "computed (slightly faster but produces less smooth surface display).\n"
    "Segmentation_MasterRepresentation:=Binary labelmap\n"
    "Segmentation_ReferenceImageExtentOffset:=0 0 0\n"
    "\n";

TEST(SegNrrd, ReadsAFileWrittenTheWaySlicerWritesIt) {
  auto dir = test::scratchDir("SegNrrd.SlicerStyle");
  fs::path path = dir / "Segmentation.seg.nrrd";
  std::string data(24, '\0');
  for (int i = 0; i < 12; ++i) data[i] = 1;  // slice 0: all liver
  data[12 + 4 + 1] = 5;                       // (1,1,1) and (2,1,1): tumour
  data[12 + 4 + 2] = 5;
  std::ofstream(path, std::ios::binary) << kSlicerHeader << data;

  auto read = readSegNrrd(path.string());
  ASSERT_TRUE(read.ok()) << read.message();
  EXPECT_EQ(read->geometry().dims, (core::Dims{4, 3, 2}));
  EXPECT_EQ(read->geometry().originMm, (core::Vec3{60.5, -20, 30}));
  EXPECT_EQ(read->geometry().spacingMm, (core::Vec3{0.5, 0.5, 2.5}));
  EXPECT_EQ(read->geometry().orientationCode(), "RAS");
  EXPECT_EQ(read->at(3, 2, 0), 1);
  EXPECT_EQ(read->at(2, 1, 1), 5);
  EXPECT_EQ(read->at(3, 1, 1), 0);

  ASSERT_EQ(read->labels().size(), 2u);
  const core::Label* liver = read->labels().find(1);
  ASSERT_NE(liver, nullptr);
  EXPECT_EQ(liver->name, "liver");
  EXPECT_EQ(liver->rgba, (std::array<std::uint8_t, 4>{128, 174, 128, 255}));
  EXPECT_EQ(liver->terminology.category, (core::Code{"123037004", "SCT", "Anatomical Structure"}));
  EXPECT_EQ(liver->terminology.type, (core::Code{"10200004", "SCT", "Liver"}));
  EXPECT_TRUE(liver->terminology.typeModifier.empty());
  const core::Label* tumour = read->labels().find(5);
  ASSERT_NE(tumour, nullptr);
  EXPECT_EQ(tumour->name, "tumor core");
  EXPECT_EQ(tumour->rgba, (std::array<std::uint8_t, 4>{241, 214, 145, 255}));
  EXPECT_TRUE(tumour->terminology.empty());
}

TEST(SegNrrd, OlderFilesWithoutLabelValueNumberSegmentsFromOne) {
  auto dir = test::scratchDir("SegNrrd.NoLabelValue");
  std::string header = kSlicerHeader;
  for (const char* key : {"Segment0_LabelValue:=1\n", "Segment1_LabelValue:=5\n", "Segment0_Layer:=0\n", "Segment1_Layer:=0\n"})
    header.erase(header.find(key), std::strlen(key));
  std::string data(24, '\0');
  data[0] = 1;
  data[23] = 2;
  fs::path path = dir / "old.seg.nrrd";
  std::ofstream(path, std::ios::binary) << header << data;
  auto read = readSegNrrd(path.string());
  ASSERT_TRUE(read.ok()) << read.message();
  ASSERT_EQ(read->labels().size(), 2u);
  EXPECT_EQ(read->labels().find(1)->name, "liver");
  EXPECT_EQ(read->labels().find(2)->name, "tumor core");
  EXPECT_EQ(read->at(3, 2, 1), 2);
}

TEST(SegNrrd, MultiLayerFilesAreFlattenedWithAWarning) {
  auto dir = test::scratchDir("SegNrrd.MultiLayer");
  // Two layers over 2x2x1 voxels: layer 0 holds A (value 1), layer 1 holds B (value 1) and
  // C (value 2); A and B overlap at voxel 1.
  std::string header =
      "NRRD0004\n"
      "type: unsigned char\n"
      "dimension: 4\n"
      "space: left-posterior-superior\n"
      "sizes: 2 2 2 1\n"
      "space directions: none (1,0,0) (0,1,0) (0,0,1)\n"
      "kinds: list domain domain domain\n"
      "encoding: raw\n"
      "space origin: (0,0,0)\n"
      "Segment0_ID:=A\nSegment0_Name:=A\nSegment0_LabelValue:=1\nSegment0_Layer:=0\n"
      "Segment1_ID:=B\nSegment1_Name:=B\nSegment1_LabelValue:=1\nSegment1_Layer:=1\n"
      "Segment2_ID:=C\nSegment2_Name:=C\nSegment2_LabelValue:=2\nSegment2_Layer:=1\n"
      "\n";
  // Voxel-major, layer fastest: (layer0, layer1) per voxel.
  const unsigned char data[8] = {1, 0, 1, 1, 0, 2, 0, 0};
  fs::path path = dir / "overlap.seg.nrrd";
  {
    std::ofstream out(path, std::ios::binary);
    out << header;
    out.write(reinterpret_cast<const char*>(data), sizeof data);
  }
  std::vector<std::string> warnings;
  auto read = readSegNrrd(path.string(), &warnings);
  ASSERT_TRUE(read.ok()) << read.message();
  EXPECT_EQ(read->geometry().dims, (core::Dims{2, 2, 1}));
  EXPECT_EQ(read->at(0, 0, 0), 1);  // A
  EXPECT_EQ(read->at(1, 0, 0), 2);  // A and B: the later segment, B, wins
  EXPECT_EQ(read->at(0, 1, 0), 3);  // C
  EXPECT_EQ(read->at(1, 1, 0), 0);
  EXPECT_EQ(read->labels().find(1)->name, "A");
  EXPECT_EQ(read->labels().find(2)->name, "B");
  EXPECT_EQ(read->labels().find(3)->name, "C");
  ASSERT_EQ(warnings.size(), 2u);
  EXPECT_NE(warnings[1].find("1 voxels belonged to more than one segment"), std::string::npos) << warnings[1];
}

TEST(SegNrrd, ErrorsNameTheFile) {
  auto dir = test::scratchDir("SegNrrd.Errors");
  auto missing = readSegNrrd((dir / "absent.seg.nrrd").string());
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.message().find("absent.seg.nrrd"), std::string::npos);

  std::string header = kSlicerHeader;
  header.replace(header.find("Segment1_LabelValue:=5"), 22, "Segment1_LabelValue:=1");
  fs::path path = dir / "dup.seg.nrrd";
  std::ofstream(path, std::ios::binary) << header << std::string(24, '\0');
  auto duplicate = readSegNrrd(path.string());
  ASSERT_FALSE(duplicate.ok());
  EXPECT_NE(duplicate.message().find("dup.seg.nrrd: segments \"liver\" and \"tumor core\" share label value 1"),
            std::string::npos)
      << duplicate.message();
}

TEST(SegNrrd, LabelmapSurvivesNiftiNrrdMetaImageAndSegNrrd) {
  auto dir = test::scratchDir("SegNrrd.AcrossFormats");
  core::Labelmap original = sampleLabelmap();
  // The ITK-SNAP sidecar keeps names, colours and visibility; terminology and locks travel
  // only in .seg.nrrd, so they start empty here.
  for (const core::Label& l : std::vector<core::Label>(original.labels().labels())) {
    core::Label plain = l;
    plain.terminology = {};
    plain.locked = false;
    ASSERT_TRUE(original.labels().set(plain).ok());
  }
  core::Labelmap current = original;
  for (const char* name : {"a.nii.gz", "b.nrrd", "c.mha", "d.seg.nrrd", "e.nii"}) {
    std::string path = (dir / name).string();
    bool seg = isSegNrrdPath(path);
    ASSERT_TRUE((seg ? writeSegNrrd(current, path) : writeItkLabelmap(current, path)).ok()) << name;
    auto read = seg ? readSegNrrd(path) : readItkLabelmap(path);
    ASSERT_TRUE(read.ok()) << read.message();
    EXPECT_TRUE(std::equal(original.voxels().begin(), original.voxels().end(), read->voxels().begin())) << name;
    EXPECT_EQ(read->labels(), original.labels()) << name;
    expectSameGeometry(read->geometry(), original.geometry(), 2e-5);  // NIfTI keeps float32
    current = std::move(*read);
  }
}

}  // namespace
}  // namespace delineo::io
