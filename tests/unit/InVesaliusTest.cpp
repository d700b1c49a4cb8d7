// InVesalius projects (.inv3): the real Cranium sample from Debian's invesalius-examples, and
// small archives written here to pin down the layout and every way a project can be damaged.

#include <gtest/gtest.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "core/io/InVesalius.h"
#include "tests/unit/TestSupport.h"

namespace delineo {
namespace {

namespace fs = std::filesystem;

const std::string kMaskName1 = "M\xc3\xa1scara 1";  // "Máscara 1", as InVesalius names masks in Portuguese
const std::string kMaskName2 = "M\xc3\xa1scara 2";

// ---------------------------------------------------------------------------------------------
// Writing small projects: a gzip'd tar as Python's tarfile writes it (GNU long names).

struct Member {
  std::string name;
  std::string data;
  std::uint64_t claimedSize = ~std::uint64_t{0};  // header size when it should lie
};

void putOctal(char* field, std::size_t length, std::uint64_t value) {
  std::snprintf(field, length, "%0*llo", static_cast<int>(length - 1),
                static_cast<unsigned long long>(value));
}

std::string tarHeader(const std::string& name, std::uint64_t size, char type) {
  std::string block(512, '\0');
  std::memcpy(block.data(), name.data(), std::min<std::size_t>(name.size(), 100));
  putOctal(&block[100], 8, 0644);
  putOctal(&block[108], 8, 0);
  putOctal(&block[116], 8, 0);
  putOctal(&block[124], 12, size);
  putOctal(&block[136], 12, 0);
  block[156] = type;
  std::memcpy(&block[257], "ustar  ", 8);
  std::memset(&block[148], ' ', 8);
  unsigned sum = 0;
  for (char c : block) sum += static_cast<unsigned char>(c);
  std::snprintf(&block[148], 8, "%06o", sum);
  return block;
}

std::string padded(std::string data) {
  data.resize((data.size() + 511) / 512 * 512, '\0');
  return data;
}

std::string tarOf(const std::vector<Member>& members) {
  std::string tar;
  for (const Member& m : members) {
    if (m.name.size() >= 100) {
      tar += tarHeader("././@LongLink", m.name.size() + 1, 'L');
      tar += padded(m.name + '\0');
    }
    std::uint64_t size = m.claimedSize != ~std::uint64_t{0} ? m.claimedSize : m.data.size();
    tar += tarHeader(m.name, size, '0');
    tar += padded(m.data);
  }
  return tar + std::string(1024, '\0');
}

void writeGzip(const fs::path& path, const std::string& bytes) {
  gzFile file = gzopen(path.c_str(), "wb");
  ASSERT_NE(file, nullptr);
  ASSERT_EQ(gzwrite(file, bytes.data(), static_cast<unsigned>(bytes.size())), static_cast<int>(bytes.size()));
  gzclose(file);
}

std::string plist(const std::string& dictBody) {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         "<!DOCTYPE plist PUBLIC \"-//Apple Computer//DTD PLIST 1.0//EN\" "
         "\"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n"
         "<plist version=\"1.0\">\n<dict>\n" +
         dictBody + "</dict>\n</plist>\n";
}

std::string mainPlist(const std::string& shapeZyx, const std::string& masks) {
  return plist("<key>masks</key><dict>" + masks +
               "</dict>"
               "<key>matrix</key><dict><key>dtype</key><string>int16</string>"
               "<key>filename</key><string>matrix.dat</string>"
               "<key>shape</key><array>" +
               shapeZyx +
               "</array></dict>"
               "<key>modality</key><string>CT</string>"
               "<key>name</key><string>Doe^Jane</string>"
               "<key>orientation</key><integer>1</integer>"
               "<key>spacing</key><array><real>0.5</real><real>0.75</real><integer>2</integer></array>");
}

std::string maskPlist(const std::string& name, const std::string& file, const std::string& colour) {
  return plist(
      "<key>colour</key><array>" + colour +
      "</array>"
      "<key>mask_file</key><string>" +
      file +
      "</string>"
      "<key>mask_shape</key><array><integer>3</integer><integer>4</integer><integer>5</integer></array>"
      "<key>name</key><string>" +
      name +
      "</string>"
      "<key>opacity</key><real>0.5</real>"
      "<key>visible</key><false/>");
}

// A 4x3x2 (i, j, k) int16 volume whose voxel value is its linear index i + 4j + 12k.
std::string smallMatrix() {
  std::string bytes;
  for (std::int16_t v = 0; v < 24; ++v) bytes.append(reinterpret_cast<const char*>(&v), 2);
  return bytes;
}

// A mask on the 4x3x2 grid: (z+1, y+1, x+1) = 3x4x5 bytes with a zero-padding first slice,
// row and column (with InVesalius's edit flag 1 in the padding), 255 at the given voxels.
std::string smallMask(const std::vector<std::array<int, 3>>& insideIjk) {
  std::string bytes(3 * 4 * 5, '\0');
  bytes[0 * 20 + 0 * 5 + 2] = 1;
  bytes[2 * 20 + 0 * 5 + 0] = 1;
  for (auto [i, j, k] : insideIjk)
    bytes[static_cast<std::size_t>((k + 1) * 20 + (j + 1) * 5 + (i + 1))] = '\xff';
  return bytes;
}

fs::path writeProject(const std::string& test, const std::vector<Member>& members) {
  fs::path path = test::scratchDir(test) / "project.inv3";
  writeGzip(path, tarOf(members));
  return path;
}

std::vector<Member> smallProject() {
  const std::string dir = "tmpab12cd/";
  return {
      {dir + "main.plist", mainPlist("<integer>2</integer><integer>3</integer><integer>4</integer>",
                                     "<key>0</key><string>mask_0.plist</string>"
                                     "<key>1</key><string>mask_1.plist</string>")},
      {dir + "mask_0.dat", smallMask({{0, 0, 0}, {1, 0, 0}, {2, 0, 0}, {3, 2, 1}})},
      {dir + "mask_0.plist",
       maskPlist("Bone &amp; teeth", "mask_0.dat", "<real>1.0</real><integer>0</integer><real>0.5</real>")},
      {dir + "mask_1.dat", smallMask({{1, 0, 0}})},
      {dir + "mask_1.plist",
       maskPlist("Implant", "mask_1.dat", "<real>0.0</real><real>0.0</real><real>1.0</real>")},
      // Longer than a ustar name field: Python's tarfile writes a GNU long-name member.
      {dir + std::string(120, 'x') + "/../matrix.dat", smallMatrix()},
  };
}

std::string errorOf(const fs::path& path) {
  auto result = io::readInVesalius(path.string());
  if (result.ok()) return "(loaded)";
  return result.message();
}

// ---------------------------------------------------------------------------------------------
// The real sample.

class InVesaliusCraniumTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto result = io::readInVesalius(test::kCraniumInv3);
    ASSERT_TRUE(result.ok()) << result.message();
    sImage = new io::LoadedImage(std::move(result).value());
  }
  static void TearDownTestSuite() {
    delete sImage;
    sImage = nullptr;
  }
  void SetUp() override { ASSERT_NE(sImage, nullptr); }

