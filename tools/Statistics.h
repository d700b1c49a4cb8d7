#pragma once
// Statistics per label: voxel count, volume in mL, intensity mean/σ/min/max over the volume,
// bounding box and centroid in patient (LPS) mm.

#include <cstdint>
#include <vector>

#include "core/Labelmap.h"
#include "core/Volume.h"

namespace delineo::tools {

struct LabelStatistics {
  std::uint8_t id = 0;
  std::int64_t voxels = 0;
  double volumeMl = 0;
  double mean = 0, stddev = 0, min = 0, max = 0;  // of the volume's values (population σ)
  core::Vec3 centroidMm;                          // LPS mean of voxel centres
  core::Vec3 boundsMinMm, boundsMaxMm;            // LPS axis-aligned box of voxel centres
  std::int64_t ijkMin[3] = {0, 0, 0};             // index box (inclusive)
  std::int64_t ijkMax[3] = {0, 0, 0};
};

// One entry per label id present in the voxels or listed in the table (ascending id); labels
// with no voxels have zeros. `volume` may be null (no intensity figures then); when given it
// must lie on the labelmap's grid.
std::vector<LabelStatistics> computeStatistics(const core::Labelmap& labelmap, const core::Volume* volume);

}  // namespace delineo::tools
