// DICOM SEG import with plain dcmdata (lenient towards what other tools write: shared or
// per-frame functional groups, old SRT codes, frames in any order, compressed pixel data).

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <optional>
#include <sstream>

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdatset.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcpixel.h>
#include <dcmtk/dcmdata/dcsequen.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmdata/dcxfer.h>

#include "core/io/DicomHeader.h"
#include "core/io/DicomSeg.h"
#include "core/io/SegTerminology.h"

namespace delineo::io {

using core::makeError;
using core::Vec3;

namespace {

// A frame may sit this far off a slice, in voxels, and still be taken as on it: absorbs the
// rounding of DS positions (16 characters) by other writers.
constexpr double kSliceToleranceVoxels = 0.1;
// Row/column direction cosines must agree this closely with the grid's axes.
constexpr double kDirectionTolerance = 1e-3;

std::string trim(std::string s) {
  auto notSpace = [](unsigned char c) { return c != ' ' && c != '\0'; };
  s.erase(s.begin(), std::find_if(s.begin(), s.end(), notSpace));
  s.erase(std::find_if(s.rbegin(), s.rend(), notSpace).base(), s.end());
  return s;
}

std::string getString(DcmItem* item, const DcmTagKey& tag) {
  OFString value;
  if (item && item->findAndGetOFStringArray(tag, value).good()) return trim(value.c_str());
  return {};
}

std::optional<long> getInt(DcmItem* item, const DcmTagKey& tag) {
  if (!item) return std::nullopt;
  Uint16 us = 0;
  if (item->findAndGetUint16(tag, us).good()) return us;
  Uint32 ul = 0;
  if (item->findAndGetUint32(tag, ul).good()) return long(ul);
  Sint32 is = 0;
  if (item->findAndGetSint32(tag, is).good()) return is;
  return std::nullopt;
}

std::optional<std::vector<double>> getDoubles(DcmItem* item, const DcmTagKey& tag, unsigned long count) {
  if (!item) return std::nullopt;
  std::vector<double> values(count);
  for (unsigned long n = 0; n < count; ++n) {
    Float64 v = 0;
    if (item->findAndGetFloat64(tag, v, n).bad() || !std::isfinite(v)) return std::nullopt;
    values[n] = v;
  }
  return values;
}

DcmItem* firstItem(DcmItem* item, const DcmTagKey& tag) {
  DcmItem* out = nullptr;
  if (item && item->findAndGetSequenceItem(tag, out, 0).good()) return out;
  return nullptr;
}

core::Code readCode(DcmItem* item) {
  core::Code code;
  if (!item) return code;
  code.value = getString(item, DCM_CodeValue);
  if (code.value.empty()) code.value = getString(item, DCM_LongCodeValue);
  if (code.value.empty()) code.value = getString(item, DCM_URNCodeValue);
  code.scheme = getString(item, DCM_CodingSchemeDesignator);
  code.meaning = getString(item, DCM_CodeMeaning);
  return code;
}

std::string vecText(Vec3 v) { return core::toString(v, 2); }

// What one frame says about itself (per-frame groups override shared ones).
struct FrameInfo {
  int segment = 0;
  std::optional<Vec3> position;
  std::optional<Vec3> row, column;
  std::optional<std::array<double, 2>> spacing;  // along i (columns), along j (rows)
  std::optional<double> sliceSpacing;
  std::string sourceSopInstanceUid;  // first source image of its derivation, if any
};

void readGroup(DcmItem* group, FrameInfo& f) {
  if (!group) return;
  if (auto n = getInt(firstItem(group, DCM_SegmentIdentificationSequence), DCM_ReferencedSegmentNumber))
    f.segment = int(*n);
  if (auto p = getDoubles(firstItem(group, DCM_PlanePositionSequence), DCM_ImagePositionPatient, 3))
    f.position = Vec3{(*p)[0], (*p)[1], (*p)[2]};
  if (auto o = getDoubles(firstItem(group, DCM_PlaneOrientationSequence), DCM_ImageOrientationPatient, 6)) {
    f.row = Vec3{(*o)[0], (*o)[1], (*o)[2]};
    f.column = Vec3{(*o)[3], (*o)[4], (*o)[5]};
  }
  DcmItem* measures = firstItem(group, DCM_PixelMeasuresSequence);
  if (auto s = getDoubles(measures, DCM_PixelSpacing, 2)) f.spacing = std::array<double, 2>{(*s)[1], (*s)[0]};
  if (auto s = getDoubles(measures, DCM_SpacingBetweenSlices, 1); s && (*s)[0] > 0) f.sliceSpacing = (*s)[0];
  DcmItem* source = firstItem(firstItem(group, DCM_DerivationImageSequence), DCM_SourceImageSequence);
  if (source) f.sourceSopInstanceUid = getString(source, DCM_ReferencedSOPInstanceUID);
}

// A parsed SEG: its description, its frames and (when asked for) its decoded pixel data.
struct ParsedSeg {
  DicomSegInfo info;
  std::vector<FrameInfo> frames;
  int bitsAllocated = 1;
  int maxFractionalValue = 255;
  std::unique_ptr<DcmFileFormat> file;
  const Uint8* pixels = nullptr;  // owned by `file`