  const core::Volume& volume() const { return sImage->volume; }
  const core::Labelmap& labels() const { return *sImage->labels; }

  // Mean LPS position of the voxels for which keep(hu, label) holds, and how many there are.
  template <typename Keep>
  std::pair<core::Vec3, std::int64_t> centroid(Keep keep) const {
    const core::Geometry& g = volume().geometry();
    auto hu = volume().voxels<std::int16_t>();
    auto ids = labels().voxels();
    core::Vec3 sum;
    std::int64_t n = 0;
    for (std::int64_t k = 0; k < g.dims[2]; ++k)
      for (std::int64_t j = 0; j < g.dims[1]; ++j)
        for (std::int64_t i = 0; i < g.dims[0]; ++i) {
          auto v = static_cast<std::size_t>(g.linearIndex(i, j, k));
          if (!keep(hu[v], ids[v])) continue;
          sum = sum + core::Vec3{double(i), double(j), double(k)};
          ++n;
        }
    return {g.ijkToPatient(sum / double(std::max<std::int64_t>(n, 1))), n};
  }

  static io::LoadedImage* sImage;
};

io::LoadedImage* InVesaliusCraniumTest::sImage = nullptr;

TEST_F(InVesaliusCraniumTest, GridScalarsAndModalityComeFromMainPlist) {
  const core::Geometry& g = volume().geometry();
  EXPECT_EQ(g.dims, (core::Dims{256, 256, 108}));
  EXPECT_EQ(g.spacingMm.x, 0.95703119999999997);
  EXPECT_EQ(g.spacingMm.y, 0.95703119999999997);
  EXPECT_EQ(g.spacingMm.z, 1.5);
  EXPECT_EQ(g.originMm, (core::Vec3{0, 0, 0}));
  EXPECT_EQ(volume().scalarType(), core::ScalarType::Int16);
  EXPECT_EQ(volume().modality, "CT");
  EXPECT_EQ(sImage->format, "InVesalius");
}

