#pragma once
// DICOM reading with DCMTK: list the series under a file or folder (recursive), and load one
// series into a Volume. Slices are ordered by position along the slice normal; rescale is
// applied; geometry comes from ImageOrientation/PositionPatient. Enhanced multi-frame CT/MR
// is read with per-frame positions.

#include <string>
#include <vector>

#include "core/Result.h"
#include "core/TaskControl.h"
#include "core/io/LoadedImage.h"

namespace delineo::io {

struct SeriesSummary {
  std::string seriesInstanceUid;
  std::string modality;
  std::string description;   // SeriesDescription (may be empty)
  int imageCount = 0;        // files (instances) in the series
  int frameCount = 0;        // total frames (== imageCount unless multi-frame)
  int rows = 0, columns = 0; // of the first image
  std::string firstFile;     // a file of the series, for messages
};

struct DicomLoadOptions {
  std::string seriesUid;  // which series to load; empty = the only one (error if several)
  int threads = 0;        // decode threads; 0 = hardware concurrency
  // Load a single image that has no patient position or orientation at all (secondary
  // capture, X-ray cine) as a stack of frames with an assumed orientation, with a warning.
  // Off by default: such an image cannot be placed in patient space.
  bool allowMissingGeometry = false;
};

// True when `path` looks like a DICOM file (DICM preamble or a parseable dataset).
bool isDicomFile(const std::string& path);

// Series found in a DICOM file or folder (searched recursively). Unreadable files are skipped
// and reported in `skipped` when given.
core::Result<std::vector<SeriesSummary>> scanDicom(const std::string& path,
                                                   const core::TaskControl& control = {},
                                                   std::vector<std::string>* skipped = nullptr);

// Loads one series. Errors name the file and the problem (unsupported transfer syntax,
// duplicate or missing slices, gantry tilt, mixed sizes, corrupt pixel data).
core::Result<LoadedImage> loadDicomSeries(const std::string& path,
                                          const DicomLoadOptions& options = {},
                                          const core::TaskControl& control = {});

}  // namespace delineo::io
