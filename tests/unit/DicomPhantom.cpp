#include "tests/unit/DicomPhantom.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <mutex>
#include <numbers>
#include <numeric>
#include <random>
#include <stdexcept>

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdatset.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcrleerg.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmjpeg/djencode.h>
#include <dcmtk/dcmjpeg/djrploss.h>
#include <dcmtk/dcmjpeg/djrplol.h>
#include <dcmtk/dcmjpls/djencode.h>
#include <dcmtk/dcmjpls/djrparam.h>

namespace delineo::test {

namespace fs = std::filesystem;
using core::Vec3;

namespace {

void registerEncoders() {
  static std::once_flag once;
  std::call_once(once, [] {
    DJEncoderRegistration::registerCodecs();
    DJLSEncoderRegistration::registerCodecs();
    DcmRLEEncoderRegistration::registerCodecs();
  });
}

std::string newUid(const char* root) {
  char buffer[100];
  return dcmGenerateUniqueIdentifier(buffer, root);
}

// DS values: 10 significant digits keep positions exact to well below 1e-4 mm in 16 chars.
std::string ds(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.10g", v);
  return buffer;
}
std::string ds(Vec3 v) { return ds(v.x) + "\\" + ds(v.y) + "\\" + ds(v.z); }
std::string orientation(Vec3 row, Vec3 col) { return ds(row) + "\\" + ds(col); }

void check(OFCondition status, const std::string& what) {
  if (status.bad()) throw std::runtime_error("phantom: " + what + ": " + status.text());
}

E_TransferSyntax xferOf(PhantomSyntax s) {
  switch (s) {
    case PhantomSyntax::ImplicitLittle: return EXS_LittleEndianImplicit;
    case PhantomSyntax::ExplicitLittle: return EXS_LittleEndianExplicit;
    case PhantomSyntax::ExplicitBig: return EXS_BigEndianExplicit;
    case PhantomSyntax::Deflated: return EXS_DeflatedLittleEndianExplicit;
    case PhantomSyntax::Rle: return EXS_RLELossless;
    case PhantomSyntax::JpegLossless: return EXS_JPEGProcess14SV1;
    case PhantomSyntax::JpegLsLossless: return EXS_JPEGLSLossless;
    case PhantomSyntax::JpegBaseline: return EXS_JPEGProcess1;
  }
  return EXS_LittleEndianExplicit;
}

struct SeriesUids {
  std::string study = newUid(SITE_STUDY_UID_ROOT);
  std::string series;
  std::string frameOfReference = newUid(SITE_UID_ROOT ".1.9");
};

double interceptOf(const PhantomSpec& spec, std::int64_t k) {
  return spec.rescaleIntercept + (spec.perSliceIntercept ? 10.0 * double(k) : 0.0);
}

void putCommon(DcmDataset* d, const PhantomSpec& spec, const SeriesUids& uids, const char* sopClass,
               int rows, int columns) {
  check(d->putAndInsertString(DCM_SOPClassUID, sopClass), "SOPClassUID");
  check(d->putAndInsertString(DCM_SOPInstanceUID, newUid(SITE_INSTANCE_UID_ROOT).c_str()), "uid");
  d->putAndInsertString(DCM_StudyInstanceUID, uids.study.c_str());
  d->putAndInsertString(DCM_SeriesInstanceUID, uids.series.c_str());
  d->putAndInsertString(DCM_FrameOfReferenceUID, uids.frameOfReference.c_str());
  d->putAndInsertString(DCM_PatientName, spec.patientName.c_str());
  d->putAndInsertString(DCM_PatientID, spec.patientId.c_str());
  d->putAndInsertString(DCM_PatientBirthDate, spec.patientBirthDate.c_str());
  d->putAndInsertString(DCM_AccessionNumber, spec.accessionNumber.c_str());
  d->putAndInsertString(DCM_StudyDate, "20240102");
  d->putAndInsertString(DCM_Modality, spec.modality.c_str());
  d->putAndInsertString(DCM_SeriesDescription, spec.seriesDescription.c_str());
  d->putAndInsertString(DCM_SeriesNumber, "3");
  d->putAndInsertUint16(DCM_SamplesPerPixel, 1);
  d->putAndInsertString(DCM_PhotometricInterpretation, "MONOCHROME2");
  d->putAndInsertUint16(DCM_Rows, static_cast<Uint16>(rows));
  d->putAndInsertUint16(DCM_Columns, static_cast<Uint16>(columns));
  d->putAndInsertUint16(DCM_BitsAllocated, static_cast<Uint16>(spec.bitsAllocated));
  d->putAndInsertUint16(DCM_BitsStored, static_cast<Uint16>(spec.bitsStored));
  d->putAndInsertUint16(DCM_HighBit, static_cast<Uint16>(spec.bitsStored - 1));
  d->putAndInsertUint16(DCM_PixelRepresentation, spec.signedPixels ? 1 : 0);
}

// Stored values of slice k as they sit in their allocated bits. Unused high bits get a
// pattern (uncompressed syntaxes only) so that readers which forget to mask are caught.
std::vector<std::uint16_t> sliceWords(const PhantomSpec& spec, std::int64_t k, int rows, int columns) {
  bool uncompressed = spec.syntax == PhantomSyntax::ImplicitLittle ||
                      spec.syntax == PhantomSyntax::ExplicitLittle ||
                      spec.syntax == PhantomSyntax::ExplicitBig;
  std::uint32_t mask = (1u << spec.bitsStored) - 1u;
  std::uint32_t junk = uncompressed && spec.bitsStored < spec.bitsAllocated
                           ? (0xA5A5u & ~mask & ((1u << spec.bitsAllocated) - 1u))
                           : 0u;
  std::vector<std::uint16_t> words(std::size_t(rows) * std::size_t(columns));
  for (int j = 0; j < rows; ++j)
    for (int i = 0; i < columns; ++i) {
      int v = spec.stored(i, j, k);
      words[std::size_t(j) * std::size_t(columns) + std::size_t(i)] =
          static_cast<std::uint16_t>((static_cast<std::uint32_t>(v) & mask) | junk);
    }
  return words;
}

void putPixels(DcmDataset* d, const PhantomSpec& spec, const std::vector<std::uint16_t>& words) {
  if (spec.bitsAllocated == 8) {
    std::vector<Uint8> bytes(words.begin(), words.end());
    check(d->putAndInsertUint8Array(DCM_PixelData, bytes.data(), bytes.size()), "pixels");
  } else {
    check(d->putAndInsertUint16Array(DCM_PixelData, words.data(), words.size()), "pixels");
  }
}

void save(DcmFileFormat& file, const PhantomSpec& spec, const fs::path& path) {
  registerEncoders();
  E_TransferSyntax xfer = xferOf(spec.syntax);
  DcmDataset* d = file.getDataset();
  DJ_RPLossless lossless(1, 0);
  DJLSRepresentationParameter jpegLs(0, OFTrue);
  DJ_RPLossy lossy(95);
  const DcmRepresentationParameter* param = nullptr;
  if (spec.syntax == PhantomSyntax::JpegLossless) param = &lossless;
  if (spec.syntax == PhantomSyntax::JpegLsLossless) param = &jpegLs;
  if (spec.syntax == PhantomSyntax::JpegBaseline) param = &lossy;
  if (DcmXfer(xfer).isEncapsulated()) {
    check(d->chooseRepresentation(xfer, param), std::string("encode ") + toString(spec.syntax));
    if (!d->canWriteXfer(xfer)) throw std::runtime_error(std::string("phantom: cannot encode ") + toString(spec.syntax));
  }
  check(file.saveFile(path.c_str(), xfer), "save " + path.string());
}

Vec3 rotateAbout(Vec3 v, Vec3 axis, double degrees) {
  double a = degrees * std::numbers::pi / 180.0;
  return v * std::cos(a) + core::cross(axis, v) * std::sin(a) + axis * (core::dot(axis, v) * (1 - std::cos(a)));
}

}  // namespace

const char* toString(PhantomSyntax syntax) {
  switch (syntax) {
    case PhantomSyntax::ImplicitLittle: return "ImplicitLittle";
    case PhantomSyntax::ExplicitLittle: return "ExplicitLittle";
    case PhantomSyntax::ExplicitBig: return "ExplicitBig";
    case PhantomSyntax::Deflated: return "Deflated";
    case PhantomSyntax::Rle: return "Rle";
    case PhantomSyntax::JpegLossless: return "JpegLossless";
    case PhantomSyntax::JpegLsLossless: return "JpegLsLossless";
    case PhantomSyntax::JpegBaseline: return "JpegBaseline";
  }
  return "?";
}

core::Geometry obliquePhantomGeometry() {
  core::Geometry g;
  g.dims = {24, 20, 12};
  g.spacingMm = {0.7, 0.9, 2.5};
  g.originMm = {-12.3, 45.6, -78.9};
  Vec3 axis = core::normalize(Vec3{1, 2, 3});
  Vec3 row = rotateAbout({1, 0, 0}, axis, 25);
  Vec3 col = rotateAbout({0, 1, 0}, axis, 25);
  g.direction = core::Mat3::fromColumns(row, col, core::cross(row, col));
  return g;
}

int defaultPhantomValue(std::int64_t i, std::int64_t j, std::int64_t k) {
  return static_cast<int>(i * 7 + j * 31 + k * 101) - 300;
}

double expectedPhantomValue(const PhantomSpec& spec, std::int64_t i, std::int64_t j, std::int64_t k) {
  return spec.stored(i, j, k) * spec.rescaleSlope + interceptOf(spec, k);
}

PhantomSeries writePhantomSeries(const PhantomSpec& spec, const fs::path& dir) {
  fs::create_directories(dir);
  const core::Geometry& g = spec.geometry;
  const int slices = static_cast<int>(g.dims[2]);
  const int fault = spec.faultSlice >= 0 ? spec.faultSlice : slices / 2;
  SeriesUids uids;
  uids.series = spec.seriesUid.empty() ? newUid(SITE_SERIES_UID_ROOT) : spec.seriesUid;

  // Which slice each file holds (a duplicate adds a second file for the same slice).
  std::vector<int> sliceOfFile(static_cast<std::size_t>(slices));
  std::iota(sliceOfFile.begin(), sliceOfFile.end(), 0);
  if (spec.fault == PhantomFault::MissingSlice) sliceOfFile.erase(sliceOfFile.begin() + fault);
  if (spec.fault == PhantomFault::DuplicateSlice) sliceOfFile.insert(sliceOfFile.begin() + fault + 1, fault);

  std::vector<int> nameOrder(sliceOfFile.size());
  std::vector<int> instanceOrder(sliceOfFile.size());
  std::iota(nameOrder.begin(), nameOrder.end(), 0);
  std::iota(instanceOrder.begin(), instanceOrder.end(), 1);
  if (spec.shuffle) {
    std::mt19937 rng(spec.seed);
    std::shuffle(nameOrder.begin(), nameOrder.end(), rng);
    std::shuffle(instanceOrder.begin(), instanceOrder.end(), rng);
  }

  Vec3 row = g.direction.column(0);
  Vec3 col = g.direction.column(1);
  Vec3 normal = g.direction.column(2);
  PhantomSeries out;
  out.seriesUid = uids.series;
  for (std::size_t f = 0; f < sliceOfFile.size(); ++f) {
    const int k = sliceOfFile[f];
    const bool faulty = k == fault && spec.fault != PhantomFault::None &&
                        !(spec.fault == PhantomFault::DuplicateSlice && (f == 0 || sliceOfFile[f - 1] != k));
    int rows = static_cast<int>(g.dims[1]) + (faulty && spec.fault == PhantomFault::DifferentSize ? 2 : 0);
    int columns = static_cast<int>(g.dims[0]);
    Vec3 position = g.originMm + normal * (g.spacingMm.z * k);
    if (spec.fault == PhantomFault::GantryTilt)
      position = position + col * (g.spacingMm.z * k * std::tan(spec.tiltDegrees * std::numbers::pi / 180.0));
    Vec3 r = row, c = col;
    if (faulty && spec.fault == PhantomFault::MixedOrientation) {
      r = rotateAbout(row, normal, 5);
      c = rotateAbout(col, normal, 5);
    }

    DcmFileFormat file;
    DcmDataset* d = file.getDataset();
    const char* sopClass = spec.modality == "MR" ? UID_MRImageStorage : UID_CTImageStorage;
    putCommon(d, spec, uids, sopClass, rows, columns);
    d->putAndInsertString(DCM_InstanceNumber, std::to_string(instanceOrder[f]).c_str());
    if (!(faulty && spec.fault == PhantomFault::MissingPosition))
      d->putAndInsertString(DCM_ImagePositionPatient, ds(position).c_str());
    d->putAndInsertString(DCM_ImageOrientationPatient, orientation(r, c).c_str());
    d->putAndInsertString(DCM_PixelSpacing, (ds(g.spacingMm.y) + "\\" + ds(g.spacingMm.x)).c_str());
    d->putAndInsertString(DCM_SliceThickness, ds(g.spacingMm.z).c_str());
    d->putAndInsertString(DCM_RescaleSlope, ds(spec.rescaleSlope).c_str());
    d->putAndInsertString(DCM_RescaleIntercept, ds(interceptOf(spec, k)).c_str());
    if (spec.modality == "CT") d->putAndInsertString(DCM_RescaleType, "HU");
    putPixels(d, spec, sliceWords(spec, k, rows, columns));

    char name[32];
    std::snprintf(name, sizeof name, "IM%04d", nameOrder[f] * 37 % 9973);
    fs::path path = dir / name;
    save(file, spec, path);
    out.files.push_back(path);
    if (faulty && spec.fault == PhantomFault::TruncatedPixelData)
      fs::resize_file(path, fs::file_size(path) - 200);
  }

  auto fileOfSlice = [&](int k) { return out.files[std::size_t(std::find(sliceOfFile.begin(), sliceOfFile.end(), k) - sliceOfFile.begin())]; };
  switch (spec.fault) {
    case PhantomFault::None:
    case PhantomFault::GantryTilt: break;
    case PhantomFault::MissingSlice:
      out.faultFiles = {fileOfSlice(fault - 1), fileOfSlice(fault + 1)};
      break;
    case PhantomFault::DuplicateSlice:
      out.faultFiles = {out.files[std::size_t(fault)], out.files[std::size_t(fault) + 1]};
      break;
    default: out.faultFiles = {fileOfSlice(fault)}; break;
  }
  return out;
}

fs::path writeEnhancedPhantom(const PhantomSpec& spec, const fs::path& dir) {
  fs::create_directories(dir);
  const core::Geometry& g = spec.geometry;
  const int frames = static_cast<int>(g.dims[2]);
  const int rows = static_cast<int>(g.dims[1]);
  const int columns = static_cast<int>(g.dims[0]);
  SeriesUids uids;
  uids.series = spec.seriesUid.empty() ? newUid(SITE_SERIES_UID_ROOT) : spec.seriesUid;

  std::vector<int> frameOrder(static_cast<std::size_t>(frames));  // slice k stored as frame n
  std::iota(frameOrder.begin(), frameOrder.end(), 0);
  if (spec.shuffle) std::shuffle(frameOrder.begin(), frameOrder.end(), std::mt19937(spec.seed));
  if (spec.fault == PhantomFault::DuplicateSlice) frameOrder[1] = frameOrder[0];

  DcmFileFormat file;
  DcmDataset* d = file.getDataset();
  const char* sopClass = spec.modality == "MR" ? UID_EnhancedMRImageStorage : UID_EnhancedCTImageStorage;
  putCommon(d, spec, uids, sopClass, rows, columns);
  d->putAndInsertString(DCM_InstanceNumber, "1");
  d->putAndInsertString(DCM_NumberOfFrames, std::to_string(frames).c_str());

  DcmItem* shared = nullptr;
  check(d->findOrCreateSequenceItem(DCM_SharedFunctionalGroupsSequence, shared, 0), "shared");
  DcmItem* item = nullptr;
  check(shared->findOrCreateSequenceItem(DCM_PixelMeasuresSequence, item, 0), "measures");
  item->putAndInsertString(DCM_PixelSpacing, (ds(g.spacingMm.y) + "\\" + ds(g.spacingMm.x)).c_str());
  item->putAndInsertString(DCM_SliceThickness, ds(g.spacingMm.z).c_str());
  check(shared->findOrCreateSequenceItem(DCM_PlaneOrientationSequence, item, 0), "orientation");
  item->putAndInsertString(DCM_ImageOrientationPatient,
                           orientation(g.direction.column(0), g.direction.column(1)).c_str());
  if (!spec.perSliceIntercept) {
    check(shared->findOrCreateSequenceItem(DCM_PixelValueTransformationSequence, item, 0), "pvt");
    item->putAndInsertString(DCM_RescaleSlope, ds(spec.rescaleSlope).c_str());
    item->putAndInsertString(DCM_RescaleIntercept, ds(spec.rescaleIntercept).c_str());
    item->putAndInsertString(DCM_RescaleType, spec.modality == "CT" ? "HU" : "US");
  }

  std::vector<std::uint16_t> words;
  for (int n = 0; n < frames; ++n) {
    const int k = frameOrder[std::size_t(n)];
    DcmItem* perFrame = nullptr;
    check(d->findOrCreateSequenceItem(DCM_PerFrameFunctionalGroupsSequence, perFrame, -2), "per-frame");
    check(perFrame->findOrCreateSequenceItem(DCM_PlanePositionSequence, item, 0), "position");
    item->putAndInsertString(DCM_ImagePositionPatient,
                             ds(g.originMm + g.direction.column(2) * (g.spacingMm.z * k)).c_str());
    check(perFrame->findOrCreateSequenceItem(DCM_FrameContentSequence, item, 0), "content");
    item->putAndInsertUint32(DCM_InStackPositionNumber, static_cast<Uint32>(k + 1));
    item->putAndInsertString(DCM_StackID, "1");
    if (spec.perSliceIntercept) {
      check(perFrame->findOrCreateSequenceItem(DCM_PixelValueTransformationSequence, item, 0), "pvt");
      item->putAndInsertString(DCM_RescaleSlope, ds(spec.rescaleSlope).c_str());
      item->putAndInsertString(DCM_RescaleIntercept, ds(interceptOf(spec, k)).c_str());
      item->putAndInsertString(DCM_RescaleType, "US");
    }
    auto slice = sliceWords(spec, k, rows, columns);
    words.insert(words.end(), slice.begin(), slice.end());
  }
  putPixels(d, spec, words);
  fs::path path = dir / "ENHANCED.dcm";
  save(file, spec, path);
  return path;
}

}  // namespace delineo::test