TEST_F(InVesaliusCraniumTest, DescriptionIsTheFileNameNeverTheProjectNameInVesaliusTakesFromThePatient) {
  EXPECT_EQ(volume().description, "Cranium");
}

TEST_F(InVesaliusCraniumTest, VoxelsAreHounsfieldUnitsInTheRangeMainPlistStates) {
  auto [lo, hi] = volume().valueRange();
  EXPECT_EQ(lo, -1024);  // main.plist's scalar_range is -1024..3033
  EXPECT_GT(hi, 2500);
  EXPECT_LE(hi, 3033);
  EXPECT_LT(volume().valueAt(2, 2, 50), -900) << "a corner of the field of view is air";
  auto [bone, boneVoxels] = centroid([](std::int16_t hu, std::uint8_t) { return hu > 1000; });
  EXPECT_GT(boneVoxels, 50000) << "dense bone of a skull";
}

TEST_F(InVesaliusCraniumTest, EachMaskBecomesALabelWithItsNameAndColour) {
  ASSERT_TRUE(sImage->labels.has_value());
  EXPECT_TRUE(labels().checkMatches(volume().geometry(), "labels").ok());
  const auto& table = labels().labels().labels();
  ASSERT_EQ(table.size(), 2u);
  EXPECT_EQ(table[0].id, 1);
  EXPECT_EQ(table[0].name, kMaskName1);
  EXPECT_EQ(table[0].rgba, (std::array<std::uint8_t, 4>{84, 255, 84, 102}));  // 0.33, 1, 0.33; opacity 0.4
  EXPECT_EQ(table[1].id, 2);
  EXPECT_EQ(table[1].name, kMaskName2);
  EXPECT_EQ(table[1].rgba, (std::array<std::uint8_t, 4>{255, 128, 64, 102}));
}

TEST_F(InVesaliusCraniumTest, MasksAreTheirThresholdsAndTheNestedBoneMaskKeepsItsVoxels) {
  // Máscara 1 is bone (InVesalius threshold 226..3071), Máscara 2 the whole head (-142..2986),
  // which contains all of the bone. The smaller mask wins where they overlap.
  auto histogram = labels().histogram();
  EXPECT_EQ(histogram[1], 475759);
  EXPECT_EQ(histogram[2], 2319106 - 475759);
  auto hu = volume().voxels<std::int16_t>();
  auto ids = labels().voxels();
  std::int64_t boneOutside = 0, headOutside = 0;
  for (std::size_t v = 0; v < ids.size(); ++v) {
    if (ids[v] == 1 && (hu[v] < 226 || hu[v] > 3071)) ++boneOutside;
    if (ids[v] == 2 && (hu[v] < -142 || hu[v] > 2986)) ++headOutside;
    if (ids[v] == 0 && hu[v] >= 226 && hu[v] <= 2986) ++headOutside;
  }
  EXPECT_EQ(boneOutside, 0);
  EXPECT_EQ(headOutside, 0);
  bool warned = std::any_of(sImage->warnings.begin(), sImage->warnings.end(), [](const std::string& w) {
    return w.find("475759 voxels lie in more than one InVesalius mask") != std::string::npos;
  });
  EXPECT_TRUE(warned);
}

