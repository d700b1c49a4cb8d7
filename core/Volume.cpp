#include "core/Volume.h"

#include <algorithm>
#include <cassert>
#include <limits>

namespace delineo::core {

std::size_t scalarSize(ScalarType t) {
  return dispatchScalar(t, [](auto v) { return sizeof(v); });
}

const char* scalarName(ScalarType t) {
  switch (t) {
    case ScalarType::UInt8: return "uint8";
    case ScalarType::Int16: return "int16";
    case ScalarType::UInt16: return "uint16";
    case ScalarType::Float32: return "float32";
  }
  return "?";
}

Volume::Volume(const Geometry& geometry, ScalarType type)
    : mGeometry(geometry),
      mType(type),
      mBytes(static_cast<std::size_t>(geometry.voxelCount()) * scalarSize(type)) {}

void Volume::setGeometry(const Geometry& g) {
  assert(g.dims == mGeometry.dims);
  mGeometry = g;
}

double Volume::valueAtIndex(std::int64_t linear) const {
  return dispatchScalar(mType, [&](auto t) {
    using T = decltype(t);
    return static_cast<double>(reinterpret_cast<const T*>(mBytes.data())[linear]);
  });
}

double Volume::valueAt(std::int64_t i, std::int64_t j, std::int64_t k) const {
  return valueAtIndex(mGeometry.linearIndex(i, j, k));
}

std::pair<double, double> Volume::valueRange() const {
  if (mBytes.empty()) return {0.0, 0.0};
  return dispatchScalar(mType, [&](auto t) {
    using T = decltype(t);
    auto v = voxels<const T>();
    auto [lo, hi] = std::minmax_element(v.begin(), v.end());
    return std::pair<double, double>{static_cast<double>(*lo), static_cast<double>(*hi)};
  });
}

}  // namespace delineo::core
