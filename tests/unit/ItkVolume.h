#pragma once
// An ITK float image as a core::Volume (geometry and voxels), for tests and benchmarks that
// compare our readers with ITK's. Header-only: only test code includes ITK this way.

#include <algorithm>

#include <itkImage.h>

#include "core/Volume.h"

namespace delineo::test {

inline core::Volume volumeFromItk(const itk::Image<float, 3>& image) {
  core::Geometry g;
  auto size = image.GetLargestPossibleRegion().GetSize();
  for (unsigned a = 0; a < 3; ++a) {
    g.dims[a] = static_cast<std::int64_t>(size[a]);
    g.spacingMm[static_cast<int>(a)] = image.GetSpacing()[a];
    g.originMm[static_cast<int>(a)] = image.GetOrigin()[a];
    for (unsigned r = 0; r < 3; ++r) g.direction.m[r][a] = image.GetDirection()[r][a];
  }
  core::Volume v(g, core::ScalarType::Float32);
  std::copy_n(image.GetBufferPointer(), g.voxelCount(), v.voxels<float>().data());
  return v;
}

}  // namespace delineo::test