  // Whether pixel n of frame f is set (binary: bit-packed across frames, LSB first).
  bool isSet(std::size_t f, std::size_t n) const {
    std::size_t index = f * std::size_t(info.rows) * std::size_t(info.columns) + n;
    if (bitsAllocated == 1) return (pixels[index / 8] >> (index % 8)) & 1;
    return pixels[index] * 2 >= maxFractionalValue;
  }
};

core::Result<std::unique_ptr<ParsedSeg>> parseSeg(const std::string& path, bool withPixels) {
  registerDicomDecoders();
  auto parsed = std::make_unique<ParsedSeg>();
  parsed->file = std::make_unique<DcmFileFormat>();
  OFCondition status = withPixels ? parsed->file->loadFile(path.c_str())
                                  : parsed->file->loadFileUntilTag(path.c_str(), EXS_Unknown, EGL_noChange,
                                                                   DCM_MaxReadLength, ERM_autoDetect, DCM_PixelData);
  if (status.bad()) return makeError(path + ": not a readable DICOM file (" + status.text() + ")");
  DcmDataset* ds = parsed->file->getDataset();
  if (getString(ds, DCM_SOPClassUID) != UID_SegmentationStorage)
    return makeError(path + ": not a DICOM Segmentation (SOP class " + getString(ds, DCM_SOPClassUID) + ")");

  DicomSegInfo& info = parsed->info;
  info.sopInstanceUid = getString(ds, DCM_SOPInstanceUID);
  info.frameOfReferenceUid = getString(ds, DCM_FrameOfReferenceUID);
  info.referencedSeriesUid = getString(firstItem(ds, DCM_ReferencedSeriesSequence), DCM_SeriesInstanceUID);
  info.segmentationType = getString(ds, DCM_SegmentationType);
  info.rows = int(getInt(ds, DCM_Rows).value_or(0));
  info.columns = int(getInt(ds, DCM_Columns).value_or(0));
  std::string frames = getString(ds, DCM_NumberOfFrames);  // IS: text
  info.frameCount = frames.empty() ? 1 : std::atoi(frames.c_str());
  parsed->bitsAllocated = int(getInt(ds, DCM_BitsAllocated).value_or(1));
  parsed->maxFractionalValue = int(getInt(ds, DCM_MaximumFractionalValue).value_or(255));
  if (info.rows <= 0 || info.columns <= 0 || info.frameCount <= 0)
    return makeError(path + ": the segmentation has no frames (Rows, Columns or NumberOfFrames missing)");
  if (info.segmentationType != "BINARY" && info.segmentationType != "FRACTIONAL")
    return makeError(path + ": unsupported SegmentationType '" + info.segmentationType + "'");
  if ((info.segmentationType == "BINARY") != (parsed->bitsAllocated == 1) ||
      (parsed->bitsAllocated != 1 && parsed->bitsAllocated != 8))
    return makeError(path + ": " + info.segmentationType + " segmentation with BitsAllocated " +
                     std::to_string(parsed->bitsAllocated) + " is not valid");

  // Segments.
  DcmSequenceOfItems* segments = nullptr;
  if (ds->findAndGetSequence(DCM_SegmentSequence, segments).bad() || !segments || segments->card() == 0)
    return makeError(path + ": the segmentation lists no segments (SegmentSequence)");
  for (unsigned long n = 0; n < segments->card(); ++n) {
    DcmItem* item = segments->getItem(n);
    SegSegmentInfo s;
    long number = getInt(item, DCM_SegmentNumber).value_or(0);
    if (number < 1 || number > 255)
      return makeError(path + ": segment " + std::to_string(n + 1) + " has number " + std::to_string(number) +
                       "; Delineo labelmaps hold segments 1..255");
    s.label.id = static_cast<std::uint8_t>(number);
    s.label.name = getString(item, DCM_SegmentLabel);
    if (s.label.name.empty()) s.label.name = "Segment " + std::to_string(number);
    s.algorithmType = getString(item, DCM_SegmentAlgorithmType);
    s.label.terminology.category = readCode(firstItem(item, DCM_SegmentedPropertyCategoryCodeSequence));
    DcmItem* type = firstItem(item, DCM_SegmentedPropertyTypeCodeSequence);
    s.label.terminology.type = readCode(type);
    // The modifier sits inside the type item (current standard) or beside it (older writers).
    DcmItem* modifier = firstItem(type, DCM_SegmentedPropertyTypeModifierCodeSequence);
    if (!modifier) modifier = firstItem(item, DCM_SegmentedPropertyTypeModifierCodeSequence);
    s.label.terminology.typeModifier = readCode(modifier);
    Uint16 lab[3];
    bool hasLab = true;
    for (unsigned long c = 0; c < 3; ++c)
      hasLab = hasLab && item->findAndGetUint16(DCM_RecommendedDisplayCIELabValue, lab[c], c).good();
    if (hasLab) {
      auto rgb = dicomLabToRgb({lab[0], lab[1], lab[2]});
      s.label.rgba = {rgb[0], rgb[1], rgb[2], 255};
    } else {
      s.label.rgba = core::LabelTable::defaultColor(s.label.id);
    }
    for (const auto& other : info.segments)
      if (other.label.id == s.label.id)
        return makeError(path + ": segment number " + std::to_string(number) + " is listed twice");
    info.segments.push_back(s);
  }

  // Frames: shared groups first, then per-frame ones override.
  FrameInfo shared;
  readGroup(firstItem(ds, DCM_SharedFunctionalGroupsSequence), shared);
  DcmSequenceOfItems* perFrame = nullptr;
  ds->findAndGetSequence(DCM_PerFrameFunctionalGroupsSequence, perFrame);
  if (!perFrame || perFrame->card() != static_cast<unsigned long>(info.frameCount))
    return makeError(path + ": PerFrameFunctionalGroupsSequence has " +
                     std::to_string(perFrame ? perFrame->card() : 0) + " items for " +
                     std::to_string(info.frameCount) + " frames");
  parsed->frames.resize(static_cast<std::size_t>(info.frameCount), shared);
  for (std::size_t f = 0; f < parsed->frames.size(); ++f) {
    FrameInfo& frame = parsed->frames[f];
    readGroup(perFrame->getItem(static_cast<unsigned long>(f)), frame);
    auto segment = std::find_if(info.segments.begin(), info.segments.end(),
                                [&](const SegSegmentInfo& s) { return s.label.id == frame.segment; });
    if (segment == info.segments.end())
      return makeError(path + ": frame " + std::to_string(f + 1) + " refers to segment " +
                       std::to_string(frame.segment) + ", which the SegmentSequence does not list");
    ++segment->frameCount;
  }
  std::sort(info.segments.begin(), info.segments.end(),
            [](const SegSegmentInfo& a, const SegSegmentInfo& b) { return a.label.id < b.label.id; });

  if (!withPixels) return parsed;
  E_TransferSyntax xfer = ds->getOriginalXfer();
  if (DcmXfer(xfer).isEncapsulated() && ds->chooseRepresentation(EXS_LittleEndianExplicit, nullptr).bad())
    return makeError(path + ": cannot decode its pixel data (" + transferSyntaxName(DcmXfer(xfer).getXferID()) + ")");
  DcmElement* element = nullptr;
  Uint8* bytes = nullptr;
  if (ds->findAndGetElement(DCM_PixelData, element).bad() || !element || element->getUint8Array(bytes).bad() ||
      !bytes)
    return makeError(path + ": the segmentation has no pixel data");
  std::size_t pixels = std::size_t(info.rows) * std::size_t(info.columns) * std::size_t(info.frameCount);
  std::size_t needed = parsed->bitsAllocated == 1 ? (pixels + 7) / 8 : pixels;
  if (element->getLength() < needed)
    return makeError(path + ": pixel data is cut short (" + std::to_string(element->getLength()) + " of " +
                     std::to_string(needed) + " bytes)");
  parsed->pixels = bytes;
  return parsed;
}

// The SEG's own grid: its frames' plane, stacked along the normal at the slice spacing.
core::Result<core::Geometry> ownGeometry(const ParsedSeg& seg, const std::string& path) {
  const FrameInfo& first = seg.frames.front();
  if (!first.row || !first.column || !first.spacing)
    return makeError(path + ": the segmentation does not give its frames' orientation and pixel spacing");
  Vec3 row = core::normalize(*first.row), column = core::normalize(*first.column);
  Vec3 normal = core::normalize(core::cross(row, column));
  std::vector<double> distances;
  std::optional<Vec3> inPlane;
  for (std::size_t f = 0; f < seg.frames.size(); ++f) {
    const FrameInfo& frame = seg.frames[f];
    if (!frame.position) return makeError(path + ": frame " + std::to_string(f + 1) + " has no ImagePositionPatient");
    double d = core::dot(*frame.position, normal);
    Vec3 offset = *frame.position - normal * d;
    if (!inPlane) inPlane = offset;
    if (core::length(offset - *inPlane) > kSliceToleranceVoxels * std::min((*first.spacing)[0], (*first.spacing)[1]))
      return makeError(path + ": frame " + std::to_string(f + 1) + " at " + vecText(*frame.position) +
                       " mm is not stacked along the slice normal with the other frames");
    distances.push_back(d);
  }
  std::sort(distances.begin(), distances.end());
  std::vector<double> distinct;
  for (double d : distances)
    if (distinct.empty() || d - distinct.back() > 1e-3) distinct.push_back(d);
  double spacing = first.sliceSpacing.value_or(0.0);
  if (spacing <= 0) {
    for (std::size_t n = 1; n < distinct.size(); ++n) {
      double step = distinct[n] - distinct[n - 1];
      if (spacing <= 0 || step < spacing) spacing = step;
    }
  }
  if (spacing <= 0) spacing = 1.0;  // one slice: any thickness places it
  double extent = distinct.back() - distinct.front();
  auto slices = static_cast<std::int64_t>(std::llround(extent / spacing)) + 1;

  core::Geometry g;
  g.dims = {seg.info.columns, seg.info.rows, slices};
  g.spacingMm = {(*first.spacing)[0], (*first.spacing)[1], spacing};
  g.direction = core::Mat3::fromColumns(row, column, normal);
  g.originMm = *inPlane + normal * distinct.front();
  if (auto r = g.validate(path); !r) return r.error();
  return g;
}

// Decodes every frame onto `grid`; frame f goes to slice sliceOf[f].
core::Result<SegImport> decodeOnto(ParsedSeg& seg, const core::Geometry& grid, const std::vector<std::int64_t>& sliceOf,
                                   const std::string& path, const core::TaskControl& control) {
  SegImport out;
  out.labelmap = core::Labelmap(grid);
  for (const auto& s : seg.info.segments) {
    if (auto r = out.labelmap.labels().set(s.label); !r) return makeError(path + ": " + r.message());
  }
  if (seg.info.segmentationType == "FRACTIONAL")
    out.warnings.push_back("fractional segmentation: voxels at 50% or more were taken as inside");

  // Segments apply in number order, so the later segment wins where two overlap.
  std::vector<std::size_t> order(seg.frames.size());
  for (std::size_t f = 0; f < order.size(); ++f) order[f] = f;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return seg.frames[a].segment < seg.frames[b].segment; });
  std::map<std::pair<int, int>, std::int64_t> overlaps;
  auto voxels = out.labelmap.voxels();
  const auto frameSize = std::size_t(seg.info.rows) * std::size_t(seg.info.columns);
  for (std::size_t done = 0; done < order.size(); ++done) {
    if (control.cancelled()) return makeError("cancelled");
    std::size_t f = order[done];
    auto value = static_cast<std::uint8_t>(seg.frames[f].segment);
    std::uint8_t* slice = voxels.data() + static_cast<std::size_t>(sliceOf[f]) * frameSize;
    for (std::size_t n = 0; n < frameSize; ++n) {
      if (!seg.isSet(f, n)) continue;
      if (slice[n] != 0 && slice[n] != value) ++overlaps[{slice[n], value}];
      slice[n] = value;
    }
    if (done % 16 == 0) control.progress(double(done) / double(order.size()), "reading segmentation frames");
  }
  for (const auto& [pair, count] : overlaps) {
    const core::Label* a = out.labelmap.labels().find(static_cast<std::uint8_t>(pair.first));
    const core::Label* b = out.labelmap.labels().find(static_cast<std::uint8_t>(pair.second));
    out.warnings.push_back("segments " + std::to_string(pair.first) + " '" + (a ? a->name : "") + "' and " +
                           std::to_string(pair.second) + " '" + (b ? b->name : "") + "' overlap on " +
                           std::to_string(count) + " voxels; a labelmap holds one label per voxel, so the later "
                           "segment (" + std::to_string(pair.second) + ") was kept there");
  }
  control.progress(1.0, "reading segmentation frames");
  out.info = seg.info;
  return out;
}

