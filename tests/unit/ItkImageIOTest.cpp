// NIfTI, NRRD and MetaImage through ITK: real data lands where its header says in LPS, NIfTI
// scaling is applied, and volumes and labelmaps survive round trips between the formats with
// their voxels, scalar type and geometry.

#include <gtest/gtest.h>
#include <zlib.h>

#include <itkImage.h>
#include <itkImageFileWriter.h>
#include <itkRGBPixel.h>

#include <atomic>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "core/io/AtomicFile.h"
#include "core/io/ItkImageIO.h"
#include "core/io/ItkSnapLabels.h"
#include "tests/unit/TestSupport.h"

namespace delineo::io {
namespace {

namespace fs = std::filesystem;

core::Label makeLabel(int id, const std::string& name, std::array<std::uint8_t, 4> rgba, bool visible = true) {
  core::Label l;
  l.id = static_cast<std::uint8_t>(id);
  l.name = name;
  l.rgba = rgba;
  l.visible = visible;
  return l;
}

// The fields of a NIfTI-1 header we check against, read with plain zlib (not ITK).
struct NiftiHeader {
  std::int16_t dim[8];
  float pixdim[8];
  std::int16_t qformCode, sformCode;
  float srow[3][4];
};

NiftiHeader readNiftiHeader(const std::string& path) {
  unsigned char raw[348] = {};
  gzFile f = gzopen(path.c_str(), "rb");
  EXPECT_NE(f, nullptr);
  EXPECT_EQ(gzread(f, raw, sizeof raw), 348);
  gzclose(f);
  std::int32_t size = 0;
  std::memcpy(&size, raw, 4);
  EXPECT_EQ(size, 348) << "big-endian NIfTI not expected here";
  NiftiHeader h{};
  std::memcpy(h.dim, raw + 40, sizeof h.dim);
  std::memcpy(h.pixdim, raw + 76, sizeof h.pixdim);
  std::memcpy(&h.qformCode, raw + 252, 2);
  std::memcpy(&h.sformCode, raw + 254, 2);
  std::memcpy(h.srow, raw + 280, sizeof h.srow);
  return h;
}

// A minimal little-endian NIfTI-1 single file (.nii) with an sform, written byte by byte.
void writeNifti(const fs::path& path, std::int16_t datatype, std::int16_t bitpix, const std::array<std::int16_t, 3>& dims,
                const void* voxels, std::size_t bytes, float slope, float inter, const float srow[3][4]) {
  unsigned char h[352] = {};
  auto put = [&](std::size_t offset, const auto& value) { std::memcpy(h + offset, &value, sizeof value); };
  put(0, std::int32_t{348});
  std::int16_t dim[8] = {3, dims[0], dims[1], dims[2], 1, 1, 1, 1};
  put(40, dim);
  put(70, datatype);
  put(72, bitpix);
  float pixdim[8] = {1, 1, 1, 1, 1, 1, 1, 1};
  for (int a = 0; a < 3; ++a)
    pixdim[a + 1] = std::sqrt(srow[0][a] * srow[0][a] + srow[1][a] * srow[1][a] + srow[2][a] * srow[2][a]);
  put(76, pixdim);
  put(108, 352.0f);
  put(112, slope);
  put(116, inter);
  put(123, std::uint8_t{2});  // mm
  put(252, std::int16_t{0});
  put(254, std::int16_t{1});
  std::memcpy(h + 280, srow, 48);
  std::memcpy(h + 344, "n+1\0", 4);
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(h), sizeof h);
  out.write(static_cast<const char*>(voxels), static_cast<std::streamsize>(bytes));
}

core::Geometry obliqueGeometry() {
  core::Geometry g;
  g.dims = {5, 4, 3};
  g.spacingMm = {0.7, 1.3, 2.5};
  g.originMm = {-12.5, 30.25, 101.0};
  // 20 degrees about (1,2,3)/|..|: oblique on every axis.
  core::Vec3 u = core::normalize({1, 2, 3});
  double c = std::cos(0.349065850398866), s = std::sin(0.349065850398866), t = 1 - c;
  g.direction = core::Mat3::fromColumns({t * u.x * u.x + c, t * u.x * u.y + s * u.z, t * u.x * u.z - s * u.y},
                                        {t * u.x * u.y - s * u.z, t * u.y * u.y + c, t * u.y * u.z + s * u.x},
                                        {t * u.x * u.z + s * u.y, t * u.y * u.z - s * u.x, t * u.z * u.z + c});
  return g;
}

template <typename T>
core::Volume syntheticVolume(const core::Geometry& g) {
  core::Volume v(g, core::scalarTypeOf<T>());
  auto voxels = v.voxels<T>();
  for (std::size_t i = 0; i < voxels.size(); ++i) {
    double x = static_cast<double>(i) * 37.0;
    if constexpr (std::is_same_v<T, float>) voxels[i] = static_cast<float>(x * 0.123 - 250.5);
    else if constexpr (std::is_same_v<T, std::int16_t>) voxels[i] = static_cast<T>(static_cast<int>(x) % 4000 - 1024);
    else voxels[i] = static_cast<T>(static_cast<long>(x) % (std::is_same_v<T, std::uint8_t> ? 256 : 65536));
  }
  return v;
}

// NIfTI stores geometry as float32; NRRD and MetaImage as decimal text.
void expectSameGeometry(const core::Geometry& a, const core::Geometry& b, double toleranceMm, const std::string& what) {
  EXPECT_EQ(a.dims, b.dims) << what;
  for (int i = 0; i < 3; ++i) {
    EXPECT_NEAR(a.spacingMm[i], b.spacingMm[i], toleranceMm) << what << " spacing " << i;
    EXPECT_NEAR(a.originMm[i], b.originMm[i], toleranceMm) << what << " origin " << i;
    for (int j = 0; j < 3; ++j) EXPECT_NEAR(a.direction.m[i][j], b.direction.m[i][j], 1e-6) << what << " direction";
  }
  EXPECT_TRUE(a.sameGrid(b, toleranceMm * 10)) << what << ": " << a.describeDifference(b, toleranceMm * 10);
}

TEST(ItkImageIO, ColinT1LiesWhereItsSformSaysInLps) {
  if (!fs::exists(test::kColinT1)) GTEST_SKIP() << test::kColinT1 << " not installed";
  auto loaded = readItkImage(test::kColinT1);
  ASSERT_TRUE(loaded.ok()) << loaded.message();
  const core::Geometry& g = loaded->volume.geometry();
  EXPECT_EQ(loaded->format, "NIfTI");
  EXPECT_EQ(g.dims, (core::Dims{181, 217, 181}));
  EXPECT_EQ(loaded->volume.scalarType(), core::ScalarType::UInt8);
  for (int a = 0; a < 3; ++a) EXPECT_DOUBLE_EQ(g.spacingMm[a], 1.0);

  NiftiHeader h = readNiftiHeader(test::kColinT1);
  ASSERT_GT(h.sformCode, 0);
  ASSERT_EQ(h.dim[1], 181);
  // NIfTI's sform maps ijk to RAS; LPS negates x and y.
  for (int c = 0; c < 8; ++c) {
    core::Vec3 ijk{(c & 1) ? 180.0 : 0.0, (c & 2) ? 216.0 : 0.0, (c & 4) ? 180.0 : 0.0};
    core::Vec3 ras;
    for (int r = 0; r < 3; ++r) ras[r] = h.srow[r][0] * ijk.x + h.srow[r][1] * ijk.y + h.srow[r][2] * ijk.z + h.srow[r][3];
    core::Vec3 expectedLps{-ras.x, -ras.y, ras.z};
    core::Vec3 ours = g.ijkToPatient(ijk);
    EXPECT_LT(core::length(ours - expectedLps), 1e-4) << "corner " << core::toString(ijk) << ": ours "
                                                      << core::toString(ours) << " vs sform " << core::toString(expectedLps);
  }
  // The MNI-space template: RAS origin (-90,-126,-72)-ish becomes LPS (+90,+125,-71), axes L->R flipped.
  EXPECT_NEAR(g.originMm.x, -h.srow[0][3], 1e-5);
  EXPECT_NEAR(g.originMm.y, -h.srow[1][3], 1e-5);
  EXPECT_NEAR(g.originMm.z, h.srow[2][3], 1e-5);
  EXPECT_EQ(g.orientationCode(), "RAS");
  auto [lo, hi] = loaded->volume.valueRange();
  EXPECT_EQ(lo, 0);
  EXPECT_GT(hi, 100);
}

TEST(ItkImageIO, NiftiSlopeAndInterceptAreApplied) {
  auto dir = test::scratchDir("ItkImageIO.NiftiSlope");
  std::array<std::int16_t, 24> raw;
  for (std::size_t i = 0; i < raw.size(); ++i) raw[i] = static_cast<std::int16_t>(static_cast<int>(i) * 100 - 1000);
  const float srow[3][4] = {{-2, 0, 0, 10}, {0, 3, 0, -20}, {0, 0, 4, 30}};
  fs::path path = dir / "scaled.nii";
  writeNifti(path, 4, 16, {2, 3, 4}, raw.data(), sizeof raw, 2.5f, -10.0f, srow);

  auto loaded = readItkImage(path.string());
  ASSERT_TRUE(loaded.ok()) << loaded.message();
  ASSERT_EQ(loaded->volume.scalarType(), core::ScalarType::Float32);
  auto voxels = loaded->volume.voxels<float>();
  ASSERT_EQ(voxels.size(), raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) EXPECT_FLOAT_EQ(voxels[i], raw[i] * 2.5f - 10.0f) << "voxel " << i;

  // Same file, no scaling: the native int16 is kept.
  fs::path plain = dir / "plain.nii";
  writeNifti(plain, 4, 16, {2, 3, 4}, raw.data(), sizeof raw, 0.0f, 0.0f, srow);
  auto unscaled = readItkImage(plain.string());
  ASSERT_TRUE(unscaled.ok()) << unscaled.message();
  ASSERT_EQ(unscaled->volume.scalarType(), core::ScalarType::Int16);
  EXPECT_TRUE(std::equal(raw.begin(), raw.end(), unscaled->volume.voxels<std::int16_t>().begin()));
  // RAS sform with a flipped x: LPS origin (-10, 20, 30), first axis pointing +x in LPS.
  const core::Geometry& g = unscaled->volume.geometry();
  EXPECT_NEAR(g.originMm.x, -10, 1e-6);
  EXPECT_NEAR(g.originMm.y, 20, 1e-6);
  EXPECT_NEAR(g.originMm.z, 30, 1e-6);
  EXPECT_NEAR(g.direction.m[0][0], 1, 1e-6);
  EXPECT_NEAR(g.direction.m[1][1], -1, 1e-6);
  EXPECT_NEAR(g.direction.m[2][2], 1, 1e-6);
  EXPECT_NEAR(g.spacingMm.y, 3, 1e-6);
}

TEST(ItkImageIO, Int8BecomesInt16AndInt32BecomesFloat32) {
  auto dir = test::scratchDir("ItkImageIO.TypeConversion");
  const float srow[3][4] = {{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}};
  std::array<std::int8_t, 8> small{-128, -1, 0, 1, 2, 3, 100, 127};
  writeNifti(dir / "int8.nii", 256, 8, {2, 2, 2}, small.data(), sizeof small, 0, 0, srow);
  auto s = readItkImage((dir / "int8.nii").string());
  ASSERT_TRUE(s.ok()) << s.message();
  ASSERT_EQ(s->volume.scalarType(), core::ScalarType::Int16);
  EXPECT_TRUE(std::equal(small.begin(), small.end(), s->volume.voxels<std::int16_t>().begin()));
  EXPECT_TRUE(s->warnings.empty());

  std::array<std::int32_t, 8> exact{-5, 0, 1, 70000, 2, 3, 4, 16777216};
  writeNifti(dir / "exact.nii", 8, 32, {2, 2, 2}, exact.data(), sizeof exact, 0, 0, srow);
  auto e = readItkImage((dir / "exact.nii").string());
  ASSERT_TRUE(e.ok()) << e.message();
  ASSERT_EQ(e->volume.scalarType(), core::ScalarType::Float32);
  EXPECT_TRUE(std::equal(exact.begin(), exact.end(), e->volume.voxels<float>().begin()));
  EXPECT_TRUE(e->warnings.empty()) << e->warnings.front();

  std::array<std::int32_t, 8> lossy{16777217, 0, 0, 0, 0, 0, 0, 0};
  writeNifti(dir / "lossy.nii", 8, 32, {2, 2, 2}, lossy.data(), sizeof lossy, 0, 0, srow);
  auto l = readItkImage((dir / "lossy.nii").string());
  ASSERT_TRUE(l.ok()) << l.message();
  ASSERT_EQ(l->warnings.size(), 1u);
  EXPECT_NE(l->warnings[0].find("int32"), std::string::npos) << l->warnings[0];
  EXPECT_NE(l->warnings[0].find("lost precision"), std::string::npos) << l->warnings[0];
}

template <typename T>
void roundTripThroughEveryFormat(const std::string& testName) {
  auto dir = test::scratchDir(testName);
  core::Geometry g = obliqueGeometry();
  ASSERT_TRUE(g.validate("synthetic").ok());
  core::Volume original = syntheticVolume<T>(g);

  // NIfTI -> NRRD -> MHA -> detached NRRD -> detached MetaImage -> NIfTI.
  const std::vector<std::string> chain{"a.nii.gz", "b.nrrd", "c.mha", "d.nhdr", "e.mhd", "f.nii"};
  core::Volume current = original;
  for (const std::string& name : chain) {
    std::string path = (dir / name).string();
    auto written = writeItkVolume(current, path);
    ASSERT_TRUE(written.ok()) << written.message();
    auto read = readItkImage(path);
    ASSERT_TRUE(read.ok()) << read.message();
    ASSERT_EQ(read->volume.scalarType(), original.scalarType()) << name;
    ASSERT_EQ(read->volume.byteSize(), original.byteSize()) << name;
    EXPECT_EQ(std::memcmp(read->volume.bytes().data(), original.bytes().data(), original.byteSize()), 0)
        << name << ": voxels changed";
    // The chain starts with NIfTI, which keeps geometry in float32 (the text formats' double
    // precision is checked separately).
    expectSameGeometry(read->volume.geometry(), original.geometry(), 2e-5, name);
    current = std::move(read->volume);
  }
  // Nothing but the files we asked for (and the detached data files) is left in the folder.
  for (const auto& entry : fs::directory_iterator(dir))
    EXPECT_NE(entry.path().filename().string()[0], '.') << "left behind: " << entry.path();
}

TEST(ItkImageIO, Int16RoundTripsThroughNiftiNrrdAndMetaImage) { roundTripThroughEveryFormat<std::int16_t>("ItkImageIO.RoundTripInt16"); }
TEST(ItkImageIO, UInt8RoundTripsThroughNiftiNrrdAndMetaImage) { roundTripThroughEveryFormat<std::uint8_t>("ItkImageIO.RoundTripUInt8"); }
TEST(ItkImageIO, UInt16RoundTripsThroughNiftiNrrdAndMetaImage) { roundTripThroughEveryFormat<std::uint16_t>("ItkImageIO.RoundTripUInt16"); }
TEST(ItkImageIO, Float32RoundTripsThroughNiftiNrrdAndMetaImage) { roundTripThroughEveryFormat<float>("ItkImageIO.RoundTripFloat32"); }

TEST(ItkImageIO, TextFormatsKeepGeometryToDoublePrecision) {
  auto dir = test::scratchDir("ItkImageIO.TextFormatsPrecision");
  core::Volume original = syntheticVolume<std::int16_t>(obliqueGeometry());
  for (const char* name : {"x.nrrd", "x.mha"}) {
    std::string path = (dir / name).string();
    ASSERT_TRUE(writeItkVolume(original, path).ok());
    auto read = readItkImage(path);
    ASSERT_TRUE(read.ok()) << read.message();
    expectSameGeometry(read->volume.geometry(), original.geometry(), 1e-9, name);
  }
}

TEST(ItkImageIO, DetachedHeadersReferenceTheirFinalDataFile) {
  auto dir = test::scratchDir("ItkImageIO.DetachedHeaders");
  core::Volume original = syntheticVolume<std::uint16_t>(obliqueGeometry());
  ASSERT_TRUE(writeItkVolume(original, (dir / "ct.nhdr").string()).ok());
  ASSERT_TRUE(writeItkVolume(original, (dir / "ct.mhd").string()).ok());
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  ASSERT_EQ(names.size(), 4u) << "header and data file each, nothing else";
  EXPECT_EQ(names[0], "ct.mhd");
  EXPECT_EQ(names[1], "ct.nhdr");
  for (const std::string& n : names) EXPECT_EQ(n.rfind("ct.", 0), 0u) << n;
  // Moving the pair elsewhere keeps it readable: the data file is referenced by its plain name.
  auto moved = test::scratchDir("ItkImageIO.DetachedHeaders.moved");
  for (const std::string& n : names) fs::copy_file(dir / n, moved / n);
  for (const char* header : {"ct.nhdr", "ct.mhd"}) {
    auto read = readItkImage((moved / header).string());
    ASSERT_TRUE(read.ok()) << read.message();
    EXPECT_EQ(std::memcmp(read->volume.bytes().data(), original.bytes().data(), original.byteSize()), 0) << header;
  }
}

TEST(ItkImageIO, LabelmapRoundTripsWithNamesAndColoursThroughTheSidecar) {
  auto dir = test::scratchDir("ItkImageIO.LabelmapSidecar");
  core::Labelmap labelmap(obliqueGeometry());
  auto v = labelmap.voxels();
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = static_cast<std::uint8_t>(i % 3 == 0 ? 0 : (i % 2 ? 1 : 200));
  ASSERT_TRUE(labelmap.labels().set(makeLabel(1, "Liver", {221, 130, 101, 255})).ok());
  ASSERT_TRUE(labelmap.labels().set(makeLabel(200, "Portal vein", {0, 151, 206, 128}, false)).ok());
  ASSERT_TRUE(labelmap.labels().set(makeLabel(9, "Unused so far", {1, 2, 3, 255})).ok());

  for (const char* name : {"seg.nii.gz", "seg.nrrd", "seg.mha"}) {
    std::string path = (dir / name).string();
    ASSERT_TRUE(writeItkLabelmap(labelmap, path).ok());
    EXPECT_TRUE(fs::exists(labelSidecarPath(path))) << labelSidecarPath(path);
    auto read = readItkLabelmap(path);
    ASSERT_TRUE(read.ok()) << read.message();
    EXPECT_TRUE(std::equal(v.begin(), v.end(), read->voxels().begin())) << name;
    EXPECT_EQ(read->labels(), labelmap.labels()) << name;
    expectSameGeometry(read->geometry(), labelmap.geometry(), 2e-5, name);
  }
  EXPECT_EQ(labelSidecarPath("/d/seg.nii.gz"), "/d/seg.labels.txt");
  EXPECT_EQ(labelSidecarPath("/d/x.y.nrrd"), "/d/x.y.labels.txt");
}

TEST(ItkImageIO, LabelmapWithoutSidecarGetsDefaultLabelsForTheIdsPresent) {
  if (!fs::exists(test::kAal)) GTEST_SKIP() << test::kAal << " not installed";
  auto read = readItkLabelmap(test::kAal);
  ASSERT_TRUE(read.ok()) << read.message();
  auto histogram = read->histogram();
  std::size_t present = 0;
  for (int id = 1; id < 256; ++id) present += histogram[id] > 0;
  EXPECT_GT(present, 100u);  // AAL has 116 regions
  EXPECT_EQ(read->labels().size(), present);
  EXPECT_EQ(read->labels().find(1)->name, "Label 1");
  EXPECT_EQ(read->labels().find(1)->rgba, core::LabelTable::defaultColor(1));
}

TEST(ItkImageIO, LabelmapsMustHoldIntegersFrom0To255) {
  auto dir = test::scratchDir("ItkImageIO.LabelmapValues");
  core::Geometry g;
  g.dims = {2, 2, 2};
  core::Volume negative(g, core::ScalarType::Int16);
  negative.voxels<std::int16_t>()[5] = -3;
  ASSERT_TRUE(writeItkVolume(negative, (dir / "neg.nrrd").string()).ok());
  auto n = readItkLabelmap((dir / "neg.nrrd").string());
  ASSERT_FALSE(n.ok());
  EXPECT_NE(n.message().find("neg.nrrd"), std::string::npos) << n.message();
  EXPECT_NE(n.message().find("(1,0,1) has value -3"), std::string::npos) << n.message();

  core::Volume big(g, core::ScalarType::UInt16);
  big.voxels<std::uint16_t>()[0] = 256;
  ASSERT_TRUE(writeItkVolume(big, (dir / "big.mha").string()).ok());
  EXPECT_FALSE(readItkLabelmap((dir / "big.mha").string()).ok());

  core::Volume fractional(g, core::ScalarType::Float32);
  fractional.voxels<float>()[7] = 1.5f;
  ASSERT_TRUE(writeItkVolume(fractional, (dir / "frac.nii").string()).ok());
  auto f = readItkLabelmap((dir / "frac.nii").string());
  ASSERT_FALSE(f.ok());
  EXPECT_NE(f.message().find("has value 1.5"), std::string::npos) << f.message();

  core::Volume wholeFloats(g, core::ScalarType::Float32);
  wholeFloats.voxels<float>()[7] = 42.0f;
  ASSERT_TRUE(writeItkVolume(wholeFloats, (dir / "whole.nii").string()).ok());
  auto w = readItkLabelmap((dir / "whole.nii").string());
  ASSERT_TRUE(w.ok()) << w.message();
  EXPECT_EQ(w->at(1, 1, 1), 42);
}

TEST(ItkImageIO, TwoDimensionalImagesLoadAsOneSlice) {
  auto dir = test::scratchDir("ItkImageIO.TwoD");
  using Image2 = itk::Image<std::uint16_t, 2>;
  auto image = Image2::New();
  Image2::RegionType region;
  region.SetSize({{7, 5}});
  image->SetRegions(region);
  image->Allocate();
  image->FillBuffer(1234);
  Image2::SpacingType spacing;
  spacing[0] = 0.5;
  spacing[1] = 0.25;
  image->SetSpacing(spacing);
  auto writer = itk::ImageFileWriter<Image2>::New();
  writer->SetInput(image);
  writer->SetFileName((dir / "slice.nrrd").string());
  writer->Update();

  auto read = readItkImage((dir / "slice.nrrd").string());
  ASSERT_TRUE(read.ok()) << read.message();
  EXPECT_EQ(read->volume.geometry().dims, (core::Dims{7, 5, 1}));
  EXPECT_EQ(read->volume.scalarType(), core::ScalarType::UInt16);
  EXPECT_DOUBLE_EQ(read->volume.geometry().spacingMm.y, 0.25);
  EXPECT_EQ(read->volume.valueAt(6, 4, 0), 1234);
}

TEST(ItkImageIO, VectorImagesAreRefusedWithTheReason) {
  auto dir = test::scratchDir("ItkImageIO.Vector");
  using RgbImage = itk::Image<itk::RGBPixel<std::uint8_t>, 3>;
  auto image = RgbImage::New();
  RgbImage::RegionType region;
  region.SetSize({{2, 2, 2}});
  image->SetRegions(region);
  image->Allocate();
  auto writer = itk::ImageFileWriter<RgbImage>::New();
  writer->SetInput(image);
  writer->SetFileName((dir / "rgb.mha").string());
  writer->Update();
  auto read = readItkImage((dir / "rgb.mha").string());
  ASSERT_FALSE(read.ok());
  EXPECT_NE(read.message().find("rgb.mha: has 3 components per voxel"), std::string::npos) << read.message();
}

TEST(ItkImageIO, ErrorsNameTheFile) {
  auto dir = test::scratchDir("ItkImageIO.Errors");
  auto missing = readItkImage((dir / "absent.nii.gz").string());
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.message().find("absent.nii.gz: file not found"), std::string::npos) << missing.message();

