// Specifications of the DICOM reader on synthetic phantoms whose geometry and voxel values
// are known exactly.

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <string_view>

#include "core/io/DicomSeries.h"
#include "tests/unit/DicomPhantom.h"
#include "tests/unit/TestSupport.h"

namespace delineo::test {
namespace {

namespace fs = std::filesystem;
using io::DicomLoadOptions;
using io::LoadedImage;
using io::loadDicomSeries;

PhantomSpec obliqueCt() {
  PhantomSpec spec;
  spec.geometry = obliquePhantomGeometry();
  spec.stored = defaultPhantomValue;
  return spec;
}

// Every voxel equals the phantom's real-world value (within `tolerance`).
::testing::AssertionResult voxelsMatch(const core::Volume& v, const PhantomSpec& spec, double tolerance = 0.0) {
  const core::Dims& d = spec.geometry.dims;
  if (v.geometry().dims != d)
    return ::testing::AssertionFailure() << "dims " << core::toString(v.geometry().dims) << " vs " << core::toString(d);
  for (std::int64_t k = 0; k < d[2]; ++k)
    for (std::int64_t j = 0; j < d[1]; ++j)
      for (std::int64_t i = 0; i < d[0]; ++i) {
        double want = expectedPhantomValue(spec, i, j, k);
        double got = v.valueAt(i, j, k);
        if (std::abs(got - want) > tolerance)
          return ::testing::AssertionFailure() << "voxel (" << i << "," << j << "," << k << ") is " << got
                                               << ", expected " << want;
      }
  return ::testing::AssertionSuccess();
}

void expectGeometry(const core::Geometry& got, const core::Geometry& want) {
  EXPECT_EQ(got.dims, want.dims);
  for (int a = 0; a < 3; ++a) {
    EXPECT_NEAR(got.spacingMm[a], want.spacingMm[a], 1e-4) << "spacing " << a;
    EXPECT_NEAR(got.originMm[a], want.originMm[a], 1e-4) << "origin " << a;
    for (int r = 0; r < 3; ++r) EXPECT_NEAR(got.direction.m[r][a], want.direction.m[r][a], 1e-6);
  }
  EXPECT_TRUE(got.sameGrid(want, 1e-4)) << got.describeDifference(want, 1e-4);
}

LoadedImage loadOk(const fs::path& path, const DicomLoadOptions& options = {}) {
  auto r = loadDicomSeries(path.string(), options);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.message());
  return r.ok() ? std::move(r).value() : LoadedImage{};
}

TEST(DicomSeries, OrdersSlicesByPositionDespiteShuffledNamesAndInstanceNumbers) {
  PhantomSpec spec = obliqueCt();
  auto dir = scratchDir("DicomOrdersSlicesByPositionDespiteShuffledNamesAndInstanceNumbers");
  auto written = writePhantomSeries(spec, dir);
  LoadedImage image = loadOk(dir);
  expectGeometry(image.volume.geometry(), spec.geometry);
  EXPECT_TRUE(voxelsMatch(image.volume, spec));
  EXPECT_EQ(image.format, "DICOM");
  EXPECT_EQ(image.volume.modality, "CT");
  EXPECT_EQ(image.volume.description, "Phantom");
  ASSERT_TRUE(image.dicom);
  std::vector<std::string> expectedFiles;
  for (const auto& f : written.files) expectedFiles.push_back(f.string());
  EXPECT_EQ(image.dicom->files, expectedFiles) << "files are listed per slice in k order";
  EXPECT_EQ(image.dicom->sopInstanceUids.size(), written.files.size());
  EXPECT_EQ(image.dicom->seriesInstanceUid, written.seriesUid);
  EXPECT_EQ(image.dicom->patientName, "Phantom^Secret");
  EXPECT_FALSE(image.dicom->frameOfReferenceUid.empty());
  EXPECT_TRUE(image.warnings.empty());
}

TEST(DicomSeries, ObliqueAnisotropicGeometryIsExact) {
  PhantomSpec spec = obliqueCt();
  spec.geometry.spacingMm = {0.3125, 1.7, 4.0};
  spec.geometry.originMm = {123.456, -98.765, 432.1};
  auto dir = scratchDir("DicomObliqueAnisotropicGeometryIsExact");
  writePhantomSeries(spec, dir);
  LoadedImage image = loadOk(dir);
  expectGeometry(image.volume.geometry(), spec.geometry);
  // A voxel far from the origin lands where the phantom put it.
  core::Vec3 far = image.volume.geometry().ijkToPatient({23, 19, 11});
  core::Vec3 want = spec.geometry.ijkToPatient({23, 19, 11});
  EXPECT_LT(core::length(far - want), 1e-4);
}

TEST(DicomSeries, CtRescaleGivesHounsfieldUnitsInInt16) {
  PhantomSpec spec = obliqueCt();
  spec.bitsStored = 12;  // unsigned 12-bit scanner values, high bits hold junk
  spec.signedPixels = false;
  spec.rescaleIntercept = -1024;
  spec.stored = [](std::int64_t i, std::int64_t j, std::int64_t k) { return int(i * 100 + j * 50 + k * 30); };
  auto dir = scratchDir("DicomCtRescaleGivesHounsfieldUnitsInInt16");
  writePhantomSeries(spec, dir);
  LoadedImage image = loadOk(dir);
  EXPECT_EQ(image.volume.scalarType(), core::ScalarType::Int16);
  EXPECT_TRUE(voxelsMatch(image.volume, spec));
  EXPECT_EQ(image.volume.valueAt(0, 0, 0), -1024.0);
}

TEST(DicomSeries, SignedStoredBitsAreSignExtended) {
  PhantomSpec spec = obliqueCt();
  spec.bitsStored = 12;  // two's complement in 12 bits, junk above
  auto dir = scratchDir("DicomSignedStoredBitsAreSignExtended");
  writePhantomSeries(spec, dir);
  LoadedImage image = loadOk(dir);
  EXPECT_EQ(image.volume.scalarType(), core::ScalarType::Int16);
  EXPECT_TRUE(voxelsMatch(image.volume, spec));
}

TEST(DicomSeries, OutputTypeIsNativeWhenValuesFitElseInt16ElseFloat) {
  struct Case {
    int bits;
    bool isSigned;
    double slope, intercept;
    int maxStored;
    core::ScalarType want;
  };
  const Case cases[] = {
      {16, false, 1, 0, 60000, core::ScalarType::UInt16},   // native: nothing to rescale
      {8, false, 1, 0, 250, core::ScalarType::UInt8},       // native 8-bit
      {8, false, 1, -100, 250, core::ScalarType::Int16},    // leaves uint8, fits int16
      {16, false, 1, -1024, 60000, core::ScalarType::Float32},  // fits neither
      {16, true, 2, -3, 1000, core::ScalarType::Int16},     // integral rescale, fits
      {16, true, 0.5, 0, 1000, core::ScalarType::Float32},  // fractional slope
  };
  int n = 0;
  for (const Case& c : cases) {
    PhantomSpec spec = obliqueCt();
    spec.geometry.dims = {8, 6, 3};
    spec.bitsAllocated = spec.bitsStored = c.bits;
    spec.signedPixels = c.isSigned;
    spec.rescaleSlope = c.slope;
    spec.rescaleIntercept = c.intercept;
    int top = c.maxStored;
    spec.stored = [top](std::int64_t i, std::int64_t j, std::int64_t k) {
      return int((i + 8 * j + 48 * k) * top / (8 * 6 * 3 - 1));
    };
    auto dir = scratchDir("DicomOutputType" + std::to_string(n++));
    writePhantomSeries(spec, dir);
    LoadedImage image = loadOk(dir);
    EXPECT_EQ(image.volume.scalarType(), c.want) << "case " << n << ": got " << core::scalarName(image.volume.scalarType());
    EXPECT_TRUE(voxelsMatch(image.volume, spec)) << "case " << n;
  }
}

TEST(DicomSeries, RescaleMayDifferPerSlice) {
  PhantomSpec spec = obliqueCt();
  spec.perSliceIntercept = true;
  auto dir = scratchDir("DicomRescaleMayDifferPerSlice");
  writePhantomSeries(spec, dir);
  LoadedImage image = loadOk(dir);
  EXPECT_TRUE(voxelsMatch(image.volume, spec));
}

class DicomTransferSyntax : public ::testing::TestWithParam<PhantomSyntax> {};

TEST_P(DicomTransferSyntax, LoadsIdenticalVoxels) {
  PhantomSpec spec = obliqueCt();
  spec.syntax = GetParam();
  auto dir = scratchDir(std::string("DicomSyntax") + toString(GetParam()));
  writePhantomSeries(spec, dir);
  LoadedImage image = loadOk(dir);
  expectGeometry(image.volume.geometry(), spec.geometry);
  EXPECT_TRUE(voxelsMatch(image.volume, spec));
}

INSTANTIATE_TEST_SUITE_P(Dicom, DicomTransferSyntax,
                         ::testing::Values(PhantomSyntax::ImplicitLittle, PhantomSyntax::ExplicitLittle,
                                           PhantomSyntax::ExplicitBig, PhantomSyntax::Deflated,
                                           PhantomSyntax::Rle, PhantomSyntax::JpegLossless,
                                           PhantomSyntax::JpegLsLossless),
                         [](const auto& p) { return std::string(toString(p.param)); });

TEST(DicomSeries, JpegBaselineLoadsWithinLossyTolerance) {
  PhantomSpec spec = obliqueCt();
  spec.syntax = PhantomSyntax::JpegBaseline;
  spec.bitsAllocated = spec.bitsStored = 8;
  spec.signedPixels = false;
  spec.stored = [](std::int64_t i, std::int64_t j, std::int64_t k) { return int(40 + 4 * i + 3 * j + 2 * k); };
  auto dir = scratchDir("DicomJpegBaselineLoadsWithinLossyTolerance");
  writePhantomSeries(spec, dir);
  LoadedImage image = loadOk(dir);
  EXPECT_EQ(image.volume.scalarType(), core::ScalarType::UInt8);
  // Quality 95 on a smooth ramp: lossy, but never by more than a few grey levels.
  EXPECT_TRUE(voxelsMatch(image.volume, spec, 6.0));
}

TEST(DicomSeries, EnhancedMultiFrameUsesPerFramePositions) {
  PhantomSpec spec = obliqueCt();
  spec.rescaleIntercept = -1024;
  fs::path file = writeEnhancedPhantom(spec, scratchDir("DicomEnhanced"));
  LoadedImage image = loadOk(file);
  expectGeometry(image.volume.geometry(), spec.geometry);
  EXPECT_TRUE(voxelsMatch(image.volume, spec));
  ASSERT_TRUE(image.dicom);
  EXPECT_EQ(image.dicom->sopInstanceUids.size(), 1u) << "one entry for a multi-frame file";
}

TEST(DicomSeries, EnhancedMultiFrameWithPerFrameRescaleAndCompression) {
  PhantomSpec spec = obliqueCt();
  spec.modality = "MR";
  spec.perSliceIntercept = true;
  spec.syntax = PhantomSyntax::JpegLsLossless;
  fs::path file = writeEnhancedPhantom(spec, scratchDir("DicomEnhancedMr"));
  LoadedImage image = loadOk(file);
  expectGeometry(image.volume.geometry(), spec.geometry);
  EXPECT_TRUE(voxelsMatch(image.volume, spec));
  EXPECT_EQ(image.volume.modality, "MR");
}

TEST(DicomSeries, EnhancedMultiFrameWithTwoFramesAtOnePositionIsRefused) {
  PhantomSpec spec = obliqueCt();
  spec.fault = PhantomFault::DuplicateSlice;
  fs::path file = writeEnhancedPhantom(spec, scratchDir("DicomEnhancedDuplicate"));
  auto r = loadDicomSeries(file.string());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.message().find("same position"), std::string::npos) << r.message();
  EXPECT_NE(r.message().find(file.string()), std::string::npos) << r.message();
}