// Slice index of each frame on `grid`, checking plane, spacing and position.
core::Result<std::vector<std::int64_t>> placeFrames(const ParsedSeg& seg, const core::Geometry& grid,
                                                    const DicomSource* reference, const std::string& path) {
  if (seg.info.columns != grid.dims[0] || seg.info.rows != grid.dims[1])
    return makeError(path + ": frames of " + std::to_string(seg.info.columns) + "x" + std::to_string(seg.info.rows) +
                     " do not fit slices of " + std::to_string(grid.dims[0]) + "x" + std::to_string(grid.dims[1]));
  std::vector<std::int64_t> sliceOf(seg.frames.size());
  for (std::size_t f = 0; f < seg.frames.size(); ++f) {
    const FrameInfo& frame = seg.frames[f];
    std::string name = path + ": frame " + std::to_string(f + 1) + " (segment " + std::to_string(frame.segment) + ")";
    if (frame.row && frame.column &&
        (core::length(core::normalize(*frame.row) - grid.direction.column(0)) > kDirectionTolerance ||
         core::length(core::normalize(*frame.column) - grid.direction.column(1)) > kDirectionTolerance))
      return makeError(name + " has another orientation than the series (" + vecText(*frame.row) + " / " +
                       vecText(*frame.column) + ")");
    if (frame.spacing && (std::abs((*frame.spacing)[0] - grid.spacingMm.x) > 1e-3 * grid.spacingMm.x ||
                          std::abs((*frame.spacing)[1] - grid.spacingMm.y) > 1e-3 * grid.spacingMm.y))
      return makeError(name + " has pixel spacing " + std::to_string((*frame.spacing)[1]) + "\\" +
                       std::to_string((*frame.spacing)[0]) + " mm, unlike the series");
    if (frame.position) {
      Vec3 ijk = grid.patientToIjk(*frame.position);
      double k = std::round(ijk.z);
      if (std::abs(ijk.x) > kSliceToleranceVoxels || std::abs(ijk.y) > kSliceToleranceVoxels ||
          std::abs(ijk.z - k) > kSliceToleranceVoxels || k < 0 || k >= double(grid.dims[2]))
        return makeError(name + " at " + vecText(*frame.position) + " mm does not lie on a slice of the series (" +
                         std::to_string(grid.dims[2]) + " slices); was it drawn on another series?");
      sliceOf[f] = static_cast<std::int64_t>(k);
      continue;
    }
    // No position: fall back on the single-frame source image the frame was derived from.
    std::int64_t k = -1;
    if (reference && reference->frameNumbers.empty() && !frame.sourceSopInstanceUid.empty()) {
      const auto& uids = reference->sopInstanceUids;
      k = std::find(uids.begin(), uids.end(), frame.sourceSopInstanceUid) - uids.begin();
      if (k >= std::int64_t(uids.size())) k = -1;
    }
    if (k < 0) return makeError(name + " has neither a position nor a source image of the series");
    sliceOf[f] = k;
  }
  return sliceOf;
}

}  // namespace

