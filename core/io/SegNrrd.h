#pragma once
// 3D Slicer segmentation files (.seg.nrrd): a NRRD labelmap plus Segment<N>_* keys (ID, Name,
// Color, LabelValue, Layer, Extent, Tags with the terminology entry) as Slicer writes them.
// We write one layer (our labelmaps are single-layer); multi-layer files are flattened on
// reading (see SegNrrd.cpp), with warnings saying what changed.

#include <string>
#include <vector>

#include "core/Labelmap.h"
#include "core/Result.h"

namespace delineo::io {

bool isSegNrrdPath(const std::string& path);

// Things the user should know (a multi-layer file was merged) are appended to `warnings`.
core::Result<core::Labelmap> readSegNrrd(const std::string& path, std::vector<std::string>* warnings = nullptr);
core::Result<void> writeSegNrrd(const core::Labelmap& labelmap, const std::string& path);

}  // namespace delineo::io