TEST(DicomSeries, SingleSliceTakesItsThicknessAsSpacing) {
  PhantomSpec spec = obliqueCt();
  spec.geometry.dims[2] = 1;
  auto written = writePhantomSeries(spec, scratchDir("DicomSingle"));
  LoadedImage image = loadOk(written.files.front());
  EXPECT_EQ(image.volume.geometry().dims, (core::Dims{24, 20, 1}));
  EXPECT_NEAR(image.volume.geometry().spacingMm.z, 2.5, 1e-9);
  EXPECT_TRUE(voxelsMatch(image.volume, spec));
}

struct FaultCase {
  PhantomFault fault;
  const char* name;
  const char* phrase;  // the message must say what is wrong
};

class DicomFault : public ::testing::TestWithParam<FaultCase> {};

TEST_P(DicomFault, IsRefusedWithAMessageNamingTheFile) {
  PhantomSpec spec = obliqueCt();
  spec.fault = GetParam().fault;
  auto dir = scratchDir(std::string("DicomFault") + GetParam().name);
  auto written = writePhantomSeries(spec, dir);
  auto r = loadDicomSeries(dir.string());
  ASSERT_FALSE(r.ok()) << "a faulty series must not load";
  const std::string& m = r.message();
  EXPECT_NE(m.find(GetParam().phrase), std::string::npos) << m;
  for (const auto& f : written.faultFiles) EXPECT_NE(m.find(f.string()), std::string::npos) << m;
  if (written.faultFiles.empty()) {
    EXPECT_NE(m.find(written.seriesUid), std::string::npos) << m;
  }
  EXPECT_EQ(m.find("Secret"), std::string::npos) << "patient identity leaked: " << m;
}