bool isDicomSegFile(const std::string& path) {
  registerDicomDecoders();
  DcmFileFormat file;
  if (file.loadFileUntilTag(path.c_str(), EXS_Unknown, EGL_noChange, DCM_MaxReadLength, ERM_autoDetect,
                            DCM_SOPInstanceUID)
          .bad())
    return false;
  OFString sopClass;
  return file.getDataset()->findAndGetOFString(DCM_SOPClassUID, sopClass).good() &&
         sopClass == UID_SegmentationStorage;
}

core::Result<DicomSegInfo> readDicomSegInfo(const std::string& path) {
  auto seg = parseSeg(path, false);
  if (!seg) return seg.error();
  auto geometry = ownGeometry(**seg, path);
  if (!geometry) return geometry.error();
  (*seg)->info.geometry = *geometry;
  return std::move((*seg)->info);
}

core::Result<SegImport> readDicomSeg(const std::string& path, const core::TaskControl& control) {
  auto seg = parseSeg(path, true);
  if (!seg) return seg.error();
  auto geometry = ownGeometry(**seg, path);
  if (!geometry) return geometry.error();
  (*seg)->info.geometry = *geometry;
  auto sliceOf = placeFrames(**seg, *geometry, nullptr, path);
  if (!sliceOf) return sliceOf.error();
  return decodeOnto(**seg, *geometry, *sliceOf, path, control);
}

