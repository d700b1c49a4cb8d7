#pragma once
// Agreement of two labelmaps on the same grid, per label: Dice, Jaccard, volume difference,
// and the symmetric Hausdorff and 95th-percentile Hausdorff distances between the labels'
// surfaces in mm.

#include <cstdint>
#include <optional>
#include <vector>

#include "core/Labelmap.h"
#include "core/Result.h"

namespace delineo::tools {

struct LabelComparison {
  std::uint8_t id = 0;
  std::int64_t voxelsA = 0, voxelsB = 0, voxelsBoth = 0;
  double dice = 0;              // 2|A∩B| / (|A|+|B|); 1 when both are empty
  double jaccard = 0;           // |A∩B| / |A∪B|; 1 when both are empty
  double volumeDifferenceMl = 0;  // volume(B) - volume(A)
  // Surface distances; nullopt when either label is empty (undefined).
  std::optional<double> hausdorffMm;
  std::optional<double> hausdorff95Mm;  // max of the two directed 95th percentiles
};

// Every label id present in either labelmap, ascending. Fails when the grids differ.
core::Result<std::vector<LabelComparison>> compareLabelmaps(const core::Labelmap& a, const core::Labelmap& b);

// Directed surface distances (mm) from the surface voxels of `id` in `a` to those in `b`.
std::vector<double> directedSurfaceDistancesMm(const core::Labelmap& a, const core::Labelmap& b, std::uint8_t id);

// Percentile with linear interpolation between order statistics (NumPy's default).
double percentile(std::vector<double> values, double p);

}  // namespace delineo::tools
