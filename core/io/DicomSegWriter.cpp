// DICOM SEG export with DCMTK dcmseg: one binary segment per label, frames for non-empty slices
// only, each frame deriving from the source image of its slice.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <optional>

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmfg/fgderimg.h>
#include <dcmtk/dcmfg/fgfracon.h>
#include <dcmtk/dcmfg/fgpixmsr.h>
#include <dcmtk/dcmfg/fgplanor.h>
#include <dcmtk/dcmfg/fgplanpo.h>
#include <dcmtk/dcmiod/iodmacro.h>
#include <dcmtk/dcmiod/modcommoninstanceref.h>
#include <dcmtk/dcmseg/segdoc.h>
#include <dcmtk/dcmseg/segment.h>

#include "core/io/AtomicFile.h"
#include "core/io/DicomHeader.h"
#include "core/io/DicomSeg.h"
#include "core/io/SegTerminology.h"

namespace delineo::io {

using core::makeError;

namespace {

// A DS value (at most 16 characters) as precise as fits.
std::string formatDs(double value) {
  if (std::abs(value) < 1e-9) value = 0.0;  // no "-1.2e-17" for what is zero
  char buffer[64];
  for (int precision = 15; precision > 1; --precision) {
    std::snprintf(buffer, sizeof buffer, "%.*g", precision, value);
    if (std::string(buffer).size() <= 16) return buffer;
  }
  return "0";
}

std::string newUid(const char* root) {
  char uid[100];
  dcmGenerateUniqueIdentifier(uid, root);
  return uid;
}

std::string check(const OFCondition& status, const std::string& what) {
  return status.good() ? std::string() : what + ": " + status.text();
}

CodeSequenceMacro toMacro(const core::Code& code) {
  return CodeSequenceMacro(code.value.c_str(), code.scheme.c_str(), code.meaning.c_str());
}

DcmSegTypes::E_SegmentAlgoType toDcmtk(SegAlgorithmType type) {
  switch (type) {
    case SegAlgorithmType::Manual: return DcmSegTypes::SAT_MANUAL;
    case SegAlgorithmType::SemiAutomatic: return DcmSegTypes::SAT_SEMIAUTOMATIC;
    case SegAlgorithmType::Automatic: break;
  }
  return DcmSegTypes::SAT_AUTOMATIC;
}

// Today's date and time as DA / TM.
std::pair<std::string, std::string> now() {
  OFString date, time;
  DcmDate::getCurrentDate(date);
  DcmTime::getCurrentTime(time);
  return {date.c_str(), time.c_str()};
}

struct SliceSource {
  std::string sopInstanceUid;
  int frameNumber = 0;  // 0: a single-frame instance
};

// The source image of each slice k, from the series' DicomSource.
core::Result<std::vector<SliceSource>> sliceSources(const DicomSource& s, std::int64_t slices,
                                                    const std::string& what) {
  std::vector<SliceSource> out(static_cast<std::size_t>(slices));
  if (!s.frameNumbers.empty()) {
    if (std::int64_t(s.frameNumbers.size()) != slices || s.sliceFileIndex.size() != s.frameNumbers.size())
      return makeError(what + ": the source's frame list does not match its " + std::to_string(slices) + " slices");
    for (std::size_t k = 0; k < out.size(); ++k) {
      auto file = static_cast<std::size_t>(s.sliceFileIndex[k]);
      if (file >= s.sopInstanceUids.size()) return makeError(what + ": the source's frame list is inconsistent");
      out[k] = {s.sopInstanceUids[file], s.frameNumbers[k]};
    }
    return out;
  }
  if (std::int64_t(s.sopInstanceUids.size()) != slices)
    return makeError(what + ": the source lists " + std::to_string(s.sopInstanceUids.size()) +
                     " images for " + std::to_string(slices) + " slices; reload the series");
  for (std::size_t k = 0; k < out.size(); ++k) out[k] = {s.sopInstanceUids[k], 0};
  return out;
}

// How the dates of a de-identified SEG are treated (PS3.15 E.1: shifted, or removed).
struct DatePolicy {
  std::optional<int> shiftDays;  // unset: removed
};

// Dates shifted or removed (Type 1 ContentDate/Time get a dummy, Type 2 ones are emptied, Type 3
// ones dropped), and the profile recorded in the SOP Common module.
std::string deidentifyDataset(DcmItem& ds, const DatePolicy& dates) {
  std::string error;
  if (dates.shiftDays) {
    for (const DcmTagKey& tag : {DCM_StudyDate, DCM_SeriesDate, DCM_ContentDate, DCM_InstanceCreationDate}) {
      OFString value;
      if (ds.findAndGetOFString(tag, value).bad()) continue;
      auto shifted = shiftDicomDate(value.c_str(), *dates.shiftDays);
      error += check(ds.putAndInsertString(tag, shifted ? shifted->c_str() : ""), "date");
    }
  } else {
    for (const DcmTagKey& tag : {DCM_SeriesDate, DCM_SeriesTime, DCM_InstanceCreationDate, DCM_InstanceCreationTime})
      ds.findAndDeleteElement(tag);
    error += check(ds.putAndInsertString(DCM_StudyDate, ""), "StudyDate");
    error += check(ds.putAndInsertString(DCM_StudyTime, ""), "StudyTime");
    error += check(ds.putAndInsertString(DCM_ContentDate, "19000101"), "ContentDate");
    error += check(ds.putAndInsertString(DCM_ContentTime, "000000"), "ContentTime");
  }
  error += check(ds.putAndInsertString(DCM_PatientIdentityRemoved, "YES"), "PatientIdentityRemoved");
  error += check(ds.putAndInsertString(DCM_DeidentificationMethod,
                                       dates.shiftDays ? "Basic Application Confidentiality Profile; dates shifted"
                                                       : "Basic Application Confidentiality Profile; dates removed"),
                 "DeidentificationMethod");
  error += check(ds.putAndInsertString(DCM_LongitudinalTemporalInformationModified,
                                       dates.shiftDays ? "MODIFIED" : "REMOVED"),
                 "LongitudinalTemporalInformationModified");
  ds.findAndDeleteElement(DCM_DeidentificationMethodCodeSequence);
  auto addCode = [&](const char* value, const char* meaning) {
    DcmItem* item = nullptr;
    error += check(ds.findOrCreateSequenceItem(DCM_DeidentificationMethodCodeSequence, item, -2), "method code");
    if (!item) return;
    error += check(item->putAndInsertString(DCM_CodeValue, value), "method code");
    error += check(item->putAndInsertString(DCM_CodingSchemeDesignator, "DCM"), "method code");
    error += check(item->putAndInsertString(DCM_CodeMeaning, meaning), "method code");
  };
  addCode("113100", "Basic Application Confidentiality Profile");
  if (dates.shiftDays) addCode("113107", "Retain Longitudinal Temporal Information Modified Dates Option");
  return error;
}

// DCMTK's document owns what it creates; this keeps our half of the construction readable.
class SegBuilder {
 public:
  SegBuilder(const core::Labelmap& labelmap, const DicomSource& source, const SegWriteOptions& options,
             std::optional<DatePolicy> deidentify)
      : mLabelmap(labelmap), mSource(source), mOptions(options), mDeidentify(deidentify) {}