core::Result<SegImport> readDicomSegOnto(const std::string& path, const LoadedImage& reference,
                                         const core::TaskControl& control) {
  auto seg = parseSeg(path, true);
  if (!seg) return seg.error();
  const DicomSource* source = reference.dicom ? &*reference.dicom : nullptr;
  const std::string& segFor = (*seg)->info.frameOfReferenceUid;
  if (source && !segFor.empty() && !source->frameOfReferenceUid.empty() && segFor != source->frameOfReferenceUid)
    return makeError(path + ": the segmentation's frame of reference (" + shortUid(segFor) +
                     ") is not the series' (" + shortUid(source->frameOfReferenceUid) +
                     "): it was drawn on another study or scan, or it was de-identified (then pass the map it was "
                     "exported with, --uid-map); pass its own series as --reference");
  const core::Geometry& grid = reference.volume.geometry();
  auto sliceOf = placeFrames(**seg, grid, source, path);
  if (!sliceOf) return sliceOf.error();
  if (auto own = ownGeometry(**seg, path)) (*seg)->info.geometry = *own;
  auto out = decodeOnto(**seg, grid, *sliceOf, path, control);
  if (!out) return out;
  const std::string& refSeries = out->info.referencedSeriesUid;
  if (source && !refSeries.empty() && refSeries != source->seriesInstanceUid)
    out->warnings.push_back("the segmentation references series " + shortUid(refSeries) + ", not " +
                            shortUid(source->seriesInstanceUid) +
                            "; its frames were placed by position in the shared frame of reference");
  return out;
}

}  // namespace delineo::io
