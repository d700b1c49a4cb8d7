// Every DICOM file in pydicom's test collection (odd syntaxes, colour, truncation, non-image
// objects, DICOMDIRs) either loads with the stated dimensions or fails with a message that
// names the file and says why. Never a crash, never a hang.

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <set>

#include "core/io/DicomSeries.h"
#include "tests/unit/TestSupport.h"

namespace delineo::test {
namespace {

namespace fs = std::filesystem;

struct Expected {
  core::Dims dims;     // when it loads
  const char* phrase;  // when it fails: part of the message (nullptr: it loads)
};

Expected loads(std::int64_t i, std::int64_t j, std::int64_t k) { return {{i, j, k}, nullptr}; }
Expected fails(const char* phrase) { return {{0, 0, 0}, phrase}; }

// Path relative to pydicom's test_files -> outcome. Why the failures are right:
// JPEG 2000 has no DCMTK decoder; colour (RGB/YBR) is out of scope for CT/MR annotation; CR,
// JPEG-lossy/extended and image_dfl are projection images without ImageOrientationPatient;
// SR, RT plan/struct, waveforms and private-sequence samples carry no image; liver_1frame
// claims 1 frame but has 3 per-frame groups; no_meta.dcm is unreadable even to dcmdump.
const std::map<std::string, Expected>& expectations() {
  static const std::map<std::string, Expected> table = {
      {"693_J2KI.dcm", fails("transfer syntax JPEG 2000 Image Compression (1.2.840.10008.1.2.4.91)")},
      {"CT_small.dcm", loads(128, 128, 1)},
      {"ExplVR_BigEnd.dcm", fails("colour images (PhotometricInterpretation RGB")},
      {"ExplVR_BigEndNoMeta.dcm", fails("without an image")},
      {"ExplVR_LitEndNoMeta.dcm", fails("without an image")},
      {"GDCMJ2K_TextGBR.dcm", fails("transfer syntax JPEG 2000 Image Compression (Lossless Only) (1.2.840.10008.1.2.4.90)")},
      {"J2K_pixelrep_mismatch.dcm", fails("transfer syntax JPEG 2000 Image Compression (Lossless Only) (1.2.840.10008.1.2.4.90)")},
      {"JPEG-lossy.dcm", fails("ImageOrientationPatient is missing")},
      {"JPEG2000-embedded-sequence-delimiter.dcm", fails("transfer syntax JPEG 2000 Image Compression (1.2.840.10008.1.2.4.91)")},
      {"JPEG2000.dcm", fails("transfer syntax JPEG 2000 Image Compression (1.2.840.10008.1.2.4.91)")},
      {"JPGExtended.dcm", fails("ImageOrientationPatient is missing")},
      {"MR_small.dcm", loads(64, 64, 1)},
      {"MR_small_RLE.dcm", loads(64, 64, 1)},
      {"MR_small_bigendian.dcm", loads(64, 64, 1)},
      {"MR_small_expb.dcm", loads(64, 64, 1)},
      {"MR_small_implicit.dcm", loads(64, 64, 1)},
      {"MR_small_jp2klossless.dcm", fails("transfer syntax JPEG 2000 Image Compression (Lossless Only) (1.2.840.10008.1.2.4.90)")},
      {"MR_small_jpeg_ls_lossless.dcm", loads(64, 64, 1)},
      {"MR_small_padded.dcm", loads(64, 64, 1)},
      {"MR_truncated.dcm", fails("is truncated or corrupt (I/O suspension or premature end of stream)")},
      {"SC_jpeg_no_color_transform.dcm", fails("colour images (PhotometricInterpretation RGB")},
      {"SC_jpeg_no_color_transform_2.dcm", fails("colour images (PhotometricInterpretation RGB")},
      {"SC_rgb_dcmtk_+eb+cr.dcm", fails("colour images (PhotometricInterpretation RGB")},
      {"SC_rgb_dcmtk_+eb+cy+n1.dcm", fails("colour images (PhotometricInterpretation YBR_FULL")},
      {"SC_rgb_dcmtk_+eb+cy+n2.dcm", fails("colour images (PhotometricInterpretation YBR_FULL")},
      {"SC_rgb_dcmtk_+eb+cy+np.dcm", fails("colour images (PhotometricInterpretation YBR_FULL_422")},
      {"SC_rgb_dcmtk_+eb+cy+s2.dcm", fails("colour images (PhotometricInterpretation YBR_FULL_422")},
      {"SC_rgb_dcmtk_+eb+cy+s4.dcm", fails("colour images (PhotometricInterpretation YBR_FULL")},
      {"SC_rgb_gdcm_KY.dcm", fails("transfer syntax JPEG 2000 Image Compression (1.2.840.10008.1.2.4.91)")},
      {"SC_rgb_jpeg.dcm", fails("truncated or corrupt")},
      {"SC_rgb_jpeg_app14_dcmd.dcm", fails("colour images (PhotometricInterpretation RGB")},
      {"SC_rgb_jpeg_dcmd.dcm", fails("colour images (PhotometricInterpretation RGB")},
      {"SC_rgb_jpeg_dcmtk.dcm", fails("colour images (PhotometricInterpretation YBR_FULL")},
      {"SC_rgb_jpeg_gdcm.dcm", fails("colour images (PhotometricInterpretation RGB")},
      {"SC_rgb_jpeg_lossy_gdcm.dcm", fails("colour images (PhotometricInterpretation RGB")},
      {"SC_rgb_rle.dcm", fails("colour images (PhotometricInterpretation RGB")},
      {"SC_rgb_rle_16bit.dcm", fails("colour images (PhotometricInterpretation RGB")},
      {"SC_rgb_rle_16bit_2frame.dcm", fails("colour images (PhotometricInterpretation RGB")},
      {"SC_rgb_rle_2frame.dcm", fails("colour images (PhotometricInterpretation RGB")},
      {"SC_rgb_rle_32bit.dcm", fails("colour images (PhotometricInterpretation RGB")},
      {"SC_rgb_rle_32bit_2frame.dcm", fails("colour images (PhotometricInterpretation RGB")},
      {"SC_rgb_small_odd.dcm", fails("colour images (PhotometricInterpretation RGB")},
      {"SC_rgb_small_odd_jpeg.dcm", fails("colour images (PhotometricInterpretation YBR_FULL")},
      {"SC_ybr_full_422_uncompressed.dcm", fails("colour images (PhotometricInterpretation YBR_FULL_422")},
      {"UN_sequence.dcm", fails("without an image")},
      {"badVR.dcm", loads(10, 10, 1)},
      {"dicomdirtests/77654033/CR1/6154", fails("ImageOrientationPatient is missing")},
      {"dicomdirtests/77654033/CR2/6247", fails("ImageOrientationPatient is missing")},
      {"dicomdirtests/77654033/CR3/6278", fails("ImageOrientationPatient is missing")},
      {"dicomdirtests/77654033/CT2/17106", loads(16, 16, 1)},
      {"dicomdirtests/77654033/CT2/17136", loads(16, 16, 1)},
      {"dicomdirtests/77654033/CT2/17166", loads(16, 16, 1)},
      {"dicomdirtests/77654033/CT2/17196", loads(16, 16, 1)},
      {"dicomdirtests/98892001/CT2N/6293", loads(16, 16, 1)},
      {"dicomdirtests/98892001/CT2N/6924", loads(16, 16, 1)},
      {"dicomdirtests/98892001/CT5N/2062", loads(16, 16, 1)},
      {"dicomdirtests/98892001/CT5N/2392", loads(16, 16, 1)},
      {"dicomdirtests/98892001/CT5N/2693", loads(16, 16, 1)},
      {"dicomdirtests/98892001/CT5N/3023", loads(16, 16, 1)},
      {"dicomdirtests/98892001/CT5N/3353", loads(16, 16, 1)},
      {"dicomdirtests/98892003/MR1/15820", loads(16, 16, 1)},
      {"dicomdirtests/98892003/MR1/4919", loads(16, 16, 1)},
      {"dicomdirtests/98892003/MR1/5641", loads(16, 16, 1)},
      {"dicomdirtests/98892003/MR2/15970", loads(16, 16, 1)},
      {"dicomdirtests/98892003/MR2/4950", loads(16, 16, 1)},
      {"dicomdirtests/98892003/MR2/4981", loads(16, 16, 1)},
      {"dicomdirtests/98892003/MR2/5011", loads(16, 16, 1)},
      {"dicomdirtests/98892003/MR2/6273", loads(16, 16, 1)},
      {"dicomdirtests/98892003/MR2/6605", loads(16, 16, 1)},
      {"dicomdirtests/98892003/MR2/6935", loads(16, 16, 1)},
      {"dicomdirtests/98892003/MR700/4467", loads(16, 16, 1)},
      {"dicomdirtests/98892003/MR700/4528", loads(16, 16, 1)},
      {"dicomdirtests/98892003/MR700/4558", loads(16, 16, 1)},
      {"dicomdirtests/98892003/MR700/4588", loads(16, 16, 1)},
      {"dicomdirtests/98892003/MR700/4618", loads(16, 16, 1)},
      {"dicomdirtests/98892003/MR700/4648", loads(16, 16, 1)},
      {"dicomdirtests/98892003/MR700/4678", loads(16, 16, 1)},
      {"dicomdirtests/DICOMDIR", fails("is a DICOMDIR")},
      {"dicomdirtests/DICOMDIR-bigEnd", fails("is a DICOMDIR")},
      {"dicomdirtests/DICOMDIR-empty.dcm", fails("is a DICOMDIR")},
      {"dicomdirtests/DICOMDIR-implicit", fails("is a DICOMDIR")},
      {"dicomdirtests/DICOMDIR-nooffset", fails("is a DICOMDIR")},
      {"dicomdirtests/DICOMDIR-nopatient", fails("is a DICOMDIR")},
      {"dicomdirtests/DICOMDIR-reordered", fails("is a DICOMDIR")},
      {"dicomdirtests/TINY_ALPHA/DICOMDIR", fails("is a DICOMDIR")},
      {"dicomdirtests/TINY_ALPHA/README", fails("not a DICOM file")},
      {"empty_charset_LEI.dcm", fails("without an image")},
      {"image_dfl.dcm", fails("ImageOrientationPatient is missing")},
      {"liver_1frame.dcm", fails("PerFrameFunctionalGroupsSequence has 3 items for 1 frames")},
      {"liver_expb_1frame.dcm", fails("PerFrameFunctionalGroupsSequence has 3 items for 1 frames")},
      {"meta_missing_tsyntax.dcm", fails("without an image")},
      {"nested_priv_SQ.dcm", fails("without an image")},
      {"no_meta.dcm", fails("not a DICOM file")},
      {"no_meta_group_length.dcm", fails("without an image")},
      {"priv_SQ.dcm", fails("without an image")},
      {"reportsi.dcm", fails("without an image")},
      {"reportsi_with_empty_number_tags.dcm", fails("without an image")},
      {"rtdose.dcm", loads(10, 10, 15)},
      {"rtdose_1frame.dcm", loads(10, 10, 1)},
      {"rtdose_expb.dcm", loads(10, 10, 15)},
      {"rtdose_expb_1frame.dcm", loads(10, 10, 1)},
      {"rtdose_rle.dcm", loads(10, 10, 15)},
      {"rtdose_rle_1frame.dcm", loads(10, 10, 1)},
      {"rtplan.dcm", fails("without an image")},
      {"rtplan_truncated.dcm", fails("truncated or corrupt")},
      {"rtstruct.dcm", fails("without an image")},
      {"test-SR.dcm", fails("without an image")},
      {"waveform_ecg.dcm", fails("without an image")},
  };
  return table;
}

// TINY_ALPHA's 60 instances are CT headers whose image pixel module was stripped.
Expected expectationByFolder(const std::string& rel) {
  if (rel.rfind("dicomdirtests/TINY_ALPHA/PT000000/", 0) == 0) return fails("without an image");
  return fails(nullptr);
}

bool isCandidate(const fs::path& p) {
  static const std::set<std::string> kNotDicom = {".py", ".json", ".gz", ".txt", ".dump", ".pyc", ".bz2"};
  return !kNotDicom.count(p.extension().string());
}

TEST(EdgeCaseDicom, EveryPydicomTestFileLoadsOrFailsAsTabled) {
  ASSERT_TRUE(fs::is_directory(kPydicomFiles)) << "python3-pydicom is not installed";
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(kPydicomFiles))
    if (e.is_regular_file() && isCandidate(e.path())) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  ASSERT_GT(files.size(), 50u);

