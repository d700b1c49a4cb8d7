// Specifications of DICOM SEG export and import: what we write passes dciodvfy and comes back
// voxel for voxel; SEGs from other tools (ami.js' real one, overlapping, shuffled frames) import.

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdatset.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcsequen.h>

#include "core/io/DicomSeg.h"
#include "core/io/DicomSeries.h"
#include "core/io/ImageIO.h"
#include "core/io/SegTerminology.h"
#include "tests/unit/DicomPhantom.h"
#include "tests/unit/TestSupport.h"

namespace delineo::test {
namespace {

namespace fs = std::filesystem;
using io::LoadedImage;

const std::string kAmiSeg = std::string(DELINEO_NPM_DATA_DIR) + "/ami.js-0.33.0/package/data/dicom/dcm.seg.andrei";
// Identity the phantom series carry; it must never reach a message.
const char* const kSecrets[] = {"Secret", "PHANTOM-ID-0042"};

void expectNoIdentity(const std::string& text) {
  for (const char* secret : kSecrets) EXPECT_EQ(text.find(secret), std::string::npos) << text;
}

// dciodvfy's verdict on a file: its "Error" lines (empty when valid) and the whole output.
struct Verdict {
  std::vector<std::string> errors;
  std::string output;
};
Verdict dciodvfy(const fs::path& file) {
  Verdict v;
  runCommand("dciodvfy '" + file.string() + "'", &v.output);
  std::istringstream lines(v.output);
  for (std::string line; std::getline(lines, line);)
    if (line.rfind("Error", 0) == 0) v.errors.push_back(line);
  return v;
}

// An oblique phantom CT series on disk, loaded as DICOM.
struct Source {
  PhantomSeries series;
  LoadedImage image;
};
Source writeSource(const fs::path& dir, unsigned seed = 7) {
  PhantomSpec spec;
  spec.geometry = obliquePhantomGeometry();
  spec.stored = defaultPhantomValue;
  spec.seed = seed;
  Source s;
  s.series = writePhantomSeries(spec, dir);
  auto loaded = io::loadDicomSeries(dir.string());
  EXPECT_TRUE(loaded.ok()) << (loaded.ok() ? "" : loaded.message());
  if (loaded) s.image = std::move(loaded).value();
  return s;
}

core::Label label(std::uint8_t id, const std::string& name, std::array<std::uint8_t, 4> rgba) {
  core::Label l;
  l.id = id;
  l.name = name;
  l.rgba = rgba;
  return l;
}

// Three labels on separate parts of the grid, with empty slices at both ends.
core::Labelmap threeLabels(const core::Geometry& g) {
  core::Labelmap map(g);
  for (std::int64_t k = 2; k < g.dims[2] - 2; ++k)
    for (std::int64_t j = 0; j < g.dims[1]; ++j)
      for (std::int64_t i = 0; i < g.dims[0]; ++i) {
        std::uint8_t v = 0;
        if (i < 8 && j < 10) v = 1;
        else if (i >= 12 && j >= 4 && (i + j + k) % 3 != 0) v = 2;
        else if (k == 5 && i == 9 && j == 15) v = 3;  // a single voxel
        map.voxels()[std::size_t(g.linearIndex(i, j, k))] = v;
      }
  EXPECT_TRUE(map.labels().set(label(1, "Liver", {200, 120, 80, 255})).ok());
  EXPECT_TRUE(map.labels().set(label(2, "Left kidney", {40, 160, 250, 255})).ok());
  core::Label lesion = label(3, "Finding A", {255, 255, 0, 255});
  lesion.terminology = {io::alteredStructureCategory(), {"4147007", "SCT", "Mass"}, {}};
  EXPECT_TRUE(map.labels().set(lesion).ok());
  return map;
}

std::int64_t nonEmptyFrames(const core::Labelmap& map) {
  const core::Geometry& g = map.geometry();
  std::int64_t frames = 0;
  for (int id = 1; id < 256; ++id)
    for (std::int64_t k = 0; k < g.dims[2]; ++k) {
      bool any = false;
      for (std::int64_t n = 0; n < g.dims[0] * g.dims[1] && !any; ++n)
        any = map.voxels()[std::size_t(k * g.dims[0] * g.dims[1] + n)] == id;
      frames += any;
    }
  return frames;
}

std::string firstDifference(const core::Labelmap& a, const core::Labelmap& b) {
  if (a.geometry().dims != b.geometry().dims) return "dims differ";
  for (std::size_t n = 0; n < a.voxels().size(); ++n)
    if (a.voxels()[n] != b.voxels()[n])
      return "voxel " + std::to_string(n) + ": " + std::to_string(a.voxels()[n]) + " vs " +
             std::to_string(b.voxels()[n]);
  return {};
}

std::string get(DcmItem* item, const DcmTagKey& tag) {
  OFString v;
  if (item) item->findAndGetOFStringArray(tag, v);
  return v.c_str();
}

TEST(SegTerminology, CommonStructuresGetSnomedCodes) {
  auto liver = io::terminologyForName("Liver");
  EXPECT_EQ(liver.category, io::anatomicalStructureCategory());
  EXPECT_EQ(liver.type, (core::Code{"10200004", "SCT", "Liver"}));
  auto kidney = io::terminologyForName("left_kidneys");
  EXPECT_EQ(kidney.type.value, "64033007");
  EXPECT_EQ(kidney.typeModifier, (core::Code{"7771000", "SCT", "Left"}));
  auto tumour = io::terminologyForName("Tumour 2");
  EXPECT_EQ(tumour.category, io::alteredStructureCategory());
  EXPECT_EQ(tumour.type.value, "108369006");
  EXPECT_EQ(io::terminologyForName("Spinal cord").type.value, "2748008");
  EXPECT_EQ(io::terminologyForName("Gall bladder").type.value, "28231008");
  EXPECT_EQ(io::terminologyForName("bone").category, io::tissueCategory());
  auto unknown = io::terminologyForName("Region 7");
  EXPECT_EQ(unknown.category, io::tissueCategory());
  EXPECT_EQ(unknown.type, (core::Code{"85756007", "SCT", "Tissue"}));
}

TEST(SegTerminology, ALabelsOwnTerminologyWinsOverTheTable) {
  core::Label l = label(1, "Liver", {255, 0, 0, 255});
  l.terminology = {io::alteredStructureCategory(), {"4147007", "SCT", "Mass"}, {}};
  EXPECT_EQ(io::effectiveTerminology(l), l.terminology);
  l.terminology = {};
  EXPECT_EQ(io::effectiveTerminology(l).type.value, "10200004");
}

TEST(SegTerminology, ColoursRoundTripThroughDicomCieLab) {
  // Reference values: white is L*=100, a*=b*=0; sRGB red is L*=53.24, a*=80.09, b*=67.20.
  auto white = io::rgbToDicomLab({255, 255, 255});
  EXPECT_EQ(white[0], 65535);
  EXPECT_NEAR(white[1], 128.0 / 255.0 * 65535.0, 2.0);
  EXPECT_NEAR(white[2], 128.0 / 255.0 * 65535.0, 2.0);
  auto red = io::rgbToDicomLab({255, 0, 0});
  EXPECT_NEAR(red[0] / 65535.0 * 100.0, 53.24, 0.05);
  EXPECT_NEAR(red[1] / 65535.0 * 255.0 - 128.0, 80.09, 0.05);
  EXPECT_NEAR(red[2] / 65535.0 * 255.0 - 128.0, 67.20, 0.05);
  for (std::array<std::uint8_t, 3> rgb : {std::array<std::uint8_t, 3>{0, 0, 0}, {200, 120, 80}, {40, 160, 250},
                                           {255, 255, 0}, {17, 240, 3}}) {
    auto back = io::dicomLabToRgb(io::rgbToDicomLab(rgb));
    for (int c = 0; c < 3; ++c) EXPECT_NEAR(back[c], rgb[c], 1) << "channel " << c;
  }
}

TEST(DicomSeg, ExportThenImportGivesBackTheSameLabelmap) {
  fs::path dir = scratchDir("DicomSeg.RoundTrip");
  Source src = writeSource(dir / "ct");
  core::Labelmap map = threeLabels(src.image.volume.geometry());
  fs::path out = dir / "seg.dcm";

  auto written = io::writeDicomSeg(map, src.image, out.string());
  ASSERT_TRUE(written.ok()) << written.message();
  EXPECT_EQ(written->segmentCount, 3);
  EXPECT_EQ(written->frameCount, nonEmptyFrames(map));  // empty frames omitted
  EXPECT_EQ(written->segmentLabelIds, (std::vector<int>{1, 2, 3}));

  Verdict v = dciodvfy(out);
  EXPECT_TRUE(v.errors.empty()) << v.output;

  auto back = io::readDicomSegOnto(out.string(), src.image);
  ASSERT_TRUE(back.ok()) << back.message();
  EXPECT_TRUE(back->warnings.empty()) << back->warnings.front();
  EXPECT_EQ(firstDifference(back->labelmap, map), "");
  EXPECT_TRUE(back->labelmap.geometry().sameGrid(map.geometry()));
  ASSERT_EQ(back->labelmap.labels().size(), 3u);
  for (const core::Label& want : map.labels().labels()) {
    const core::Label* got = back->labelmap.labels().find(want.id);
    ASSERT_NE(got, nullptr);
    EXPECT_EQ(got->name, want.name);
    for (int c = 0; c < 3; ++c) EXPECT_NEAR(got->rgba[c], want.rgba[c], 1) << want.name;
    EXPECT_EQ(got->terminology, io::effectiveTerminology(want)) << want.name;
  }
  EXPECT_EQ(back->labelmap.labels().find(2)->terminology.typeModifier.meaning, "Left");
  EXPECT_EQ(back->labelmap.labels().find(3)->terminology.type.value, "4147007");
}

TEST(DicomSeg, ReferencesItsSourceSeriesAndCopiesPatientAndStudy) {
  fs::path dir = scratchDir("DicomSeg.References");
  Source src = writeSource(dir / "ct");
  core::Labelmap map = threeLabels(src.image.volume.geometry());
  fs::path out = dir / "seg.dcm";
  auto written = io::writeDicomSeg(map, src.image, out.string());
  ASSERT_TRUE(written.ok()) << written.message();

  DcmFileFormat file;
  ASSERT_TRUE(file.loadFile(out.c_str()).good());
  DcmDataset* ds = file.getDataset();
  const io::DicomSource& s = *src.image.dicom;
  EXPECT_EQ(get(ds, DCM_Modality), "SEG");
  EXPECT_EQ(get(ds, DCM_PatientName), s.patientName);
  EXPECT_EQ(get(ds, DCM_PatientID), s.patientId);
  EXPECT_EQ(get(ds, DCM_StudyInstanceUID), s.studyInstanceUid);
  EXPECT_EQ(get(ds, DCM_FrameOfReferenceUID), s.frameOfReferenceUid);
  EXPECT_EQ(get(ds, DCM_SeriesInstanceUID), written->seriesInstanceUid);
  EXPECT_NE(written->seriesInstanceUid, s.seriesInstanceUid);
  EXPECT_EQ(get(ds, DCM_SOPInstanceUID), written->sopInstanceUid);
  EXPECT_FALSE(get(ds, DCM_ContentCreatorName).empty());
  DcmItem* refSeries = nullptr;
  ASSERT_TRUE(ds->findAndGetSequenceItem(DCM_ReferencedSeriesSequence, refSeries, 0).good());
  EXPECT_EQ(get(refSeries, DCM_SeriesInstanceUID), s.seriesInstanceUid);

  // Each frame derives from the source image of the slice it lies on.
  DcmSequenceOfItems* frames = nullptr;
  ASSERT_TRUE(ds->findAndGetSequence(DCM_PerFrameFunctionalGroupsSequence, frames).good());
  ASSERT_EQ(frames->card(), static_cast<unsigned long>(written->frameCount));
  const core::Geometry& g = src.image.volume.geometry();
  for (unsigned long f = 0; f < frames->card(); ++f) {
    DcmItem* item = frames->getItem(f);
    DcmItem *plane = nullptr, *derivation = nullptr, *source = nullptr;
    ASSERT_TRUE(item->findAndGetSequenceItem(DCM_PlanePositionSequence, plane, 0).good());
    core::Vec3 p;
    for (int a = 0; a < 3; ++a) {
      Float64 v = 0;
      plane->findAndGetFloat64(DCM_ImagePositionPatient, v, static_cast<unsigned long>(a));
      p[a] = v;
    }
    auto k = static_cast<std::size_t>(std::llround(g.patientToIjk(p).z));
    ASSERT_TRUE(item->findAndGetSequenceItem(DCM_DerivationImageSequence, derivation, 0).good());
    ASSERT_TRUE(derivation->findAndGetSequenceItem(DCM_SourceImageSequence, source, 0).good());
    EXPECT_EQ(get(source, DCM_ReferencedSOPInstanceUID), s.sopInstanceUids[k]) << "frame " << f + 1;
    EXPECT_EQ(get(source, DCM_ReferencedSOPClassUID), s.sopClassUid);
  }
}

TEST(DicomSeg, LabelIdsAreNumberedAsSegmentsInIdOrder) {
  fs::path dir = scratchDir("DicomSeg.Renumber");
  Source src = writeSource(dir / "ct");
  core::Labelmap map(src.image.volume.geometry());
  map.voxels()[10] = 7;
  map.voxels()[500] = 2;
  ASSERT_TRUE(map.labels().set(label(7, "Spleen", {10, 20, 30, 255})).ok());
  ASSERT_TRUE(map.labels().set(label(2, "Heart", {200, 20, 30, 255})).ok());
  ASSERT_TRUE(map.labels().set(label(9, "Unused", {0, 0, 0, 255})).ok());
  auto written = io::writeDicomSeg(map, src.image, (dir / "seg.dcm").string());
  ASSERT_TRUE(written.ok()) << written.message();
  EXPECT_EQ(written->segmentLabelIds, (std::vector<int>{2, 7}));
  ASSERT_EQ(written->warnings.size(), 1u);  // the empty label is named, not silently dropped
  EXPECT_NE(written->warnings[0].find("Unused"), std::string::npos);
  auto back = io::readDicomSegOnto((dir / "seg.dcm").string(), src.image);
  ASSERT_TRUE(back.ok()) << back.message();
  EXPECT_EQ(back->labelmap.voxels()[500], 1);
  EXPECT_EQ(back->labelmap.voxels()[10], 2);
  EXPECT_EQ(back->labelmap.labels().find(1)->name, "Heart");
  EXPECT_EQ(back->labelmap.labels().find(2)->name, "Spleen");
}

// Merges two of our single-segment SEGs into one whose segments overlap, with the frames in
// reverse order (as other tools may write them). Frames here are whole bytes (24x20 bits).
void writeOverlappingSeg(const fs::path& a, const fs::path& b, const fs::path& out) {
  DcmFileFormat fa, fb;
  ASSERT_TRUE(fa.loadFile(a.c_str()).good());
  ASSERT_TRUE(fb.loadFile(b.c_str()).good());
  DcmDataset *da = fa.getDataset(), *db = fb.getDataset();
  DcmItem* segB = nullptr;
  ASSERT_TRUE(db->findAndGetSequenceItem(DCM_SegmentSequence, segB, 0).good());
  auto* segment = new DcmItem(*segB);
  segment->putAndInsertUint16(DCM_SegmentNumber, 2);
  ASSERT_TRUE(da->insertSequenceItem(DCM_SegmentSequence, segment).good());

  DcmSequenceOfItems *framesA = nullptr, *framesB = nullptr;
  ASSERT_TRUE(da->findAndGetSequence(DCM_PerFrameFunctionalGroupsSequence, framesA).good());
  ASSERT_TRUE(db->findAndGetSequence(DCM_PerFrameFunctionalGroupsSequence, framesB).good());
  std::vector<DcmItem*> items;
  for (unsigned long f = 0; f < framesA->card(); ++f) items.push_back(new DcmItem(*framesA->getItem(f)));
  for (unsigned long f = 0; f < framesB->card(); ++f) {
    auto* item = new DcmItem(*framesB->getItem(f));
    DcmItem* id = nullptr;
    item->findAndGetSequenceItem(DCM_SegmentIdentificationSequence, id, 0);
    id->putAndInsertUint16(DCM_ReferencedSegmentNumber, 2);
    items.push_back(item);
  }
  const Uint8 *pa = nullptr, *pb = nullptr;
  unsigned long na = 0, nb = 0;
  ASSERT_TRUE(da->findAndGetUint8Array(DCM_PixelData, pa, &na).good());
  ASSERT_TRUE(db->findAndGetUint8Array(DCM_PixelData, pb, &nb).good());
  const std::size_t frameBytes = 24 * 20 / 8;
  std::vector<Uint8> pixels(pa, pa + na);
  pixels.insert(pixels.end(), pb, pb + nb);
  std::vector<Uint8> reversed;
  framesA->clear();
  for (std::size_t f = items.size(); f-- > 0;) {
    framesA->append(items[f]);
    reversed.insert(reversed.end(), pixels.begin() + long(f * frameBytes), pixels.begin() + long((f + 1) * frameBytes));
  }
  da->putAndInsertString(DCM_NumberOfFrames, std::to_string(items.size()).c_str());
  da->putAndInsertUint8Array(DCM_PixelData, reversed.data(), reversed.size());
  ASSERT_TRUE(fa.saveFile(out.c_str(), EXS_LittleEndianExplicit).good());
}

TEST(DicomSeg, OverlappingSegmentsStaySeparateLabelsAndTheLaterWinsSharedVoxels) {
  fs::path dir = scratchDir("DicomSeg.Overlap");
  Source src = writeSource(dir / "ct");
  const core::Geometry& g = src.image.volume.geometry();
  core::Labelmap liver(g), tumor(g);
  std::int64_t shared = 0;
  for (std::int64_t k = 3; k < 6; ++k)
    for (std::int64_t j = 0; j < 10; ++j)
      for (std::int64_t i = 0; i < 10; ++i) {
        liver.voxels()[std::size_t(g.linearIndex(i, j, k))] = 1;
        if (i >= 6) {
          tumor.voxels()[std::size_t(g.linearIndex(i, j, k))] = 1;
          tumor.voxels()[std::size_t(g.linearIndex(i + 8, j, k))] = 1;
          ++shared;
        }
      }
  ASSERT_TRUE(liver.labels().set(label(1, "Liver", {200, 120, 80, 255})).ok());
  ASSERT_TRUE(tumor.labels().set(label(1, "Tumor", {255, 255, 0, 255})).ok());
  ASSERT_TRUE(io::writeDicomSeg(liver, src.image, (dir / "a.dcm").string()).ok());
  ASSERT_TRUE(io::writeDicomSeg(tumor, src.image, (dir / "b.dcm").string()).ok());
  writeOverlappingSeg(dir / "a.dcm", dir / "b.dcm", dir / "overlap.dcm");

  auto back = io::readDicomSegOnto((dir / "overlap.dcm").string(), src.image);
  ASSERT_TRUE(back.ok()) << back.message();
  ASSERT_EQ(back->labelmap.labels().size(), 2u);
  EXPECT_EQ(back->labelmap.labels().find(1)->name, "Liver");
  EXPECT_EQ(back->labelmap.labels().find(2)->name, "Tumor");
  auto histogram = back->labelmap.histogram();
  EXPECT_EQ(histogram[1], 3 * 10 * 10 - shared);
  EXPECT_EQ(histogram[2], 2 * shared);
  EXPECT_EQ(back->labelmap.at(7, 5, 4), 2);  // claimed by both: the later segment
  ASSERT_EQ(back->warnings.size(), 1u);
  const std::string& w = back->warnings[0];
  EXPECT_NE(w.find("'Liver'"), std::string::npos) << w;
  EXPECT_NE(w.find("'Tumor'"), std::string::npos) << w;
  EXPECT_NE(w.find(std::to_string(shared) + " voxels"), std::string::npos) << w;
}

TEST(DicomSeg, AmiJsSegmentationReadsWithoutItsCt) {
  ASSERT_TRUE(fs::exists(kAmiSeg)) << kAmiSeg << " (fetched by the npm_data fixture)";
  auto info = io::readDicomSegInfo(kAmiSeg);
  ASSERT_TRUE(info.ok()) << info.message();
  EXPECT_EQ(info->segmentationType, "BINARY");
  EXPECT_EQ(info->frameCount, 275);
  ASSERT_EQ(info->segments.size(), 1u);
  EXPECT_EQ(info->segments[0].frameCount, 275);
  EXPECT_EQ(info->segments[0].label.name, "Segmentation");
  EXPECT_EQ(info->segments[0].label.terminology.type, (core::Code{"M-03000", "SRT", "Mass"}));
  const core::Geometry& g = info->geometry;
  EXPECT_EQ(g.dims, (core::Dims{512, 512, 275}));
  EXPECT_NEAR(g.spacingMm.x, 0.78125, 1e-9);
  EXPECT_NEAR(g.spacingMm.y, 0.78125, 1e-9);
  EXPECT_NEAR(g.spacingMm.z, 1.0, 1e-6);
  EXPECT_NEAR(g.originMm.x, -201.0, 1e-6);
  EXPECT_NEAR(g.originMm.y, -59.0, 1e-6);
  EXPECT_NEAR(g.originMm.z, -679.800049, 1e-6);
  EXPECT_EQ(g.orientationCode(), "LPS");

  auto seg = io::readDicomSeg(kAmiSeg);
  ASSERT_TRUE(seg.ok()) << seg.message();
  EXPECT_TRUE(seg->warnings.empty());
  auto histogram = seg->labelmap.histogram();
  EXPECT_GT(histogram[1], 1000);  // a lung nodule of a few cm^3
  EXPECT_EQ(histogram[0] + histogram[1], g.voxelCount());
}

TEST(DicomSeg, ALabelmapThatDoesNotFitTheSeriesIsRefusedAndNothingIsWritten) {
  fs::path dir = scratchDir("DicomSeg.BadFit");
  Source src = writeSource(dir / "ct");
  core::Geometry other = src.image.volume.geometry();
  other.dims[2] -= 1;
  core::Labelmap map(other);
  map.voxels()[3] = 1;
  fs::path out = dir / "out" / "seg.dcm";
  fs::create_directories(out.parent_path());
  {
    std::ofstream previous(out);
    previous << "previous";
  }
  auto written = io::writeDicomSeg(map, src.image, out.string());
  ASSERT_FALSE(written.ok());
  EXPECT_NE(written.message().find("grid"), std::string::npos) << written.message();
  expectNoIdentity(written.message());
  std::ifstream kept(out);
  std::string content((std::istreambuf_iterator<char>(kept)), {});
  EXPECT_EQ(content, "previous");  // the user's file is untouched
  EXPECT_EQ(std::distance(fs::directory_iterator(out.parent_path()), {}), 1);  // no temporary left

  core::Labelmap empty(src.image.volume.geometry());
  auto none = io::writeDicomSeg(empty, src.image, (dir / "out" / "empty.dcm").string());
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.message().find("empty"), std::string::npos) << none.message();
  EXPECT_FALSE(fs::exists(dir / "out" / "empty.dcm"));

