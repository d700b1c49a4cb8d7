// Every image-like file in nibabel's test data, handed to our ITK reader: each either loads
// with the stated dims, type and content, or fails with a one-line message naming the file.
// None may crash or hang; the whole table runs in well under a second or two.

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>

#include "core/io/AtomicFile.h"
#include "core/io/ItkImageIO.h"
#include "tests/unit/TestSupport.h"

namespace delineo::io {
namespace {

namespace fs = std::filesystem;

struct Expected {
  std::string file;
  bool loads;
  core::Dims dims{0, 0, 0};
  core::ScalarType type = core::ScalarType::UInt8;
  std::optional<double> sum;                 // of all voxels, from nibabel (NaN-free files)
  std::optional<core::Vec3> originLps;       // nibabel's affine translation, x and y negated
  std::string reason;                        // for failures: part of the message
  const char* why;                           // what the file exercises
};

const std::vector<Expected>& expectations() {
  using T = core::ScalarType;
  static const std::vector<Expected> table = {
      {"anatomical.nii", true, {33, 41, 25}, T::Int16, 284166082.0, core::Vec3{-32, 40, -16}, "",
       "big-endian int16 NIfTI-1, qform and sform"},
      {"reoriented_anat_moved.nii", true, {21, 26, 22}, T::Float32, 32739769.449157715, std::nullopt, "",
       "big-endian float32"},
      {"resampled_anat_moved.nii", true, {17, 21, 3}, T::Float32, std::nullopt, core::Vec3{-32, 40, 0}, "",
       "float32 with NaN voxels"},
      {"standard.nii.gz", true, {4, 5, 7}, T::UInt8, 7650.0, core::Vec3{0, 0, 0}, "",
       "gzip'd, sform only, anisotropic"},
      {"example4d.nii.gz", false, {}, {}, {}, {}, "4-D image (128x96x24x2)", "a time series"},
      {"functional.nii", false, {}, {}, {}, {}, "4-D image (17x21x3x20)", "a time series"},
      {"example_nifti2.nii.gz", false, {}, {}, {}, {}, "is a NIfTI-2 file", "NIfTI-2 (not read by ITK 5.2), 4-D as well"},
      {"row_major.dconn.nii", false, {}, {}, {}, {}, "is a NIfTI-2 file", "CIFTI-2 connectivity matrix in NIfTI-2"},
      {"analyze.hdr", false, {}, {}, {}, {}, "data file analyze.img is missing", "Analyze 7.5 header whose .img is not shipped"},
      {"nifti1.hdr", false, {}, {}, {}, {}, "data file nifti1.img is missing", "NIfTI-1 pair header whose .img is not shipped"},
      {"nifti2.hdr", false, {}, {}, {}, {}, "is a NIfTI-2 file", "NIfTI-2 pair header whose .img is not shipped"},
      {"test.mgz", false, {}, {}, {}, {}, "not a NIfTI, NRRD or MetaImage file", "FreeSurfer MGH: not a format we read"},
      {"tiny.mnc", false, {}, {}, {}, {}, "not a NIfTI, NRRD or MetaImage file", "MINC 1"},
      {"small.mnc", false, {}, {}, {}, {}, "not a NIfTI, NRRD or MetaImage file", "MINC 2 (HDF5)"},
      {"minc1_4d.mnc", false, {}, {}, {}, {}, "not a NIfTI, NRRD or MetaImage file", "MINC 1, 4-D"},
      {"minc2_4d.mnc", false, {}, {}, {}, {}, "not a NIfTI, NRRD or MetaImage file", "MINC 2, 4-D"},
      {"T1.PAR", false, {}, {}, {}, {}, "not a NIfTI, NRRD or MetaImage file", "Philips PAR header"},
      {"phantom_EPI_asc_CLEAR_2_1.REC", false, {}, {}, {}, {}, "not a NIfTI, NRRD or MetaImage file", "Philips REC raw data"},
      {"example4d+orig.HEAD", false, {}, {}, {}, {}, "not a NIfTI, NRRD or MetaImage file", "AFNI header"},
      {"example4d+orig.BRIK.gz", false, {}, {}, {}, {}, "not a NIfTI, NRRD or MetaImage file", "AFNI data, gzip'd"},
      {"scaled+tlrc.BRIK", false, {}, {}, {}, {}, "not a NIfTI, NRRD or MetaImage file", "AFNI data"},
      {"tinypet.v", false, {}, {}, {}, {}, "not a NIfTI, NRRD or MetaImage file", "ECAT 7"},
      {"0.dcm", false, {}, {}, {}, {}, "not a NIfTI, NRRD or MetaImage file", "DICOM: read by the DICOM module, not this one"},
  };
  return table;
}

// Extensions treated as images: every such file in the folder must have a row above.
bool looksLikeImage(const fs::path& p) {
  static const std::set<std::string> kImage{".nii", ".nii.gz", ".hdr", ".img", ".nrrd", ".nhdr", ".mha", ".mhd",
                                            ".mgz", ".mgh", ".mnc", ".par", ".rec", ".head", ".brik", ".brik.gz",
                                            ".v", ".dcm"};
  return kImage.count(fileExtension(p.string())) > 0;
}

TEST(EdgeCaseImage, EveryNibabelImageFileHasAnExpectedOutcome) {
  if (!fs::exists(test::kNibabelData)) GTEST_SKIP() << test::kNibabelData << " not installed";
  std::set<std::string> listed;
  for (const Expected& e : expectations()) listed.insert(e.file);
  std::vector<std::string> unlisted;
  std::size_t images = 0;
  for (const auto& entry : fs::directory_iterator(test::kNibabelData)) {
    if (!entry.is_regular_file() || !looksLikeImage(entry.path())) continue;
    ++images;
    std::string name = entry.path().filename().string();
    // The remaining PAR/REC and MINC variants are covered by one representative each.
    std::string ext = fileExtension(name);
    if (!listed.count(name) && ext != ".par" && ext != ".rec" && ext != ".mnc" && ext != ".dcm" && ext != ".head")
      unlisted.push_back(name);
  }
  EXPECT_GT(images, 20u);
  EXPECT_TRUE(unlisted.empty()) << "no expected outcome for " << ::testing::PrintToString(unlisted);
}

TEST(EdgeCaseImage, NibabelTestDataLoadsOrFailsAsTabled) {
  if (!fs::exists(test::kNibabelData)) GTEST_SKIP() << test::kNibabelData << " not installed";
  for (const Expected& e : expectations()) {
    SCOPED_TRACE(e.file + " (" + e.why + ")");
    std::string path = test::kNibabelData + "/" + e.file;
    ASSERT_TRUE(fs::exists(path));
    auto start = std::chrono::steady_clock::now();
    auto loaded = readItkImage(path);
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_LT(seconds, 5.0) << "took too long";
    if (!e.loads) {
      ASSERT_FALSE(loaded.ok()) << "unexpectedly loaded as " << core::toString(loaded->volume.geometry().dims);
      EXPECT_EQ(loaded.message().rfind(path + ": ", 0), 0u) << "message must start with the file: " << loaded.message();
      EXPECT_EQ(loaded.message().find('\n'), std::string::npos) << "one line: " << loaded.message();
      if (!e.reason.empty()) {
        EXPECT_NE(loaded.message().find(e.reason), std::string::npos) << loaded.message();
      }
      continue;
    }
    ASSERT_TRUE(loaded.ok()) << loaded.message();
    const core::Volume& v = loaded->volume;
    EXPECT_EQ(v.geometry().dims, e.dims);
    EXPECT_EQ(v.scalarType(), e.type) << core::scalarName(v.scalarType());
    if (e.sum) {
      double sum = 0;
      for (std::int64_t i = 0; i < v.geometry().voxelCount(); ++i) sum += v.valueAtIndex(i);
      EXPECT_NEAR(sum, *e.sum, std::abs(*e.sum) * 1e-6);
    }
    if (e.originLps) {
      EXPECT_LT(core::length(v.geometry().originMm - *e.originLps), 1e-3) << core::toString(v.geometry().originMm);
    }
  }
}

// The .hdr files above ship without their .img; given one, they load. analyze.hdr is 4-D with
// one volume (dim[4] = 1), which reads as 3-D.
TEST(EdgeCaseImage, HeaderPairsLoadOnceTheirDataFileIsThere) {
  if (!fs::exists(test::kNibabelData)) GTEST_SKIP();
  auto dir = test::scratchDir("EdgeCaseImage.HeaderPairs");
  struct Pair {
    const char* header;
    std::size_t bytesPerVoxel;
    core::ScalarType type;
    bool analyzeWarning;
  };
  for (const Pair& p : {Pair{"analyze.hdr", 1, core::ScalarType::UInt8, true},
                        Pair{"nifti1.hdr", 2, core::ScalarType::Int16, false}}) {
    SCOPED_TRACE(p.header);
    fs::copy_file(fs::path(test::kNibabelData) / p.header, dir / p.header);
    fs::path img = (dir / p.header).replace_extension(".img");
    std::ofstream(img, std::ios::binary) << std::string(91 * 109 * 91 * p.bytesPerVoxel, '\x01');
    auto loaded = readItkImage((dir / p.header).string());
    ASSERT_TRUE(loaded.ok()) << loaded.message();
    EXPECT_EQ(loaded->volume.geometry().dims, (core::Dims{91, 109, 91}));
    EXPECT_EQ(loaded->volume.scalarType(), p.type);
    EXPECT_EQ(loaded->warnings.size(), p.analyzeWarning ? 1u : 0u);
    if (p.analyzeWarning) {
      EXPECT_NE(loaded->warnings[0].find("Analyze 7.5"), std::string::npos) << loaded->warnings[0];
    }
  }
}

TEST(EdgeCaseImage, NibabelLabelLikeFileReadsAsALabelmap) {
  std::string path = test::kNibabelData + "/standard.nii.gz";
  if (!fs::exists(path)) GTEST_SKIP();
  auto labels = readItkLabelmap(path);
  ASSERT_TRUE(labels.ok()) << labels.message();
  EXPECT_EQ(labels->geometry().dims, (core::Dims{4, 5, 7}));
  auto histogram = labels->histogram();
  std::size_t present = 0;
  for (int id = 1; id < 256; ++id) present += histogram[id] > 0;
  EXPECT_EQ(labels->labels().size(), present);

  auto notLabels = readItkLabelmap(test::kNibabelData + "/reoriented_anat_moved.nii");
  ASSERT_FALSE(notLabels.ok());
  EXPECT_NE(notLabels.message().find("reoriented_anat_moved.nii: voxel"), std::string::npos) << notLabels.message();
}

}  // namespace
}  // namespace delineo::io
