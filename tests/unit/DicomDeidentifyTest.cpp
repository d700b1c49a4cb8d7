// Specifications of de-identified DICOM SEG export (PS3.15 Annex E basic profile): none of the
// source's identifying values survive, the same map gives the same pseudonym and UIDs, the SEG
// stays valid for dciodvfy, and it imports onto its source given the map.

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdatset.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>

#include "core/io/DicomDeidentify.h"
#include "core/io/DicomSeg.h"
#include "core/io/DicomSeries.h"
#include "core/io/ImageIO.h"
#include "tests/unit/DicomPhantom.h"
#include "tests/unit/TestSupport.h"

namespace delineo::test {
namespace {

namespace fs = std::filesystem;

bool sameVoxels(const core::Labelmap& a, const core::Labelmap& b) {
  return std::equal(a.voxels().begin(), a.voxels().end(), b.voxels().begin(), b.voxels().end());
}

std::string readBytes(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

std::vector<std::string> dciodvfyErrors(const fs::path& file, std::string& output) {
  runCommand("dciodvfy '" + file.string() + "'", &output);
  std::vector<std::string> errors;
  std::istringstream lines(output);
  for (std::string line; std::getline(lines, line);)
    if (line.rfind("Error", 0) == 0) errors.push_back(line);
  return errors;
}

std::string get(const fs::path& file, const DcmTagKey& tag) {
  DcmFileFormat f;
  if (f.loadFile(file.c_str()).bad()) return "<unreadable>";
  OFString v;
  f.getDataset()->findAndGetOFStringArray(tag, v, OFTrue);
  return v.c_str();
}

std::string getNested(const fs::path& file, const DcmTagKey& sequence, const DcmTagKey& tag) {
  DcmFileFormat f;
  if (f.loadFile(file.c_str()).bad()) return "<unreadable>";
  DcmItem* item = nullptr;
  OFString v;
  if (f.getDataset()->findAndGetSequenceItem(sequence, item, 0).good()) item->findAndGetOFString(tag, v);
  return v.c_str();
}

struct Study {
  PhantomSpec spec;
  io::LoadedImage image;
  core::Labelmap labels;
};

// A phantom CT with full identity (name, ID, birth date, accession, study date) and two labels.
Study makeStudy(const fs::path& dir) {
  Study s;
  s.spec.geometry = obliquePhantomGeometry();
  s.spec.stored = defaultPhantomValue;
  writePhantomSeries(s.spec, dir);
  auto loaded = io::loadDicomSeries(dir.string());
  EXPECT_TRUE(loaded.ok()) << (loaded.ok() ? "" : loaded.message());
  if (loaded) s.image = std::move(loaded).value();
  const core::Geometry& g = s.image.volume.geometry();
  s.labels = core::Labelmap(g);
  for (std::int64_t k = 2; k < g.dims[2] - 2; ++k)
    for (std::int64_t j = 0; j < 10; ++j)
      for (std::int64_t i = 0; i < g.dims[0]; ++i)
        s.labels.voxels()[std::size_t(g.linearIndex(i, j, k))] = i < 12 ? 1 : 2;
  return s;
}

// Every identifying value of the source, as it would appear in a file's bytes.
std::vector<std::string> identifyingValues(const Study& s) {
  const io::DicomSource& d = *s.image.dicom;
  std::vector<std::string> values{s.spec.patientName, "Secret", s.spec.patientId, s.spec.patientBirthDate,
                                  s.spec.accessionNumber, d.studyDate, d.studyInstanceUid,
                                  d.seriesInstanceUid, d.frameOfReferenceUid};
  values.insert(values.end(), d.sopInstanceUids.begin(), d.sopInstanceUids.end());
  return values;
}

io::SegWriteOptions deidentified(const fs::path& map, std::optional<int> shiftDays) {
  io::SegWriteOptions options;
  options.contentCreatorName = "Annotator^Alice";
  options.deidentify.enabled = true;
  options.deidentify.mapPath = map.string();
  options.deidentify.dateShiftDays = shiftDays;
  options.deidentify.removeDates = !shiftDays;
  return options;
}

TEST(DicomDeidentify, ADeidentifiedSegHoldsNoneOfTheSourcesIdentityAndStaysValid) {
  fs::path dir = scratchDir("DicomDeidentify.NoIdentity");
  Study s = makeStudy(dir / "ct");
  fs::path out = dir / "seg.dcm";
  auto written = io::writeDicomSeg(s.labels, s.image, out.string(), deidentified(dir / "map.json", -100));
  ASSERT_TRUE(written.ok()) << written.message();
  EXPECT_TRUE(written->deidentified);

  const std::string bytes = readBytes(out);
  for (const std::string& value : identifyingValues(s)) {
    ASSERT_FALSE(value.empty());
    EXPECT_EQ(bytes.find(value), std::string::npos) << "found the source's '" << value << "' in the SEG";
  }
  EXPECT_EQ(bytes.find("Alice"), std::string::npos) << "ContentCreatorName is emptied by the profile";

  EXPECT_EQ(get(out, DCM_PatientName).rfind("ANON^", 0), 0u) << get(out, DCM_PatientName);
  EXPECT_EQ(get(out, DCM_PatientID).rfind("ANON-", 0), 0u);
  EXPECT_EQ(get(out, DCM_PatientBirthDate), "");
  EXPECT_EQ(get(out, DCM_AccessionNumber), "");
  EXPECT_EQ(get(out, DCM_StudyDate), "20230924");  // 2024-01-02 minus 100 days
  EXPECT_EQ(get(out, DCM_PatientIdentityRemoved), "YES");
  EXPECT_EQ(get(out, DCM_LongitudinalTemporalInformationModified), "MODIFIED");
  EXPECT_EQ(getNested(out, DCM_DeidentificationMethodCodeSequence, DCM_CodeValue), "113100");
  EXPECT_EQ(getNested(out, DCM_DeidentificationMethodCodeSequence, DCM_CodingSchemeDesignator), "DCM");

  std::string output;
  EXPECT_TRUE(dciodvfyErrors(out, output).empty()) << output;
}

TEST(DicomDeidentify, TwoExportsWithTheSameMapGiveTheSamePseudonymAndUids) {
  fs::path dir = scratchDir("DicomDeidentify.Consistent");
  Study s = makeStudy(dir / "ct");
  fs::path a = dir / "a.dcm", b = dir / "b.dcm", other = dir / "other.dcm";
  ASSERT_TRUE(io::writeDicomSeg(s.labels, s.image, a.string(), deidentified(dir / "map.json", 30)).ok());
  // The second export gives no shift: the map's is used, so dates agree too.
  io::SegWriteOptions again = deidentified(dir / "map.json", {});
  again.deidentify.removeDates = false;
  ASSERT_TRUE(io::writeDicomSeg(s.labels, s.image, b.string(), again).ok());
  ASSERT_TRUE(io::writeDicomSeg(s.labels, s.image, other.string(), deidentified(dir / "other.json", 30)).ok());

  for (const DcmTagKey& tag : {DCM_PatientName, DCM_PatientID, DCM_StudyInstanceUID, DCM_FrameOfReferenceUID,
                               DCM_StudyDate}) {
    EXPECT_EQ(get(a, tag), get(b, tag)) << tag.toString();
    EXPECT_FALSE(get(a, tag).empty()) << tag.toString();
  }
  EXPECT_EQ(getNested(a, DCM_ReferencedSeriesSequence, DCM_SeriesInstanceUID),
            getNested(b, DCM_ReferencedSeriesSequence, DCM_SeriesInstanceUID));
  EXPECT_NE(get(a, DCM_SOPInstanceUID), get(b, DCM_SOPInstanceUID)) << "each export is a new object";
  // Another map: another pseudonym and other UIDs, so exports cannot be linked without the map.
  EXPECT_NE(get(a, DCM_PatientName), get(other, DCM_PatientName));
  EXPECT_NE(get(a, DCM_StudyInstanceUID), get(other, DCM_StudyInstanceUID));

  // A different shift with the same map would break consistency: refused, nothing written.
  auto refused = io::writeDicomSeg(s.labels, s.image, (dir / "c.dcm").string(), deidentified(dir / "map.json", 5));
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.message().find("30 days"), std::string::npos) << refused.message();
  EXPECT_FALSE(fs::exists(dir / "c.dcm"));
  const std::string map = readBytes(dir / "map.json");
  EXPECT_EQ(map.find(s.spec.patientId), std::string::npos) << "the map stores no patient ID";
  EXPECT_EQ(map.find("Secret"), std::string::npos) << "the map stores no patient name";
}

TEST(DicomDeidentify, RemovedDatesLeaveNoDateOfTheStudy) {
  fs::path dir = scratchDir("DicomDeidentify.RemoveDates");
  Study s = makeStudy(dir / "ct");
  fs::path out = dir / "seg.dcm";
  ASSERT_TRUE(io::writeDicomSeg(s.labels, s.image, out.string(), deidentified(dir / "map.json", {})).ok());
  EXPECT_EQ(get(out, DCM_StudyDate), "");
  EXPECT_EQ(get(out, DCM_SeriesDate), "");
  EXPECT_EQ(get(out, DCM_ContentDate), "19000101");  // Type 1: a dummy, as E.1 allows
  EXPECT_EQ(get(out, DCM_LongitudinalTemporalInformationModified), "REMOVED");
  EXPECT_EQ(readBytes(out).find(s.image.dicom->studyDate), std::string::npos);
  std::string output;
  EXPECT_TRUE(dciodvfyErrors(out, output).empty()) << output;
}

TEST(DicomDeidentify, ImportsOntoItsSourceOnlyWithTheMapItWasExportedWith) {
  fs::path dir = scratchDir("DicomDeidentify.Import");
  Study s = makeStudy(dir / "ct");
  fs::path out = dir / "seg.dcm";
  ASSERT_TRUE(io::writeDicomSeg(s.labels, s.image, out.string(), deidentified(dir / "map.json", 7)).ok());

  auto without = io::readDicomSegOnto(out.string(), s.image);
  ASSERT_FALSE(without.ok());
  EXPECT_NE(without.message().find("--uid-map"), std::string::npos) << without.message();

  io::LoadedImage mapped = s.image;
  ASSERT_TRUE(io::applyDeidentifyMap(mapped, (dir / "map.json").string()).ok());
  auto back = io::readDicomSegOnto(out.string(), mapped);
  ASSERT_TRUE(back.ok()) << back.message();
  EXPECT_TRUE(back->warnings.empty()) << back->warnings.front();
  EXPECT_TRUE(sameVoxels(back->labelmap, s.labels));

  // A map that never saw this series is refused with a message that says so.
  ASSERT_TRUE(io::writeDicomSeg(s.labels, s.image, (dir / "x.dcm").string(), deidentified(dir / "x.json", 7)).ok());
  auto fresh = makeStudy(dir / "ct2");
  auto wrong = io::applyDeidentifyMap(fresh.image, (dir / "x.json").string());
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.message().find("frame of reference"), std::string::npos) << wrong.message();
}

TEST(DicomDeidentify, DatesShiftAcrossMonthsYearsAndLeapDays) {
  EXPECT_EQ(io::shiftDicomDate("20240102", -100), "20230924");
  EXPECT_EQ(io::shiftDicomDate("20240228", 1), "20240229");
  EXPECT_EQ(io::shiftDicomDate("20231231", 1), "20240101");
  EXPECT_EQ(io::shiftDicomDate("", 9), "");
  EXPECT_FALSE(io::shiftDicomDate("2024-01-02", 1).has_value());
  EXPECT_FALSE(io::shiftDicomDate("20241340", 1).has_value());
}

TEST(DicomDeidentifyCli, ExportSegDeidentifiedThenConvertWithTheMapRoundTrips) {
  fs::path dir = scratchDir("DicomDeidentifyCli.RoundTrip");
  Study s = makeStudy(dir / "ct");
  ASSERT_TRUE(io::writeLabelmap(s.labels, (dir / "drawn.nii.gz").string()).ok());
  const std::string exe = DELINEO_EXE;
  std::string out;
  int rc = runCommand(exe + " export-seg '" + (dir / "ct").string() + "' '" + (dir / "drawn.nii.gz").string() +
                          "' --out '" + (dir / "seg.dcm").string() + "' --deidentify --uid-map '" +
                          (dir / "map.json").string() + "' --date-shift -30",
                      &out);
  ASSERT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("de-identified"), std::string::npos) << out;
  for (const std::string& value : identifyingValues(s)) EXPECT_EQ(out.find(value), std::string::npos) << out;
  for (const std::string& value : identifyingValues(s))
    EXPECT_EQ(readBytes(dir / "seg.dcm").find(value), std::string::npos) << value;

