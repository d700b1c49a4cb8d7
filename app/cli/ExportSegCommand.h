#pragma once
// `delineo export-seg VOLUME_OR_SERIES LABELMAP --out SEG.dcm`: writes a labelmap as a DICOM SEG
// referencing the DICOM series it was drawn on. Atomic: a failure leaves no partial SEG.dcm.
// --deidentify [--uid-map FILE] [--date-shift DAYS | --remove-dates] writes it under PS3.15's
// basic confidentiality profile (io/DicomDeidentify.h).

#include <optional>
#include <string>

#include <CLI/CLI.hpp>

namespace delineo::app {

struct ExportSegOptions {
  std::string source;       // DICOM folder or file of the series the labelmap was drawn on
  std::string labels;       // the labelmap (.seg.nrrd, NIfTI, ...)
  std::string output;       // the DICOM SEG file to write
  std::string seriesUid;    // DICOM: which series, when the folder holds several
  std::string description = "Delineo segmentation";  // SeriesDescription of the new series
  std::string creator = "Delineo^";  // ContentCreatorName, DICOM PN "Family^Given"
  bool deidentify = false;  // PS3.15 basic confidentiality profile: pseudonym, new UIDs, dates
  std::string uidMap;       // de-identification map (JSON) kept between exports for consistency
  std::optional<int> dateShiftDays;  // shift dates by this many days (default: the map's, else removed)
  bool removeDates = false;  // remove dates instead of shifting them
  bool quiet = false;       // no progress on stderr
};

void addExportSegCommand(CLI::App& cli, ExportSegOptions& options);
int runExportSeg(const ExportSegOptions& options);

}  // namespace delineo::app
