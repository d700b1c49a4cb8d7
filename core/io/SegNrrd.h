#pragma once
// 3D Slicer segmentation files (.seg.nrrd): a NRRD labelmap plus Segment<N>_* keys (ID, Name,
// Color, LabelValue, Layer, Extent, Tags with the terminology entry) as Slicer writes them.

#include <string>

#include "core/Labelmap.h"
#include "core/Result.h"

namespace delineo::io {

bool isSegNrrdPath(const std::string& path);

core::Result<core::Labelmap> readSegNrrd(const std::string& path);
core::Result<void> writeSegNrrd(const core::Labelmap& labelmap, const std::string& path);

}  // namespace delineo::io