TEST_F(InVesaliusCraniumTest, TheHeadMaskEnclosesTheBone) {
  // Bone is wrapped in scalp outside and brain inside (both in the head mask); only the walls
  // of the sinuses, ear canals and nasal cavity touch air. Misplaced masks would expose more.
  const core::Geometry& g = volume().geometry();
  std::int64_t bone = 0, exposed = 0;
  for (std::int64_t k = 1; k + 1 < g.dims[2]; ++k)
    for (std::int64_t j = 1; j + 1 < g.dims[1]; ++j)
      for (std::int64_t i = 1; i + 1 < g.dims[0]; ++i) {
        if (labels().at(i, j, k) != 1) continue;
        ++bone;
        exposed += labels().at(i - 1, j, k) == 0 || labels().at(i + 1, j, k) == 0 ||
                   labels().at(i, j - 1, k) == 0 || labels().at(i, j + 1, k) == 0 ||
                   labels().at(i, j, k - 1) == 0 || labels().at(i, j, k + 1) == 0;
      }
  ASSERT_GT(bone, 400000);
  EXPECT_LT(double(exposed) / double(bone), 0.1);
}

TEST_F(InVesaliusCraniumTest, AxesPointLeftAnteriorSuperior) {
  EXPECT_EQ(volume().geometry().orientationCode(), "LAS");
}

TEST_F(InVesaliusCraniumTest, TeethAreAnteriorAndInferiorToTheSkull) {
  // Enamel is the densest tissue (> 1800 HU); in this scan it is only the upper teeth.
  auto [teeth, teethVoxels] = centroid([](std::int16_t hu, std::uint8_t) { return hu > 1800; });
  auto [skull, skullVoxels] = centroid([](std::int16_t, std::uint8_t id) { return id == 1; });
  ASSERT_GT(teethVoxels, 500);
  ASSERT_GT(skullVoxels, 100000);
  EXPECT_LT(teeth.y, skull.y - 50) << "anterior is -y in LPS";
  EXPECT_LT(teeth.z, skull.z - 50) << "inferior is -z in LPS";
  EXPECT_NEAR(teeth.x, skull.x, 15) << "the dental arch is on the midline";
}

TEST_F(InVesaliusCraniumTest, TheVaultOfTheSkullIsItsMostSuperiorPart) {
  // Bone per axial slice shrinks to a small cap at the top of a skull; at the bottom of this
  // scan (the maxilla) it is still broad. With +z flipped the broad end would be on top.
  const core::Geometry& g = volume().geometry();
  std::vector<std::pair<double, std::int64_t>> bonePerSlice;  // (LPS z, voxels)
  for (std::int64_t k = 0; k < g.dims[2]; ++k) {
    std::int64_t n = 0;
    for (std::int64_t j = 0; j < g.dims[1]; ++j)
      for (std::int64_t i = 0; i < g.dims[0]; ++i) n += labels().at(i, j, k) == 1;
    if (n > 0) bonePerSlice.emplace_back(g.ijkToPatient({0, 0, double(k)}).z, n);
  }
  ASSERT_FALSE(bonePerSlice.empty());
  std::sort(bonePerSlice.begin(), bonePerSlice.end());
  std::int64_t most = 0;
  for (auto [z, n] : bonePerSlice) most = std::max(most, n);
  EXPECT_LT(bonePerSlice.back().second, most / 10) << "top slice with bone";
  EXPECT_GT(bonePerSlice.front().second, most / 4) << "bottom slice with bone";
}

