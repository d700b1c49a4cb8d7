#pragma once
// DICOM Segmentation objects (binary SEG, DCMTK dcmseg). A labelmap is written as one segment
// per label, referencing the DICOM series it was drawn on (same Frame of Reference, patient and
// study copied from it, a new series); a SEG is read back onto that series' grid, or onto its
// own grid when the source images are not at hand.
//
// Overlap: our labelmap holds one label per voxel; a SEG's segments may overlap. On import the
// segments are applied in segment-number order, so where two claim a voxel the later one wins;
// a warning names the segments and the voxel count.

#include <string>
#include <vector>

#include "core/Labelmap.h"
#include "core/Result.h"
#include "core/TaskControl.h"
#include "core/io/DicomDeidentify.h"
#include "core/io/LoadedImage.h"

namespace delineo::io {

enum class SegAlgorithmType { Manual, SemiAutomatic, Automatic };

struct SegWriteOptions {
  std::string seriesDescription = "Delineo segmentation";  // SeriesDescription of the new series
  int seriesNumber = 300;               // SeriesNumber of the new series
  std::string contentLabel = "SEGMENTATION";  // ContentLabel (CS: upper case, <= 16 characters)
  std::string contentDescription = "Labelmap drawn in Delineo";  // ContentDescription
  std::string contentCreatorName = "Delineo^";  // ContentCreatorName (PN, Family^Given): who drew it
  SegAlgorithmType algorithmType = SegAlgorithmType::Manual;  // SegmentAlgorithmType of all segments
  std::string algorithmName = "Delineo";  // SegmentAlgorithmName (written unless Manual)
  std::string softwareVersions = "Delineo";  // SoftwareVersions of the equipment module
  DeidentifyOptions deidentify;  // PS3.15 basic profile; off: patient and study copied from the source
};

// What was written, for the command line to report (no identity in it).
struct SegWriteReport {
  std::string seriesInstanceUid;  // the new series
  std::string sopInstanceUid;
  int segmentCount = 0;
  int frameCount = 0;               // non-empty frames written (empty ones are omitted)
  std::vector<int> segmentLabelIds;  // label id of segment n at [n - 1]
  std::vector<std::string> warnings;
  bool deidentified = false;  // written under the basic confidentiality profile
};

// Writes `labelmap` as a binary DICOM SEG referencing `source` (a DICOM series loaded by
// loadDicomSeries; the labelmap must lie on exactly its grid). Labels without terminology get
// one from the built-in table (SegTerminology.h). Segments are numbered 1..N in label-id order.
// Atomic: on failure nothing is left at `path`. De-identified, the SEG carries only mapped UIDs
// and a pseudonym; it imports onto its source only once applyDeidentifyMap() gave the source
// the same map's UIDs (`delineo convert SEG OUT --reference SERIES --uid-map MAP`).
core::Result<SegWriteReport> writeDicomSeg(const core::Labelmap& labelmap, const LoadedImage& source,
                                           const std::string& path, const SegWriteOptions& options = {},
                                           const core::TaskControl& control = {});

// One segment as the SEG describes it; label.id is the segment number.
struct SegSegmentInfo {
  core::Label label;     // name (SegmentLabel), colour (from CIELab), coded terminology
  std::string algorithmType;  // "MANUAL", "SEMIAUTOMATIC", "AUTOMATIC"
  int frameCount = 0;    // frames of this segment in the SEG
};

// What a SEG says about itself, without a reference volume.
struct DicomSegInfo {
  std::string sopInstanceUid;
  std::string frameOfReferenceUid;
  std::string referencedSeriesUid;  // first ReferencedSeriesSequence item; may be empty
  std::string segmentationType;     // "BINARY" or "FRACTIONAL"
  int rows = 0;
  int columns = 0;
  int frameCount = 0;
  std::vector<SegSegmentInfo> segments;
  // The SEG's own grid: rows x columns x the slice positions its frames span (gaps left by
  // omitted empty frames are filled at the slice spacing).
  core::Geometry geometry;
};

struct SegImport {
  core::Labelmap labelmap;  // on the reference grid (or the SEG's own), label id = segment number
  DicomSegInfo info;
  std::vector<std::string> warnings;  // overlaps, fractional thresholds, frames outside the grid
};

// True when `path` is a DICOM file whose SOP class is Segmentation Storage.
bool isDicomSegFile(const std::string& path);

// Reads a SEG's header, segments and own grid (no reference needed).
core::Result<DicomSegInfo> readDicomSegInfo(const std::string& path);

// Reads a SEG onto its own grid (DicomSegInfo::geometry).
core::Result<SegImport> readDicomSeg(const std::string& path, const core::TaskControl& control = {});

// Reads a SEG onto `reference`'s grid: Frame of Reference UIDs must match (when both have one),
// each frame must lie on a slice of the grid with the same orientation and pixel spacing; frames
// may come in any order. Errors name the SEG and the frame that does not fit.
core::Result<SegImport> readDicomSegOnto(const std::string& path, const LoadedImage& reference,
                                         const core::TaskControl& control = {});

}  // namespace delineo::io