  rc = runCommand(exe + " convert -q '" + (dir / "seg.dcm").string() + "' '" + (dir / "back.nii.gz").string() +
                      "' --reference '" + (dir / "ct").string() + "'",
                  &out);
  EXPECT_NE(rc, 0) << "without the map the SEG does not match its source";
  EXPECT_NE(out.find("--uid-map"), std::string::npos) << out;
  rc = runCommand(exe + " convert -q '" + (dir / "seg.dcm").string() + "' '" + (dir / "back.nii.gz").string() +
                      "' --reference '" + (dir / "ct").string() + "' --uid-map '" + (dir / "map.json").string() + "'",
                  &out);
  ASSERT_EQ(rc, 0) << out;
  auto back = io::readLabelmap((dir / "back.nii.gz").string());
  ASSERT_TRUE(back.ok()) << back.message();
  EXPECT_TRUE(sameVoxels(*back, s.labels));

  rc = runCommand(exe + " export-seg -q '" + (dir / "ct").string() + "' '" + (dir / "drawn.nii.gz").string() +
                      "' --out '" + (dir / "x.dcm").string() + "' --date-shift 3",
                  &out);
  EXPECT_NE(rc, 0) << "--date-shift without --deidentify is a usage error";
}

}  // namespace
}  // namespace delineo::test
