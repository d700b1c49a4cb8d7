#pragma once
// InVesalius projects (.inv3): a gzip'd tar holding main.plist (shape, spacing, scalar type),
// matrix.dat (the raw volume) and mask_N.plist/.dat (uint8 masks with one voxel of padding on
// each axis). The masks become labels named after the InVesalius masks, so users of InVesalius
// bring their work with them.

#include <string>

#include "core/Result.h"
#include "core/TaskControl.h"
#include "core/io/LoadedImage.h"

namespace delineo::io {

bool isInVesaliusPath(const std::string& path);

core::Result<LoadedImage> readInVesalius(const std::string& path, const core::TaskControl& control = {});

}  // namespace delineo::io