INSTANTIATE_TEST_SUITE_P(
    Dicom, DicomFault,
    ::testing::Values(FaultCase{PhantomFault::DuplicateSlice, "Duplicate", "same position"},
                      FaultCase{PhantomFault::MissingSlice, "Missing", "not evenly spaced"},
                      FaultCase{PhantomFault::GantryTilt, "Tilt", "gantry tilt of 12.00 degrees"},
                      FaultCase{PhantomFault::DifferentSize, "Size", "mixed sizes"},
                      FaultCase{PhantomFault::MixedOrientation, "Orientation", "mixed orientations"},
                      FaultCase{PhantomFault::MissingPosition, "NoPosition", "ImagePositionPatient is missing"},
                      FaultCase{PhantomFault::TruncatedPixelData, "Truncated", "truncated"}),
    [](const auto& p) { return std::string(p.param.name); });

TEST(DicomSeries, CorruptCompressedPixelDataIsAnErrorNamingTheFile) {
  PhantomSpec spec = obliqueCt();
  spec.syntax = PhantomSyntax::JpegLossless;
  spec.geometry.dims[2] = 1;
  auto written = writePhantomSeries(spec, scratchDir("DicomCorruptJpeg"));
  fs::path file = written.files.front();
  // Cut into the JPEG stream: the decoder must fail cleanly.
  fs::resize_file(file, fs::file_size(file) - 300);
  auto r = loadDicomSeries(file.string());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.message().find(file.string()), std::string::npos) << r.message();
}