  LoadedImage notDicom;
  notDicom.volume = src.image.volume;
  notDicom.format = "NIfTI";
  auto noSource = io::writeDicomSeg(threeLabels(src.image.volume.geometry()), notDicom, (dir / "x.dcm").string());
  ASSERT_FALSE(noSource.ok());
  EXPECT_NE(noSource.message().find("DICOM series"), std::string::npos) << noSource.message();
}

TEST(DicomSeg, ASegOfAnotherSeriesIsRefusedWithAClearMessage) {
  fs::path dir = scratchDir("DicomSeg.WrongSource");
  Source src = writeSource(dir / "ct");
  Source other = writeSource(dir / "other", 11);  // another study and frame of reference
  fs::path out = dir / "seg.dcm";
  ASSERT_TRUE(io::writeDicomSeg(threeLabels(src.image.volume.geometry()), src.image, out.string()).ok());

  auto wrong = io::readDicomSegOnto(out.string(), other.image);
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.message().find("frame of reference"), std::string::npos) << wrong.message();
  expectNoIdentity(wrong.message());

  // Same frame of reference but another grid: frames that lie on no slice are named.
  LoadedImage shifted = src.image;
  core::Geometry g = shifted.volume.geometry();
  g.originMm = g.originMm + g.direction.column(2) * (g.spacingMm.z * 0.5);
  shifted.volume.setGeometry(g);
  auto off = io::readDicomSegOnto(out.string(), shifted);
  ASSERT_FALSE(off.ok());
  EXPECT_NE(off.message().find("does not lie on a slice"), std::string::npos) << off.message();