TEST_F(InVesaliusCraniumTest, TheBackOfTheHeadIsPosteriorToTheFace) {
  // The most anterior soft tissue (the nose) and the most posterior (the occiput), by LPS y.
  auto [tissue, n] = centroid([](std::int16_t, std::uint8_t id) { return id != 0; });
  ASSERT_GT(n, 0);
  const core::Geometry& g = volume().geometry();
  double minY = 1e9, maxY = -1e9, xAtMinY = 0;
  for (std::int64_t k = 0; k < g.dims[2]; ++k)
    for (std::int64_t j = 0; j < g.dims[1]; ++j)
      for (std::int64_t i = 0; i < g.dims[0]; ++i) {
        if (labels().at(i, j, k) == 0) continue;
        core::Vec3 p = g.ijkToPatient({double(i), double(j), double(k)});
        if (p.y < minY) minY = p.y, xAtMinY = p.x;
        maxY = std::max(maxY, p.y);
      }
  // The nose is on the midline, low in this scan; the occiput is a broad curve.
  EXPECT_NEAR(xAtMinY, tissue.x, 20) << "the most anterior point is the nose, on the midline";
  auto [teeth, teethVoxels] = centroid([](std::int16_t hu, std::uint8_t) { return hu > 1800; });
  EXPECT_LT(minY, teeth.y) << "the nose tip is in front of the teeth";
  EXPECT_GT(maxY - minY, 150) << "a head is about 18 cm from nose to occiput";
}

TEST(InVesalius, RecognisesProjectFilesByExtension) {
  EXPECT_TRUE(io::isInVesaliusPath("/data/Cranium.inv3"));
  EXPECT_TRUE(io::isInVesaliusPath("HEAD.INV3"));
  EXPECT_FALSE(io::isInVesaliusPath("head.nii.gz"));
  EXPECT_FALSE(io::isInVesaliusPath("inv3"));
}

// ---------------------------------------------------------------------------------------------
// Small projects: layout.

TEST(InVesalius, MatrixIsNumpyZMajorWithXFastest) {
  auto path = writeProject("InVesaliusLayout", smallProject());
  auto result = io::readInVesalius(path.string());
  ASSERT_TRUE(result.ok()) << result.message();
  const core::Volume& v = result->volume;
  EXPECT_EQ(v.geometry().dims, (core::Dims{4, 3, 2}));
  EXPECT_EQ(v.geometry().spacingMm, (core::Vec3{0.5, 0.75, 2}));
  for (int k = 0; k < 2; ++k)
    for (int j = 0; j < 3; ++j)
      for (int i = 0; i < 4; ++i) EXPECT_EQ(v.valueAt(i, j, k), i + 4 * j + 12 * k);
  EXPECT_EQ(v.description, "project") << "never main.plist's name, which holds the patient's";
}

TEST(InVesalius, MasksSkipTheirPaddingAndTheSmallerMaskWinsWhereTheyOverlap) {
  auto path = writeProject("InVesaliusMasks", smallProject());
  auto result = io::readInVesalius(path.string());
  ASSERT_TRUE(result.ok()) << result.message();
  ASSERT_TRUE(result->labels.has_value());
  const core::Labelmap& labels = *result->labels;
  EXPECT_EQ(labels.at(0, 0, 0), 1);
  EXPECT_EQ(labels.at(1, 0, 0), 2) << "the one-voxel mask lies inside the larger one";
  EXPECT_EQ(labels.at(2, 0, 0), 1);
  EXPECT_EQ(labels.at(3, 2, 1), 1);
  auto histogram = labels.histogram();
  EXPECT_EQ(histogram[0], 24 - 4);
  EXPECT_EQ(histogram[1], 3);
  EXPECT_EQ(histogram[2], 1);

  const core::Label* bone = labels.labels().find(1);
  ASSERT_NE(bone, nullptr);
  EXPECT_EQ(bone->name, "Bone & teeth");
  EXPECT_EQ(bone->rgba, (std::array<std::uint8_t, 4>{255, 0, 128, 128}));
  EXPECT_FALSE(bone->visible);
  ASSERT_NE(labels.labels().find(2), nullptr);
  EXPECT_EQ(labels.labels().find(2)->name, "Implant");
  bool warned = std::any_of(result->warnings.begin(), result->warnings.end(), [](const std::string& w) {
    return w.find("1 voxels lie in more than one InVesalius mask") != std::string::npos;
  });
  EXPECT_TRUE(warned);
}

