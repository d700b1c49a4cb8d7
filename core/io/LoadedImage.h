#pragma once
// What a reader hands back: the volume, labels that came with it (InVesalius masks, a
// segmentation), the DICOM identity needed only to export DICOM SEG, and warnings the user
// should see. Identity lives here, apart from the voxels, and is never logged.

#include <optional>
#include <string>
#include <vector>

#include "core/Labelmap.h"
#include "core/Volume.h"

namespace delineo::io {

// Identifying and referential DICOM attributes of a loaded series. Never printed or logged;
// used to write a DICOM SEG that references its source.
struct DicomSource {
  std::string patientName;
  std::string patientId;
  std::string patientBirthDate;
  std::string patientSex;
  std::string studyInstanceUid;
  std::string studyDate;
  std::string studyTime;
  std::string studyId;
  std::string accessionNumber;
  std::string referringPhysician;
  std::string seriesInstanceUid;
  std::string seriesNumber;
  std::string frameOfReferenceUid;
  std::string sopClassUid;                   // of the source images
  std::vector<std::string> sopInstanceUids;  // per slice k (one entry for a multi-frame file)
  std::vector<std::string> files;            // source file per slice k
  // Per slice k, set only for multi-frame sources (sopInstanceUids then lists each file once),
  // so a DICOM SEG can reference the frame: the index into sopInstanceUids/files of the file
  // holding slice k, and the slice's 1-based frame number within that file.
  std::vector<int> sliceFileIndex;
  std::vector<int> frameNumbers;
  std::string specificCharacterSet;  // of the source, so copied names keep their encoding
};

// "1.2.826.0.1.3680043…123456": enough to recognise a UID in messages and logs without
// quoting it whole.
inline std::string shortUid(const std::string& uid) {
  return uid.size() <= 20 ? uid : uid.substr(0, 12) + "…" + uid.substr(uid.size() - 6);
}

struct LoadedImage {
  core::Volume volume;
  std::optional<core::Labelmap> labels;  // labels that came with the image, on its grid
  std::optional<DicomSource> dicom;      // set for DICOM inputs
  std::string format;                    // "DICOM", "NIfTI", "NRRD", "MetaImage", "InVesalius"
  std::vector<std::string> warnings;     // things the user should know (non-fatal)
};

}  // namespace delineo::io