  auto notSeg = io::readDicomSegInfo(src.series.files.front().string());
  ASSERT_FALSE(notSeg.ok());
  EXPECT_NE(notSeg.message().find("not a DICOM Segmentation"), std::string::npos) << notSeg.message();
  EXPECT_TRUE(io::isDicomSegFile(out.string()));
  EXPECT_FALSE(io::isDicomSegFile(src.series.files.front().string()));
}

TEST(DicomSegCli, ExportSegThenConvertWithReferenceRoundTrips) {
  fs::path dir = scratchDir("DicomSegCli.RoundTrip");
  Source src = writeSource(dir / "ct");
  core::Labelmap map = threeLabels(src.image.volume.geometry());
  ASSERT_TRUE(io::writeLabelmap(map, (dir / "drawn.seg.nrrd").string()).ok());
  const std::string exe = DELINEO_EXE;
  std::string out;
  int rc = runCommand(exe + " export-seg -q '" + (dir / "ct").string() + "' '" + (dir / "drawn.seg.nrrd").string() +
                          "' --out '" + (dir / "seg.dcm").string() + "'",
                      &out);
  ASSERT_EQ(rc, 0) << out;
  expectNoIdentity(out);
  EXPECT_TRUE(dciodvfy(dir / "seg.dcm").errors.empty());

  rc = runCommand(exe + " convert -q '" + (dir / "seg.dcm").string() + "' '" + (dir / "back.nii.gz").string() +
                      "' --reference '" + (dir / "ct").string() + "'",
                  &out);
  ASSERT_EQ(rc, 0) << out;
  auto back = io::readLabelmap((dir / "back.nii.gz").string());
  ASSERT_TRUE(back.ok()) << back.message();
  EXPECT_EQ(firstDifference(*back, map), "");
  EXPECT_TRUE(back->geometry().sameGrid(map.geometry(), 1e-3));
  EXPECT_EQ(back->labels().find(2)->name, "Left kidney");
}