TEST(DicomSeries, TwoSeriesInOneFolderAreListedAndSelectable) {
  auto dir = scratchDir("DicomTwoSeries");
  PhantomSpec ct = obliqueCt();
  ct.seriesDescription = "Abdomen";
  auto a = writePhantomSeries(ct, dir / "a");
  PhantomSpec mr = obliqueCt();
  mr.modality = "MR";
  mr.seriesDescription = "T1";
  mr.geometry.dims = {10, 8, 5};
  auto b = writePhantomSeries(mr, dir / "nested" / "b");
  std::ofstream(dir / "README.txt") << "not DICOM\n";

  std::vector<std::string> skipped;
  auto list = io::scanDicom(dir.string(), {}, &skipped);
  ASSERT_TRUE(list.ok()) << list.message();
  ASSERT_EQ(list->size(), 2u);
  auto find = [&](const std::string& uid) {
    return std::find_if(list->begin(), list->end(), [&](const auto& s) { return s.seriesInstanceUid == uid; });
  };
  ASSERT_NE(find(a.seriesUid), list->end());
  ASSERT_NE(find(b.seriesUid), list->end());
  EXPECT_EQ(find(a.seriesUid)->modality, "CT");
  EXPECT_EQ(find(a.seriesUid)->description, "Abdomen");
  EXPECT_EQ(find(a.seriesUid)->imageCount, 12);
  EXPECT_EQ(find(b.seriesUid)->imageCount, 5);
  EXPECT_EQ(find(b.seriesUid)->frameCount, 5);
  EXPECT_EQ(find(b.seriesUid)->columns, 10);
  EXPECT_EQ(skipped, std::vector<std::string>{(dir / "README.txt").string()});

  auto ambiguous = loadDicomSeries(dir.string());
  ASSERT_FALSE(ambiguous.ok());
  for (const std::string& phrase : {a.seriesUid, b.seriesUid, std::string("Abdomen"), std::string("T1"),
                                    std::string("12 images"), std::string("MR")})
    EXPECT_NE(ambiguous.message().find(phrase), std::string::npos) << ambiguous.message();

  DicomLoadOptions options;
  options.seriesUid = b.seriesUid;
  LoadedImage image = loadOk(dir, options);
  EXPECT_EQ(image.volume.geometry().dims, (core::Dims{10, 8, 5}));
  EXPECT_EQ(image.volume.modality, "MR");

  options.seriesUid = "1.2.3.4.5";
  auto missing = loadDicomSeries(dir.string(), options);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.message().find(a.seriesUid), std::string::npos) << missing.message();
}

