#pragma once
// Volume: voxels in their native scalar type, contiguous, i fastest, rescale already applied
// (CT in HU), on a Geometry. Patient identity is not kept here (see io::DicomSource).

#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <vector>

#include "core/Geometry.h"

namespace delineo::core {

enum class ScalarType { UInt8, Int16, UInt16, Float32 };

std::size_t scalarSize(ScalarType t);
const char* scalarName(ScalarType t);  // "uint8", "int16", "uint16", "float32"

template <typename T> constexpr ScalarType scalarTypeOf();
template <> constexpr ScalarType scalarTypeOf<std::uint8_t>() { return ScalarType::UInt8; }
template <> constexpr ScalarType scalarTypeOf<std::int16_t>() { return ScalarType::Int16; }
template <> constexpr ScalarType scalarTypeOf<std::uint16_t>() { return ScalarType::UInt16; }
template <> constexpr ScalarType scalarTypeOf<float>() { return ScalarType::Float32; }

// Calls f(T{}) with T the C++ type of `t`.
template <typename F>
decltype(auto) dispatchScalar(ScalarType t, F&& f) {
  switch (t) {
    case ScalarType::UInt8: return f(std::uint8_t{});
    case ScalarType::Int16: return f(std::int16_t{});
    case ScalarType::UInt16: return f(std::uint16_t{});
    case ScalarType::Float32: break;
  }
  return f(float{});
}

class Volume {
 public:
  Volume() = default;
  // Zero-filled volume; the geometry must already be validated.
  Volume(const Geometry& geometry, ScalarType type);

  const Geometry& geometry() const { return mGeometry; }
  void setGeometry(const Geometry& g);  // same dims only (re-placing the grid)
  ScalarType scalarType() const { return mType; }
  bool empty() const { return mBytes.empty(); }
  std::size_t byteSize() const { return mBytes.size(); }

  template <typename T> std::span<T> voxels() {
    assertType<T>();
    return {reinterpret_cast<T*>(mBytes.data()), mBytes.size() / sizeof(T)};
  }
  template <typename T> std::span<const T> voxels() const {
    assertType<T>();
    return {reinterpret_cast<const T*>(mBytes.data()), mBytes.size() / sizeof(T)};
  }
  std::span<std::uint8_t> bytes() { return mBytes; }
  std::span<const std::uint8_t> bytes() const { return mBytes; }

  double valueAt(std::int64_t i, std::int64_t j, std::int64_t k) const;
  double valueAtIndex(std::int64_t linear) const;
  // Min and max over all voxels; {0,0} for an empty volume.
  std::pair<double, double> valueRange() const;

  std::string modality;     // DICOM modality ("CT", "MR") or "" when the format has none
  std::string description;  // series description or file stem; never patient identity

 private:
  template <typename T> void assertType() const;

  Geometry mGeometry;
  ScalarType mType = ScalarType::UInt8;
  std::vector<std::uint8_t> mBytes;
};

template <typename T>
void Volume::assertType() const {
  if (scalarTypeOf<std::remove_const_t<T>>() != mType) __builtin_trap();
}

}  // namespace delineo::core