TEST(DicomSegCli, ASegWhoseSourceIsMissingFailsClearlyAndWritesNothing) {
  fs::path dir = scratchDir("DicomSegCli.MissingSource");
  Source src = writeSource(dir / "ct");
  ASSERT_TRUE(io::writeDicomSeg(threeLabels(src.image.volume.geometry()), src.image, (dir / "seg.dcm").string()).ok());
  const std::string exe = DELINEO_EXE;
  std::string out;
  int rc = runCommand(exe + " convert -q '" + (dir / "seg.dcm").string() + "' '" + (dir / "back.nii.gz").string() +
                          "' --reference '" + (dir / "gone").string() + "'",
                      &out);
  EXPECT_NE(rc, 0);
  EXPECT_NE(out.find("gone"), std::string::npos) << out;
  EXPECT_FALSE(fs::exists(dir / "back.nii.gz"));

  // A labelmap of another grid is refused before anything is written.
  core::Geometry other = src.image.volume.geometry();
  other.dims[0] -= 2;
  core::Labelmap wrong(other);
  wrong.voxels()[0] = 1;
  ASSERT_TRUE(io::writeLabelmap(wrong, (dir / "wrong.nii.gz").string()).ok());
  rc = runCommand(exe + " export-seg -q '" + (dir / "ct").string() + "' '" + (dir / "wrong.nii.gz").string() +
                      "' --out '" + (dir / "out.dcm").string() + "'",
                  &out);
  EXPECT_NE(rc, 0);
  EXPECT_NE(out.find("grid"), std::string::npos) << out;
  expectNoIdentity(out);
  EXPECT_FALSE(fs::exists(dir / "out.dcm"));
}

}  // namespace
}  // namespace delineo::test
