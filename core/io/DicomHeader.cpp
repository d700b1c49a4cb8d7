#include "core/io/DicomHeader.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <fstream>
#include <mutex>

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdatset.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcmetinf.h>
#include <dcmtk/dcmdata/dcrledrg.h>
#include <dcmtk/dcmdata/dcsequen.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmdata/dcvr.h>
#include <dcmtk/dcmdata/dcxfer.h>
#include <dcmtk/dcmjpeg/djdecode.h>
#include <dcmtk/dcmjpls/djdecode.h>
#include <dcmtk/oflog/oflog.h>

namespace delineo::io {

using core::makeError;
using core::Vec3;

namespace {

// Bounds that keep a corrupt header from turning into a giant allocation or loop.
constexpr long kMaxFrames = 1 << 16;

std::string trim(std::string s) {
  auto notSpace = [](unsigned char c) { return c != ' ' && c != '\0' && c != '\t'; };
  s.erase(s.begin(), std::find_if(s.begin(), s.end(), notSpace));
  s.erase(std::find_if(s.rbegin(), s.rend(), notSpace).base(), s.end());
  return s;
}

std::string getString(DcmItem* item, const DcmTagKey& tag) {
  OFString value;
  if (item && item->findAndGetOFStringArray(tag, value).good()) return trim(value.c_str());
  return {};
}

int getInt(DcmItem* item, const DcmTagKey& tag, int fallback) {
  if (!item) return fallback;
  Uint16 us = 0;
  if (item->findAndGetUint16(tag, us).good()) return us;
  Sint32 is = 0;
  if (item->findAndGetSint32(tag, is).good()) return is;
  return fallback;
}

// All `count` numeric values of a DS/FD element, or nothing when absent, short or not finite.
std::optional<std::vector<double>> getDoubles(DcmItem* item, const DcmTagKey& tag,
                                              unsigned long count) {
  if (!item) return std::nullopt;
  std::vector<double> values(count);
  for (unsigned long n = 0; n < count; ++n) {
    Float64 v = 0;
    if (item->findAndGetFloat64(tag, v, n).bad() || !std::isfinite(v)) return std::nullopt;
    values[n] = v;
  }
  return values;
}

std::optional<double> getDouble(DcmItem* item, const DcmTagKey& tag) {
  auto v = getDoubles(item, tag, 1);
  if (!v) return std::nullopt;
  return (*v)[0];
}

// First item of sequence `tag` in a functional group item.
DcmItem* macroItem(DcmItem* group, const DcmTagKey& tag) {
  DcmItem* item = nullptr;
  if (group && group->findAndGetSequenceItem(tag, item, 0).good()) return item;
  return nullptr;
}

// Reads the plane and value attributes found directly in `item` into `frame`; attributes the
// item lacks leave `frame` unchanged, so shared groups can be overridden by per-frame ones.
void readPlane(DcmItem* item, DicomFrameInfo& frame) {
  if (!item) return;
  if (auto p = getDoubles(item, DCM_ImagePositionPatient, 3)) frame.positionMm = Vec3{(*p)[0], (*p)[1], (*p)[2]};
  if (auto o = getDoubles(item, DCM_ImageOrientationPatient, 6)) {
    frame.rowDirection = Vec3{(*o)[0], (*o)[1], (*o)[2]};
    frame.columnDirection = Vec3{(*o)[3], (*o)[4], (*o)[5]};
  }
  // PixelSpacing is [spacing between rows, spacing between columns] = [j, i].
  if (auto s = getDoubles(item, DCM_PixelSpacing, 2)) frame.pixelSpacingMm = Vec3{(*s)[1], (*s)[0], 0.0};
  if (auto slope = getDouble(item, DCM_RescaleSlope); slope && *slope != 0.0) frame.rescaleSlope = *slope;
  if (auto icpt = getDouble(item, DCM_RescaleIntercept)) frame.rescaleIntercept = *icpt;
}

void readFunctionalGroup(DcmItem* group, DicomFrameInfo& frame) {
  readPlane(macroItem(group, DCM_PlanePositionSequence), frame);
  readPlane(macroItem(group, DCM_PlaneOrientationSequence), frame);
  readPlane(macroItem(group, DCM_PixelMeasuresSequence), frame);
  readPlane(macroItem(group, DCM_PixelValueTransformationSequence), frame);
}

void readIdentity(DcmDataset* ds, DicomSource& s) {
  s.patientName = getString(ds, DCM_PatientName);
  s.patientId = getString(ds, DCM_PatientID);
  s.patientBirthDate = getString(ds, DCM_PatientBirthDate);
  s.patientSex = getString(ds, DCM_PatientSex);
  s.studyInstanceUid = getString(ds, DCM_StudyInstanceUID);
  s.studyDate = getString(ds, DCM_StudyDate);
  s.studyTime = getString(ds, DCM_StudyTime);
  s.studyId = getString(ds, DCM_StudyID);
  s.accessionNumber = getString(ds, DCM_AccessionNumber);
  s.referringPhysician = getString(ds, DCM_ReferringPhysicianName);
  s.seriesInstanceUid = getString(ds, DCM_SeriesInstanceUID);
  s.seriesNumber = getString(ds, DCM_SeriesNumber);
  s.frameOfReferenceUid = getString(ds, DCM_FrameOfReferenceUID);
  s.sopClassUid = getString(ds, DCM_SOPClassUID);
  s.specificCharacterSet = getString(ds, DCM_SpecificCharacterSet);
}

// A file without the DICM preamble is only tried as a bare dataset when it starts like one
// (a small group number in either byte order); otherwise DCMTK would happily "parse" text.
bool looksLikeDicom(const std::string& path, bool* hasPreamble) {
  std::ifstream in(path, std::ios::binary);
  std::array<unsigned char, 132> head{};
  in.read(reinterpret_cast<char*>(head.data()), head.size());
  auto got = in.gcount();
  if (got >= 132 && std::memcmp(head.data() + 128, "DICM", 4) == 0) {
    *hasPreamble = true;
    return true;
  }
  *hasPreamble = false;
  if (got < 8) return false;
  unsigned groupLe = head[0] | (head[1] << 8);
  unsigned groupBe = (head[0] << 8) | head[1];
  auto plausible = [](unsigned g) { return g == 0x0002 || g == 0x0008 || g == 0x0004; };
  return plausible(groupLe) || plausible(groupBe);
}

}  // namespace

void registerDicomDecoders() {
  static std::once_flag once;
  std::call_once(once, [] {
    // DCMTK's parser warnings can quote element values; keep them out of our logs.
    OFLog::configure(OFLogger::FATAL_LOG_LEVEL);
    // Anonymisers often leave attributes as UN; DCMTK can re-type them from its dictionary,
    // which keeps positions and orientations readable.
    dcmEnableUnknownVRConversion.set(OFTrue);
    DcmRLEDecoderRegistration::registerCodecs();
    DJDecoderRegistration::registerCodecs();
    DJLSDecoderRegistration::registerCodecs();
  });
}

std::string transferSyntaxName(const std::string& uid) {
  struct Entry {
    const char* uid;
    const char* name;
  };
  static constexpr std::array kNames{
      Entry{"1.2.840.10008.1.2", "Implicit VR Little Endian"},
      Entry{"1.2.840.10008.1.2.1", "Explicit VR Little Endian"},
      Entry{"1.2.840.10008.1.2.1.99", "Deflated Explicit VR Little Endian"},
      Entry{"1.2.840.10008.1.2.2", "Explicit VR Big Endian"},
      Entry{"1.2.840.10008.1.2.4.50", "JPEG Baseline (Process 1)"},
      Entry{"1.2.840.10008.1.2.4.51", "JPEG Extended (Process 2 & 4)"},
      Entry{"1.2.840.10008.1.2.4.57", "JPEG Lossless, Non-Hierarchical (Process 14)"},
      Entry{"1.2.840.10008.1.2.4.70",
            "JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 [Selection Value 1])"},
      Entry{"1.2.840.10008.1.2.4.80", "JPEG-LS Lossless Image Compression"},
      Entry{"1.2.840.10008.1.2.4.81", "JPEG-LS Lossy (Near-Lossless) Image Compression"},
      Entry{"1.2.840.10008.1.2.4.90", "JPEG 2000 Image Compression (Lossless Only)"},
      Entry{"1.2.840.10008.1.2.4.91", "JPEG 2000 Image Compression"},
      Entry{"1.2.840.10008.1.2.4.92", "JPEG 2000 Part 2 Multi-component Image Compression (Lossless Only)"},
      Entry{"1.2.840.10008.1.2.4.93", "JPEG 2000 Part 2 Multi-component Image Compression"},
      Entry{"1.2.840.10008.1.2.4.201", "High-Throughput JPEG 2000 Image Compression (Lossless Only)"},
      Entry{"1.2.840.10008.1.2.4.202", "High-Throughput JPEG 2000 with RPCL Options Image Compression (Lossless Only)"},
      Entry{"1.2.840.10008.1.2.4.203", "High-Throughput JPEG 2000 Image Compression"},
      Entry{"1.2.840.10008.1.2.4.100", "MPEG2 Main Profile / Main Level"},
      Entry{"1.2.840.10008.1.2.4.102", "MPEG-4 AVC/H.264 High Profile / Level 4.1"},
      Entry{"1.2.840.10008.1.2.4.107", "HEVC/H.265 Main Profile / Level 5.1"},
      Entry{"1.2.840.10008.1.2.5", "RLE Lossless"},
  };
  for (const Entry& e : kNames)
    if (uid == e.uid) return e.name;
  DcmXfer xfer(uid.c_str());
  if (xfer.getXfer() != EXS_Unknown) return xfer.getXferName();
  return "unknown transfer syntax";
}

bool transferSyntaxSupported(const std::string& uid) {
  static constexpr std::array<const char*, 11> kSupported{
      "1.2.840.10008.1.2",      "1.2.840.10008.1.2.1",    "1.2.840.10008.1.2.1.99",
      "1.2.840.10008.1.2.2",    "1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.51",
      "1.2.840.10008.1.2.4.57", "1.2.840.10008.1.2.4.70", "1.2.840.10008.1.2.4.80",
      "1.2.840.10008.1.2.4.81", "1.2.840.10008.1.2.5"};
  return std::find(kSupported.begin(), kSupported.end(), uid) != kSupported.end();
}

core::Result<DicomHeader> readDicomHeader(const std::string& path) {
  bool hasPreamble = false;
  if (!looksLikeDicom(path, &hasPreamble)) return makeError(path + ": not a DICOM file");
  registerDicomDecoders();

  DicomHeader h;
  h.path = path;
  try {
    DcmFileFormat file;
    OFCondition status = file.loadFileUntilTag(path.c_str(), EXS_Unknown, EGL_noChange,
                                               DCM_MaxReadLength, ERM_autoDetect, DCM_PixelData);
    DcmDataset* ds = file.getDataset();
    DcmMetaInfo* meta = file.getMetaInfo();
    if (status.bad()) {
      if (!hasPreamble && (!ds || ds->card() == 0)) return makeError(path + ": not a DICOM file");
      return makeError(path + ": cannot be read as DICOM, it is truncated or corrupt (" +
                       std::string(status.text()) + ")");
    }
    if (!hasPreamble && getString(ds, DCM_SOPClassUID).empty() &&
        getString(ds, DCM_SeriesInstanceUID).empty())
      return makeError(path + ": not a DICOM file");

    std::string mediaClass = getString(meta, DCM_MediaStorageSOPClassUID);
    DcmSequenceOfItems* records = nullptr;
    h.isDirectory = mediaClass == UID_MediaStorageDirectoryStorage ||
                    ds->findAndGetSequence(DCM_DirectoryRecordSequence, records).good();

    h.transferSyntaxUid = getString(meta, DCM_TransferSyntaxUID);
    if (h.transferSyntaxUid.empty()) {
      DcmXfer xfer(ds->getOriginalXfer());
      if (xfer.getXfer() != EXS_Unknown) h.transferSyntaxUid = xfer.getXferID();
    }
    h.transferSyntaxName = transferSyntaxName(h.transferSyntaxUid);
    h.transferSyntaxSupported = transferSyntaxSupported(h.transferSyntaxUid);

    readIdentity(ds, h.source);
    h.sopInstanceUid = getString(ds, DCM_SOPInstanceUID);
    h.modality = getString(ds, DCM_Modality);
    h.seriesDescription = getString(ds, DCM_SeriesDescription);

    h.rows = getInt(ds, DCM_Rows, 0);
    h.columns = getInt(ds, DCM_Columns, 0);
    h.samplesPerPixel = getInt(ds, DCM_SamplesPerPixel, 1);
    h.bitsAllocated = getInt(ds, DCM_BitsAllocated, 0);
    h.bitsStored = getInt(ds, DCM_BitsStored, h.bitsAllocated);
    h.highBit = getInt(ds, DCM_HighBit, h.bitsStored - 1);
    h.pixelRepresentation = getInt(ds, DCM_PixelRepresentation, 0);
    h.photometric = getString(ds, DCM_PhotometricInterpretation);
    h.hasFloatPixelData = ds->tagExists(DCM_FloatPixelData) || ds->tagExists(DCM_DoubleFloatPixelData);
    long frames = getInt(ds, DCM_NumberOfFrames, 1);
    if (frames < 1 || frames > kMaxFrames)
      return makeError(path + ": NumberOfFrames " + std::to_string(frames) + " is out of range");
    h.frameCount = static_cast<int>(frames);

    h.sliceThicknessMm = getDouble(ds, DCM_SliceThickness).value_or(0.0);
    h.spacingBetweenSlicesMm = getDouble(ds, DCM_SpacingBetweenSlices).value_or(0.0);

    DicomFrameInfo base;
    readPlane(ds, base);
    DcmItem* shared = nullptr;
    ds->findAndGetSequenceItem(DCM_SharedFunctionalGroupsSequence, shared, 0);
    DcmSequenceOfItems* perFrame = nullptr;
    ds->findAndGetSequence(DCM_PerFrameFunctionalGroupsSequence, perFrame);
    if (shared) {
      readFunctionalGroup(shared, base);
      if (auto m = macroItem(shared, DCM_PixelMeasuresSequence)) {
        if (auto t = getDouble(m, DCM_SliceThickness)) h.sliceThicknessMm = *t;
        if (auto t = getDouble(m, DCM_SpacingBetweenSlices)) h.spacingBetweenSlicesMm = *t;
      }
    }

    if (perFrame && perFrame->card() > 0) {
      h.enhanced = true;
      if (perFrame->card() != static_cast<unsigned long>(h.frameCount))
        return makeError(path + ": PerFrameFunctionalGroupsSequence has " +
                         std::to_string(perFrame->card()) + " items for " +
                         std::to_string(h.frameCount) + " frames");
      for (int f = 0; f < h.frameCount; ++f) {
        DicomFrameInfo frame = base;
        frame.frameIndex = f;
        readFunctionalGroup(perFrame->getItem(static_cast<unsigned long>(f)), frame);
        h.frames.push_back(frame);
      }
    } else if (h.frameCount == 1) {
      h.frames.push_back(base);
    } else {
      // Classic multi-frame: frame positions are derivable only from an explicit offset list
      // (RT Dose) or a declared slice spacing; otherwise frames keep no position.
      auto offsets = getDoubles(ds, DCM_GridFrameOffsetVector, static_cast<unsigned long>(h.frameCount));
      bool stacked = base.positionMm && base.rowDirection && base.columnDirection &&
                     (offsets || h.spacingBetweenSlicesMm > 0);
      Vec3 normal = stacked ? core::normalize(core::cross(*base.rowDirection, *base.columnDirection))
                            : Vec3{};
      for (int f = 0; f < h.frameCount; ++f) {
        DicomFrameInfo frame = base;
        frame.frameIndex = f;
        if (stacked) {
          double along = offsets ? (*offsets)[f] : f * h.spacingBetweenSlicesMm;
          frame.positionMm = *base.positionMm + normal * along;
        } else {
          frame.positionMm.reset();
        }
        h.frames.push_back(frame);
      }
    }
  } catch (const std::exception& e) {
    return makeError(path + ": could not be read (" + e.what() + ")");
  }
  return h;
}

}  // namespace delineo::io