  core::Result<void> create(SegWriteReport& report);
  core::Result<void> addSegments(const std::vector<SliceSource>& slices, SegWriteReport& report,
                                 const core::TaskControl& control);
  core::Result<void> save(const std::string& tempPath);

 private:
  const core::Labelmap& mLabelmap;
  const DicomSource& mSource;
  const SegWriteOptions& mOptions;
  std::optional<DatePolicy> mDeidentify;  // set: write under the basic confidentiality profile
  std::unique_ptr<DcmSegmentation> mSeg;
};

core::Result<void> SegBuilder::create(SegWriteReport& report) {
  const core::Geometry& g = mLabelmap.geometry();
  IODGeneralEquipmentModule::EquipmentInfo equipment("Delineo", "Delineo", "0", mOptions.softwareVersions.c_str());
  // The profile empties ContentCreatorName too (Z): a person's name.
  ContentIdentificationMacro content("1", mOptions.contentLabel.c_str(), mOptions.contentDescription.c_str(),
                                     mDeidentify ? "" : mOptions.contentCreatorName.c_str());
  DcmSegmentation* seg = nullptr;
  OFCondition status = DcmSegmentation::createBinarySegmentation(
      seg, static_cast<Uint16>(g.dims[1]), static_cast<Uint16>(g.dims[0]), equipment, content);
  mSeg.reset(seg);
  if (status.bad() || !seg) return makeError("cannot create the segmentation: " + std::string(status.text()));

  // Patient and study: the SEG belongs to the study it was drawn on.
  std::string error;
  IODPatientModule& patient = mSeg->getPatient();
  error += check(patient.setPatientName(mSource.patientName.c_str(), OFFalse), "patient name");
  error += check(patient.setPatientID(mSource.patientId.c_str(), OFFalse), "patient id");
  error += check(patient.setPatientBirthDate(mSource.patientBirthDate.c_str(), OFFalse), "birth date");
  error += check(patient.setPatientSex(mSource.patientSex.c_str(), OFFalse), "sex");
  IODGeneralStudyModule& study = mSeg->getStudy();
  error += check(study.setStudyInstanceUID(mSource.studyInstanceUid.c_str()), "StudyInstanceUID");
  error += check(study.setStudyDate(mSource.studyDate.c_str(), OFFalse), "StudyDate");
  error += check(study.setStudyTime(mSource.studyTime.c_str(), OFFalse), "StudyTime");
  error += check(study.setStudyID(mSource.studyId.c_str(), OFFalse), "StudyID");
  error += check(study.setAccessionNumber(mSource.accessionNumber.c_str(), OFFalse), "AccessionNumber");
  error += check(study.setReferringPhysicianName(mSource.referringPhysician.c_str(), OFFalse), "referring physician");
  error += check(mSeg->getFrameOfReference().setFrameOfReferenceUID(mSource.frameOfReferenceUid.c_str()),
                 "FrameOfReferenceUID");

  auto [date, time] = now();
  report.seriesInstanceUid = newUid(SITE_SERIES_UID_ROOT);
  report.sopInstanceUid = newUid(SITE_INSTANCE_UID_ROOT);
  IODGeneralSeriesModule& series = mSeg->getSeries();
  error += check(series.setSeriesInstanceUID(report.seriesInstanceUid.c_str()), "SeriesInstanceUID");
  error += check(series.setSeriesNumber(std::to_string(mOptions.seriesNumber).c_str()), "SeriesNumber");
  error += check(series.setSeriesDescription(mOptions.seriesDescription.c_str(), OFFalse), "SeriesDescription");
  error += check(series.setSeriesDate(date.c_str()), "SeriesDate");
  error += check(series.setSeriesTime(time.c_str()), "SeriesTime");
  error += check(mSeg->getSOPCommon().setSOPInstanceUID(report.sopInstanceUid.c_str()), "SOPInstanceUID");
  error += check(mSeg->getSOPCommon().setInstanceCreationDate(date.c_str()), "InstanceCreationDate");
  error += check(mSeg->getSOPCommon().setInstanceCreationTime(time.c_str()), "InstanceCreationTime");
  error += check(mSeg->getGeneralImage().setContentDate(date.c_str()), "ContentDate");
  error += check(mSeg->getGeneralImage().setContentTime(time.c_str()), "ContentTime");
  if (!error.empty()) return makeError("cannot fill the segmentation's header: " + error);

  // Frames are indexed by segment, then by position along the slice normal.
  std::string dimensionUid = newUid(SITE_INSTANCE_UID_ROOT);
  IODMultiframeDimensionModule& dims = mSeg->getDimensions();
  error += check(dims.addDimensionIndex(DCM_ReferencedSegmentNumber, dimensionUid.c_str(),
                                        DCM_SegmentIdentificationSequence, "ReferencedSegmentNumber"),
                 "dimension");
  error += check(dims.addDimensionIndex(DCM_ImagePositionPatient, dimensionUid.c_str(), DCM_PlanePositionSequence,
                                        "ImagePositionPatient"),
                 "dimension");

  // Orientation and pixel size are shared by all frames.
  core::Vec3 row = g.direction.column(0), column = g.direction.column(1);
  std::unique_ptr<FGPlaneOrientationPatient> orientation(FGPlaneOrientationPatient::createMinimal(
      formatDs(row.x).c_str(), formatDs(row.y).c_str(), formatDs(row.z).c_str(), formatDs(column.x).c_str(),
      formatDs(column.y).c_str(), formatDs(column.z).c_str()));
  if (!orientation) return makeError("cannot create the plane orientation");
  error += check(mSeg->addForAllFrames(*orientation), "plane orientation");
  FGPixelMeasures measures;
  // PixelSpacing is row spacing (along j) \ column spacing (along i).
  error += check(measures.setPixelSpacing((formatDs(g.spacingMm.y) + "\\" + formatDs(g.spacingMm.x)).c_str()),
                 "PixelSpacing");
  error += check(measures.setSliceThickness(formatDs(g.spacingMm.z).c_str()), "SliceThickness");
  error += check(measures.setSpacingBetweenSlices(formatDs(g.spacingMm.z).c_str()), "SpacingBetweenSlices");
  error += check(mSeg->addForAllFrames(measures), "pixel measures");
  if (!error.empty()) return makeError("cannot describe the segmentation's frames: " + error);
  return {};
}

core::Result<void> SegBuilder::addSegments(const std::vector<SliceSource>& slices, SegWriteReport& report,
                                           const core::TaskControl& control) {
  const core::Geometry& g = mLabelmap.geometry();
  const auto histogram = mLabelmap.histogram();
  const auto frameSize = static_cast<std::size_t>(g.dims[0] * g.dims[1]);
  std::vector<Uint8> frame(frameSize);
  auto voxels = mLabelmap.voxels();

  // Every label with voxels becomes a segment, in id order; ids missing from the table get a
  // default name so that nothing drawn is lost.
  std::vector<core::Label> labels;
  for (int id = 1; id < 256; ++id) {
    const core::Label* known = mLabelmap.labels().find(static_cast<std::uint8_t>(id));
    if (histogram[std::size_t(id)] == 0) {
      if (known)
        report.warnings.push_back("label " + std::to_string(id) + " '" + known->name +
                                  "' has no voxels and is not written");
      continue;
    }
    core::Label label;
    if (known) {
      label = *known;
    } else {
      label.id = static_cast<std::uint8_t>(id);
      label.name = "Label " + std::to_string(id);
      label.rgba = core::LabelTable::defaultColor(label.id);
    }
    labels.push_back(label);
  }
  if (labels.empty()) return makeError("the labelmap is empty: there is nothing to export");

  std::string sopClassUid = mSource.sopClassUid.empty() ? UID_CTImageStorage : mSource.sopClassUid;
  std::vector<bool> referenced(slices.size(), false);
  std::size_t done = 0;
  for (const core::Label& label : labels) {
    core::Terminology t = effectiveTerminology(label);
    std::string name = label.name.empty() ? t.type.meaning : label.name;
    DcmSegment* segment = nullptr;
    OFCondition status = DcmSegment::create(segment, name.c_str(), toMacro(t.category), toMacro(t.type),
                                            toDcmtk(mOptions.algorithmType),
                                            mOptions.algorithmType == SegAlgorithmType::Manual
                                                ? ""
                                                : mOptions.algorithmName.c_str());
    if (status.bad() || !segment)
      return makeError("cannot create segment '" + name + "': " + std::string(status.text()));
    std::unique_ptr<DcmSegment> owned(segment);
    if (!t.typeModifier.empty())
      segment->getSegmentedPropertyTypeModifierCode().push_back(new CodeSequenceMacro(toMacro(t.typeModifier)));
    auto lab = rgbToDicomLab({label.rgba[0], label.rgba[1], label.rgba[2]});
    std::string error = check(segment->setRecommendedDisplayCIELabValue(lab[0], lab[1], lab[2]), "colour");
    Uint16 segmentNumber = 0;
    error += check(mSeg->addSegment(segment, segmentNumber), "segment");
    if (!error.empty()) return makeError("cannot add segment '" + name + "': " + error);
    owned.release();  // the document owns it now
    report.segmentLabelIds.push_back(label.id);

    for (std::int64_t k = 0; k < g.dims[2]; ++k) {
      if (control.cancelled()) return makeError("cancelled");
      const std::uint8_t* slice = voxels.data() + static_cast<std::size_t>(k) * frameSize;
      bool any = false;
      for (std::size_t n = 0; n < frameSize; ++n) {
        frame[n] = slice[n] == label.id ? 1 : 0;
        any = any || frame[n];
      }
      if (!any) continue;  // empty frames are omitted

      core::Vec3 position = g.ijkToPatient({0.0, 0.0, static_cast<double>(k)});
      std::unique_ptr<FGPlanePosPatient> plane(FGPlanePosPatient::createMinimal(
          formatDs(position.x).c_str(), formatDs(position.y).c_str(), formatDs(position.z).c_str()));
      FGFrameContent content;
      error += check(content.setDimensionIndexValues(segmentNumber, 0), "dimension index");
      error += check(content.setDimensionIndexValues(static_cast<Uint32>(k + 1), 1), "dimension index");
      const SliceSource& source = slices[static_cast<std::size_t>(k)];
      OFVector<ImageSOPInstanceReferenceMacro> sources(1);
      error += check(sources[0].setReferencedSOPClassUID(sopClassUid.c_str()), "source class");
      error += check(sources[0].setReferencedSOPInstanceUID(source.sopInstanceUid.c_str()), "source instance");
      if (source.frameNumber > 0)
        error += check(sources[0].addReferencedFrameNumber(static_cast<Uint16>(source.frameNumber)), "source frame");
      std::unique_ptr<FGDerivationImage> derivation(
          DcmSegmentation::createDerivationImageFG(sources, "Segmentation drawn on the source image"));
      if (!plane || !derivation || !error.empty())
        return makeError("cannot describe frame " + std::to_string(k + 1) + " of segment '" + name + "': " + error);
      OFVector<FGBase*> perFrame;
      perFrame.push_back(plane.get());
      perFrame.push_back(&content);
      perFrame.push_back(derivation.get());
      error += check(mSeg->addFrame(frame.data(), segmentNumber, perFrame), "frame");
      if (!error.empty()) return makeError("cannot add a frame of segment '" + name + "': " + error);
      referenced[static_cast<std::size_t>(k)] = true;
      ++report.frameCount;
    }
    ++report.segmentCount;
    control.progress(double(++done) / double(labels.size()), "writing segments");
  }

  // The Common Instance Reference module lists every source image a frame derives from.
  auto* series = new IODSeriesAndInstanceReferenceMacro::ReferencedSeriesItem;
  mSeg->getCommonInstanceReference().getReferencedSeriesItems().push_back(series);
  std::string error = check(series->setSeriesInstanceUID(mSource.seriesInstanceUid.c_str()), "referenced series");
  std::string last;
  for (std::size_t k = 0; k < slices.size(); ++k) {
    if (!referenced[k] || slices[k].sopInstanceUid == last) continue;
    last = slices[k].sopInstanceUid;
    error += check(series->addReference(sopClassUid.c_str(), last.c_str()), "referenced instance");
  }
  if (!error.empty()) return makeError("cannot list the source images: " + error);
  return {};
}

core::Result<void> SegBuilder::save(const std::string& tempPath) {
  DcmFileFormat file;
  OFCondition status = mSeg->writeDataset(*file.getDataset());
  if (status.bad()) return makeError("cannot encode the segmentation: " + std::string(status.text()));
  if (!mSource.specificCharacterSet.empty())
    file.getDataset()->putAndInsertString(DCM_SpecificCharacterSet, mSource.specificCharacterSet.c_str());
  if (mDeidentify) {
    std::string error = deidentifyDataset(*file.getDataset(), *mDeidentify);
    if (!error.empty()) return makeError("cannot de-identify the segmentation: " + error);
  }
  status = file.saveFile(tempPath.c_str(), EXS_LittleEndianExplicit);
  if (status.bad()) return makeError("cannot write: " + std::string(status.text()));
  return {};
}

}  // namespace

core::Result<SegWriteReport> writeDicomSeg(const core::Labelmap& labelmap, const LoadedImage& source,
                                           const std::string& path, const SegWriteOptions& options,
                                           const core::TaskControl& control) {
  registerDicomDecoders();  // also silences DCMTK's logger, which may quote identity
  if (!source.dicom)
    return makeError(path + ": a DICOM SEG must reference the DICOM series it was drawn on; the source is a " +
                     (source.format.empty() ? std::string("non-DICOM") : source.format) +
                     " image (open the DICOM series instead)");
  const DicomSource& dicom = *source.dicom;
  if (auto r = labelmap.checkMatches(source.volume.geometry(), "the labelmap"); !r)
    return makeError(path + ": " + r.message() + "; a DICOM SEG must lie on its source series' grid");
  if (dicom.studyInstanceUid.empty() || dicom.seriesInstanceUid.empty())
    return makeError(path + ": the source series has no Study/Series Instance UID to reference");
  if (dicom.frameOfReferenceUid.empty())
    return makeError(path + ": the source series has no FrameOfReferenceUID; a DICOM SEG must share its "
                            "source's frame of reference");
  const core::Geometry& g = labelmap.geometry();
  if (g.dims[0] > 65535 || g.dims[1] > 65535)
    return makeError(path + ": slices of " + core::toString(g.dims) + " are too large for DICOM");
  SegWriteReport report;
  std::optional<DatePolicy> dates;
  DicomSource deidentified;
  if (options.deidentify.enabled) {
    const DeidentifyOptions& deid = options.deidentify;
    auto map = DeidentifyMap::load(deid.mapPath);
    if (!map) return map.error();
    dates = DatePolicy{};
    if (!deid.removeDates) {
      if (deid.dateShiftDays && map->dateShiftDays && *deid.dateShiftDays != *map->dateShiftDays)
        return makeError(deid.mapPath + ": earlier exports with this map shifted dates by " +
                         std::to_string(*map->dateShiftDays) + " days; use the same --date-shift so that "
                         "dates stay consistent, or another map");
      dates->shiftDays = deid.dateShiftDays ? deid.dateShiftDays : map->dateShiftDays;
    }
    if (dates->shiftDays) map->dateShiftDays = dates->shiftDays;
    else map->datesRemoved = true;
    deidentified = deidentifySource(dicom, *map);
    // The map is saved first: a SEG whose UIDs the map does not know could never be imported.
    if (!deid.mapPath.empty())
      if (auto saved = map->save(deid.mapPath); !saved) return saved.error();
    report.deidentified = true;
  }
  // References are taken from the source as written: de-identified UIDs when de-identifying.
  const DicomSource& written = dates ? deidentified : dicom;
  auto slices = sliceSources(written, g.dims[2], path);
  if (!slices) return slices.error();
  SegBuilder builder(labelmap, written, options, dates);
  if (auto r = builder.create(report); !r) return makeError(path + ": " + r.message());
  if (auto r = builder.addSegments(*slices, report, control); !r) return makeError(path + ": " + r.message());
  if (dicom.frameNumbers.size() > 0 && dicom.sopInstanceUids.size() == 1)
    report.warnings.push_back("the source is a multi-frame image; frames reference its frame numbers");
  auto saved = writeAtomically(path, [&](const std::string& temp) { return builder.save(temp); });
  if (!saved) return makeError(path + ": " + saved.message());
  return report;
}

}  // namespace delineo::io