  std::string missing;
  for (const fs::path& file : files) {
    std::string rel = fs::relative(file, kPydicomFiles).string();
    auto start = std::chrono::steady_clock::now();
    auto r = io::loadDicomSeries(file.string());
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_LT(seconds, 5.0) << rel << " took too long";

    auto it = expectations().find(rel);
    Expected byFolder = expectationByFolder(rel);
    if (it == expectations().end() && !byFolder.phrase) {
      if (r.ok())
        missing += "    {\"" + rel + "\", loads(" + std::to_string(r->volume.geometry().dims[0]) + ", " +
                   std::to_string(r->volume.geometry().dims[1]) + ", " +
                   std::to_string(r->volume.geometry().dims[2]) + ")},\n";
      else
        missing += "    {\"" + rel + "\", fails(\"" + r.message() + "\")},\n";
      continue;
    }
    const Expected& want = it != expectations().end() ? it->second : byFolder;
    if (want.phrase) {
      ASSERT_FALSE(r.ok()) << rel << " should fail with \"" << want.phrase << "\" but loaded";
      EXPECT_NE(r.message().find(want.phrase), std::string::npos) << rel << ": " << r.message();
      EXPECT_NE(r.message().find(file.string()), std::string::npos) << "message must name the file: " << r.message();
    } else {
      ASSERT_TRUE(r.ok()) << rel << ": " << r.message();
      EXPECT_EQ(r->volume.geometry().dims, want.dims) << rel;
      EXPECT_TRUE(r->volume.geometry().validate(rel).ok()) << rel;
      EXPECT_EQ(r->volume.byteSize(), std::size_t(r->volume.geometry().voxelCount()) *
                                          core::scalarSize(r->volume.scalarType()));
    }
  }
  EXPECT_TRUE(missing.empty()) << "files without a stated outcome:\n" << missing;
}

core::Volume loadVolume(const std::string& name) {
  auto r = io::loadDicomSeries(kPydicomFiles + "/" + name);
  EXPECT_TRUE(r.ok()) << name << ": " << (r.ok() ? "" : r.message());
  return r.ok() ? std::move(r->volume) : core::Volume{};
}

void expectSameImage(const std::string& reference, const std::vector<std::string>& others) {
  core::Volume ref = loadVolume(reference);
  for (const std::string& name : others) {
    core::Volume v = loadVolume(name);
    EXPECT_TRUE(v.geometry().sameGrid(ref.geometry(), 1e-4)) << name << ": " << v.geometry().describeDifference(ref.geometry());
    EXPECT_EQ(compareInPatientSpace(v, ref), "") << name << " vs " << reference;
  }
}

TEST(EdgeCaseDicom, SameImageInEveryLosslessTransferSyntaxLoadsIdentically) {
  expectSameImage("MR_small.dcm", {"MR_small_implicit.dcm", "MR_small_bigendian.dcm", "MR_small_expb.dcm",
                                   "MR_small_RLE.dcm", "MR_small_jpeg_ls_lossless.dcm", "MR_small_padded.dcm"});
  // 32-bit dose grids: big endian and RLE must agree with little endian.
  expectSameImage("rtdose.dcm", {"rtdose_expb.dcm", "rtdose_rle.dcm"});
  expectSameImage("rtdose_1frame.dcm", {"rtdose_expb_1frame.dcm", "rtdose_rle_1frame.dcm"});
}

}  // namespace
}  // namespace delineo::test