TEST(InVesalius, AProjectWithoutMasksHasNoLabels) {
  auto members = smallProject();
  members[0].data = mainPlist("<integer>2</integer><integer>3</integer><integer>4</integer>", "");
  auto result = io::readInVesalius(writeProject("InVesaliusNoMasks", members).string());
  ASSERT_TRUE(result.ok()) << result.message();
  EXPECT_FALSE(result->labels.has_value());
}

TEST(InVesalius, AMissingMaskFileIsAWarningNotAFailure) {
  auto members = smallProject();
  members.erase(members.begin() + 3);  // mask_1.dat
  auto result = io::readInVesalius(writeProject("InVesaliusMissingMask", members).string());
  ASSERT_TRUE(result.ok()) << result.message();
  ASSERT_TRUE(result->labels.has_value());
  EXPECT_EQ(result->labels->labels().size(), 1u);
  bool warned = std::any_of(result->warnings.begin(), result->warnings.end(), [](const std::string& w) {
    return w.find("mask_1.plist") != std::string::npos && w.find("lacks mask_1.dat") != std::string::npos;
  });
  EXPECT_TRUE(warned);
}

// ---------------------------------------------------------------------------------------------
// Damaged projects: an error naming the file and the problem, never a crash, hang or huge
// allocation.

TEST(InVesalius, ATruncatedArchiveIsAnErrorNamingTheFile) {
  std::ifstream in(test::kCraniumInv3, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_GT(bytes.size(), 1000000u);
  fs::path path = test::scratchDir("InVesaliusTruncated") / "Cranium.inv3";
  std::ofstream(path, std::ios::binary).write(bytes.data(), std::streamsize(bytes.size() * 6 / 10));
  std::string error = errorOf(path);
  EXPECT_NE(error.find(path.string()), std::string::npos) << error;
  EXPECT_NE(error.find("truncated"), std::string::npos) << error;
}

TEST(InVesalius, FlippedBytesAreAnErrorNamingTheFile) {
  std::ifstream in(test::kCraniumInv3, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  fs::path dir = test::scratchDir("InVesaliusFlipped");
  for (double where : {0.001, 0.3, 0.7, 0.999}) {
    std::string damaged = bytes;
    auto at = static_cast<std::size_t>(double(damaged.size()) * where);
    for (std::size_t b = at; b < at + 8; ++b) damaged[b] = static_cast<char>(~damaged[b]);
    fs::path path = dir / ("Cranium-" + std::to_string(at) + ".inv3");
    std::ofstream(path, std::ios::binary).write(damaged.data(), std::streamsize(damaged.size()));
    std::string error = errorOf(path);
    EXPECT_NE(error.find(path.string()), std::string::npos) << "damage at byte " << at << ": " << error;
  }
}

TEST(InVesalius, AnArchiveWithoutMainPlistIsNotAProject) {
  auto members = smallProject();
  members.erase(members.begin());
  auto path = writeProject("InVesaliusNoMain", members);
  std::string error = errorOf(path);
  EXPECT_NE(error.find(path.string()), std::string::npos) << error;
  EXPECT_NE(error.find("no main.plist"), std::string::npos) << error;
}

TEST(InVesalius, AnAbsurdShapeIsRefusedBeforeAnythingIsAllocated) {
  auto members = smallProject();
  members[0].data =
      mainPlist("<integer>100000</integer><integer>100000</integer><integer>100000</integer>", "");
  std::string error = errorOf(writeProject("InVesaliusAbsurdShape", members));
  EXPECT_NE(error.find("main.plist"), std::string::npos) << error;
  EXPECT_NE(error.find("shape 100000x100000x100000"), std::string::npos) << error;

  members[0].data = mainPlist("<integer>2</integer><integer>-3</integer><integer>4</integer>", "");
  error = errorOf(writeProject("InVesaliusNegativeShape", members));
  EXPECT_NE(error.find("shape 2x-3x4"), std::string::npos) << error;
}

TEST(InVesalius, AMatrixShorterThanTheShapeIsAnError) {
  auto members = smallProject();
  members.back().data.resize(40);
  auto path = writeProject("InVesaliusShortMatrix", members);
  std::string error = errorOf(path);
  EXPECT_NE(error.find(path.string()), std::string::npos) << error;
  EXPECT_NE(error.find("matrix.dat has 40 bytes"), std::string::npos) << error;
  EXPECT_NE(error.find("needs 48"), std::string::npos) << error;
}

TEST(InVesalius, AHeaderClaimingGigabytesEndsAsTruncatedWithoutAllocatingThem) {
  // matrix.dat before main.plist (so no shape is known yet) and a header claiming 7 GiB.
  Member matrix{"matrix.dat", smallMatrix(), std::uint64_t{7} << 30};
  fs::path path = test::scratchDir("InVesaliusHugeHeader") / "project.inv3";
  writeGzip(path, tarHeader(matrix.name, matrix.claimedSize, '0') + padded(matrix.data));
  std::string error = errorOf(path);
  EXPECT_NE(error.find("truncated"), std::string::npos) << error;
  EXPECT_NE(error.find("matrix.dat"), std::string::npos) << error;
}

TEST(InVesalius, AFileThatIsNotAnArchiveIsRefused) {
  fs::path path = test::scratchDir("InVesaliusNotTar") / "notes.inv3";
  std::ofstream(path) << std::string(2000, 'x');
  std::string error = errorOf(path);
  EXPECT_NE(error.find(path.string()), std::string::npos) << error;
  EXPECT_NE(error.find("not a tar archive"), std::string::npos) << error;
  EXPECT_NE(errorOf(path.parent_path() / "missing.inv3").find("Cannot open"), std::string::npos);
}

TEST(InVesalius, AMalformedPlistIsAnErrorNamingIt) {
  auto members = smallProject();
  members[0].data = "<?xml version=\"1.0\"?><plist version=\"1.0\"><dict><key>matrix</key><dict>";
  std::string error = errorOf(writeProject("InVesaliusBadPlist", members));
  EXPECT_NE(error.find("main.plist is not a valid property list"), std::string::npos) << error;

  members[0].data = std::string(200, '<') + "array>";
  error = errorOf(writeProject("InVesaliusBadPlist2", members));
  EXPECT_NE(error.find("main.plist"), std::string::npos) << error;

  std::string deep;
  for (int n = 0; n < 100000; ++n) deep += "<array>";
  members[0].data = "<plist>" + deep;
  error = errorOf(writeProject("InVesaliusDeepPlist", members));
  EXPECT_NE(error.find("nesting deeper"), std::string::npos) << error;
}

TEST(InVesalius, LoadingReportsProgressAndStopsWhenCancelled) {
  auto path = writeProject("InVesaliusCancel", smallProject());
  std::atomic<bool> cancel{false};
  double last = -1;
  bool monotonic = true;
  core::TaskControl control;
  control.onProgress = [&](double fraction, std::string_view) {
    monotonic = monotonic && fraction >= last;
    last = fraction;
  };
  control.cancel = &cancel;
  auto loaded = io::readInVesalius(path.string(), control);
  ASSERT_TRUE(loaded.ok()) << loaded.message();
  EXPECT_TRUE(monotonic);
  EXPECT_EQ(last, 1.0);

  cancel = true;
  auto cancelled = io::readInVesalius(path.string(), control);
  ASSERT_FALSE(cancelled.ok());
  EXPECT_EQ(cancelled.message(), "cancelled");
}

}  // namespace
}  // namespace delineo
