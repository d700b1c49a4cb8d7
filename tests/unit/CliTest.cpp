// The delineo command line, run as a user would run it.

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "core/io/ImageIO.h"
#include "tests/unit/TestSupport.h"

namespace delineo::test {
namespace {

namespace fs = std::filesystem;

std::string delineo(const std::string& args, int* status = nullptr) {
  std::string output;
  int rc = runCommand(std::string(DELINEO_EXE) + " " + args, &output);
  if (status) *status = rc;
  return output;
}

std::string jsonOnly(const std::string& output) {
  auto start = output.find('{');
  return start == std::string::npos ? std::string{} : output.substr(start);
}

TEST(Cli, WithoutADisplayTheViewerSaysSoInOneLine) {
  // `delineo` alone opens the viewer on the head CT; with no display it must say why it cannot.
  std::string viaEnv;
  int envStatus = runCommand("env -u DISPLAY -u WAYLAND_DISPLAY " + std::string(DELINEO_EXE), &viaEnv);
  EXPECT_NE(envStatus, 0);
  EXPECT_EQ(std::count(viaEnv.begin(), viaEnv.end(), '\n'), 1) << viaEnv;
  EXPECT_NE(viaEnv.find("display"), std::string::npos) << viaEnv;
}

TEST(Cli, InfoJsonDescribesAVolumeInLps) {
  int status = -1;
  std::string out = delineo("info --json " + kColinT1, &status);
  ASSERT_EQ(status, 0) << out;
  auto j = nlohmann::json::parse(jsonOnly(out));
  EXPECT_EQ(j["kind"], "volume");
  const auto& v = j["volume"];
  EXPECT_EQ(v["format"], "NIfTI");
  EXPECT_EQ(v["dims"], nlohmann::json::array({181, 217, 181}));
  for (int a = 0; a < 3; ++a) EXPECT_NEAR(v["spacing_mm"][a].get<double>(), 1.0, 1e-6);
  EXPECT_EQ(v["direction_lps"].size(), 3u);
  EXPECT_EQ(v["scalar_type"], "uint8");
  // Colin27 is stored RAS in MNI space: seen in LPS, +i runs to the patient's right.
  EXPECT_EQ(v["orientation"], "RAS");
  EXPECT_LT(v["value_range"][0].get<double>(), v["value_range"][1].get<double>());
}

TEST(Cli, InfoListsTheSeriesOfADicomFolder) {
  int status = -1;
  std::string out = delineo("info --json " + daikonDir() + "/volume", &status);
  ASSERT_EQ(status, 0) << out;
  auto j = nlohmann::json::parse(jsonOnly(out));
  EXPECT_EQ(j["kind"], "dicom");
  ASSERT_EQ(j["series"].size(), 1u);
  EXPECT_EQ(j["series"][0]["images"], 20);
  EXPECT_EQ(j["series"][0]["modality"], "MR");
  EXPECT_EQ(j["volume"]["dims"][2], 20);
}

TEST(Cli, InfoNeverPrintsPatientIdentity) {
  // pydicom's CT_small.dcm carries PatientName "CompressedSamples^CT1".
  std::string out = delineo("info --json " + kPydicomFiles + "/CT_small.dcm");
  EXPECT_EQ(out.find("CompressedSamples"), std::string::npos) << out;
  out = delineo("info " + kPydicomFiles + "/CT_small.dcm");
  EXPECT_EQ(out.find("CompressedSamples"), std::string::npos) << out;
}

TEST(Cli, ConvertDicomSeriesToNiftiKeepsGeometryAndVoxels) {
  auto dir = scratchDir("CliConvertDicom");
  std::string nii = (dir / "mr.nii.gz").string();
  int status = -1;
  std::string out = delineo("convert -q " + daikonDir() + "/volume " + nii, &status);
  ASSERT_EQ(status, 0) << out;
  auto dicom = io::readImage(daikonDir() + "/volume");
  auto written = io::readImage(nii);
  ASSERT_TRUE(dicom.ok()) << dicom.message();
  ASSERT_TRUE(written.ok()) << written.message();
  EXPECT_EQ(compareInPatientSpace(dicom->volume, written->volume, 1e-3), "");
}

TEST(Cli, ConvertInVesaliusMasksToSlicerSegmentation) {
  auto dir = scratchDir("CliConvertInv3");
  std::string seg = (dir / "head.seg.nrrd").string();
  std::string ct = (dir / "head.nrrd").string();
  int status = -1;
  std::string out = delineo("convert -q " + kCraniumInv3 + " " + ct + " --labels-out " + seg, &status);
  ASSERT_EQ(status, 0) << out;
  auto labels = io::readLabelmap(seg);
  auto volume = io::readImage(ct);
  ASSERT_TRUE(labels.ok()) << labels.message();
  ASSERT_TRUE(volume.ok()) << volume.message();
  EXPECT_GE(labels->labels().size(), 1u);
  EXPECT_TRUE(labels->checkMatches(volume->volume.geometry(), seg).ok());
}

TEST(Cli, BadInputGivesAClearErrorAndNoOutputFile) {
  auto dir = scratchDir("CliBadInput");
  std::string garbage = (dir / "garbage.nii.gz").string();
  std::ofstream(garbage) << "this is not a NIfTI file";
  std::string out = (dir / "out.nrrd").string();
  int status = -1;
  std::string text = delineo("convert -q " + garbage + " " + out, &status);
  EXPECT_EQ(status, 1);
  EXPECT_NE(text.find("garbage.nii.gz"), std::string::npos) << text;
  EXPECT_FALSE(fs::exists(out));
  // Nothing half-written is left beside the target either.
  for (const auto& entry : fs::directory_iterator(dir))
    EXPECT_EQ(entry.path().filename(), "garbage.nii.gz") << entry.path();

  text = delineo("info " + (dir / "missing.nii").string(), &status);
  EXPECT_EQ(status, 1);
  EXPECT_NE(text.find("missing.nii: no such file"), std::string::npos) << text;

  text = delineo("convert -q " + kColinT1 + " " + (dir / "out.xyz").string(), &status);
  EXPECT_EQ(status, 1);
  EXPECT_NE(text.find("out.xyz"), std::string::npos) << text;
}

TEST(Cli, ConvertNeverTruncatesAnExistingFileOnFailure) {
  auto dir = scratchDir("CliKeepExisting");
  std::string target = (dir / "keep.nii.gz").string();
  std::ofstream(target) << "precious";
  int status = -1;
  delineo("convert -q " + (dir / "nope.dcm").string() + " " + target, &status);
  EXPECT_EQ(status, 1);
  std::ifstream in(target);
  std::string content((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(content, "precious");
}

}  // namespace
}  // namespace delineo::test