TEST(DicomSeries, CancellationReturnsCancelled) {
  PhantomSpec spec = obliqueCt();
  auto dir = scratchDir("DicomCancel");
  writePhantomSeries(spec, dir);
  std::atomic<bool> cancel{true};
  core::TaskControl control;
  control.cancel = &cancel;
  auto r = loadDicomSeries(dir.string(), {}, control);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.message(), "cancelled");

  // Cancelled while decoding (from the progress callback, as a UI thread would).
  cancel = false;
  control.onProgress = [&](double, std::string_view stage) {
    if (stage == "decoding") cancel = true;
  };
  DicomLoadOptions oneThread;
  oneThread.threads = 1;
  auto late = loadDicomSeries(dir.string(), oneThread, control);
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.message(), "cancelled");
}

TEST(DicomSeries, ProgressRisesThroughHeadersAndDecodingToOne) {
  PhantomSpec spec = obliqueCt();
  auto dir = scratchDir("DicomProgress");
  writePhantomSeries(spec, dir);
  std::vector<std::pair<double, std::string>> reports;
  core::TaskControl control;
  control.onProgress = [&](double f, std::string_view stage) { reports.emplace_back(f, std::string(stage)); };
  auto r = loadDicomSeries(dir.string(), {}, control);
  ASSERT_TRUE(r.ok()) << r.message();
  ASSERT_FALSE(reports.empty());
  EXPECT_DOUBLE_EQ(reports.back().first, 1.0);
  for (std::size_t n = 1; n < reports.size(); ++n) EXPECT_GE(reports[n].first, reports[n - 1].first);
  auto has = [&](const std::string& stage) {
    return std::any_of(reports.begin(), reports.end(), [&](const auto& p) { return p.second == stage; });
  };
  EXPECT_TRUE(has("reading headers"));
  EXPECT_TRUE(has("decoding"));
}

TEST(DicomSeries, ThreadCountDoesNotChangeTheResult) {
  PhantomSpec spec = obliqueCt();
  auto dir = scratchDir("DicomThreads");
  writePhantomSeries(spec, dir);
  DicomLoadOptions one, many;
  one.threads = 1;
  many.threads = 5;
  LoadedImage a = loadOk(dir, one);
  LoadedImage b = loadOk(dir, many);
  ASSERT_EQ(a.volume.byteSize(), b.volume.byteSize());
  EXPECT_TRUE(std::equal(a.volume.bytes().begin(), a.volume.bytes().end(), b.volume.bytes().begin()));
}

TEST(DicomSeries, RecognisesDicomFilesAndSkipsOthers) {
  auto dir = scratchDir("DicomIsFile");
  PhantomSpec spec = obliqueCt();
  spec.geometry.dims[2] = 1;
  auto written = writePhantomSeries(spec, dir);
  std::ofstream(dir / "notes.txt") << "hello";
  std::ofstream(dir / "empty.dcm");
  EXPECT_TRUE(io::isDicomFile(written.files.front().string()));
  EXPECT_FALSE(io::isDicomFile((dir / "notes.txt").string()));
  EXPECT_FALSE(io::isDicomFile((dir / "empty.dcm").string()));
  EXPECT_FALSE(io::isDicomFile((dir / "absent").string()));
  auto r = loadDicomSeries((dir / "notes.txt").string());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.message().find("notes.txt"), std::string::npos) << r.message();
  auto none = loadDicomSeries((dir / "nowhere").string());
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.message().find("nowhere"), std::string::npos);
}

}  // namespace
}  // namespace delineo::test
