#pragma once
// Format dispatch: any readable input (DICOM file or folder, NIfTI, NRRD, MetaImage,
// InVesalius, .seg.nrrd) to a LoadedImage; volumes and labelmaps to any writable format chosen
// by extension. All writes are atomic.

#include <string>

#include "core/Labelmap.h"
#include "core/Result.h"
#include "core/TaskControl.h"
#include "core/io/LoadedImage.h"

namespace delineo::io {

struct ReadOptions {
  std::string seriesUid;  // DICOM: which series to load when a folder holds several
};

core::Result<LoadedImage> readImage(const std::string& path, const ReadOptions& options = {},
                                    const core::TaskControl& control = {});

// A labelmap from .seg.nrrd or an integer image (with ITK-SNAP sidecar when present).
core::Result<core::Labelmap> readLabelmap(const std::string& path);

core::Result<void> writeVolume(const core::Volume& volume, const std::string& path);
core::Result<void> writeLabelmap(const core::Labelmap& labelmap, const std::string& path);

// True when `path` names a format we can write.
bool isWritablePath(const std::string& path);

}  // namespace delineo::io