  std::ofstream(dir / "garbage.nrrd") << "NRRD0004\ntype: nonsense\n";
  auto garbage = readItkImage((dir / "garbage.nrrd").string());
  ASSERT_FALSE(garbage.ok());
  EXPECT_NE(garbage.message().find("garbage.nrrd"), std::string::npos) << garbage.message();
  EXPECT_EQ(garbage.message().find('\n'), std::string::npos) << "one line: " << garbage.message();

  core::Geometry g;
  g.dims = {2, 2, 2};
  auto unwritable = writeItkVolume(core::Volume(g, core::ScalarType::UInt8), (dir / "x.png").string());
  ASSERT_FALSE(unwritable.ok());
  EXPECT_NE(unwritable.message().find("x.png"), std::string::npos);
  EXPECT_FALSE(fs::exists(dir / "x.png"));
}

TEST(ItkImageIO, CancelAndProgress) {
  if (!fs::exists(test::kColinT1)) GTEST_SKIP();
  std::atomic<bool> cancel{true};
  core::TaskControl control;
  control.cancel = &cancel;
  auto cancelled = readItkImage(test::kColinT1, control);
  ASSERT_FALSE(cancelled.ok());
  EXPECT_NE(cancelled.message().find("cancelled"), std::string::npos);

  cancel = false;
  std::vector<double> fractions;
  control.onProgress = [&](double f, std::string_view) { fractions.push_back(f); };
  ASSERT_TRUE(readItkImage(test::kColinT1, control).ok());
  ASSERT_GE(fractions.size(), 2u);
  EXPECT_EQ(fractions.front(), 0.0);
  EXPECT_EQ(fractions.back(), 1.0);
}

}  // namespace
}  // namespace delineo::io
