#pragma once
// MRIcron atlas label files that sit beside an atlas image: "<atlas>.nii.txt" (one "index name
// [code]" line per label) and "<atlas>.nii.lut" (768 bytes: 256 reds, 256 greens, 256 blues).

#include <string>

#include "core/LabelTable.h"
#include "core/Result.h"

namespace delineo::io {

// Label names from `namesPath`; colours from `lutPath` when non-empty, else default colours.
core::Result<core::LabelTable> readMricronLabels(const std::string& namesPath,
                                                 const std::string& lutPath = {});

}  // namespace delineo::io
