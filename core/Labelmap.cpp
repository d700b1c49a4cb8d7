#include "core/Labelmap.h"

#include "core/Volume.h"

namespace delineo::core {

Labelmap::Labelmap(const Geometry& geometry)
    : mGeometry(geometry), mVoxels(static_cast<std::size_t>(geometry.voxelCount()), 0) {}

Labelmap Labelmap::forVolume(const Volume& volume) { return Labelmap(volume.geometry()); }

Result<void> Labelmap::checkMatches(const Geometry& volume, const std::string& what) const {
  // Half a millimetre of disagreement anywhere in the grid would put labels on the wrong
  // voxels; 1e-3 mm absorbs the rounding of text headers.
  std::string diff = mGeometry.describeDifference(volume, 1e-3);
  if (diff.empty()) return {};
  return makeError(what + ": labelmap does not lie on the volume's grid: " + diff);
}

Dims Labelmap::brickDims() const {
  Dims b;
  for (int a = 0; a < 3; ++a) b[a] = (mGeometry.dims[a] + kBrickSize - 1) / kBrickSize;
  return b;
}

std::int64_t Labelmap::brickCount() const {
  Dims b = brickDims();
  return b[0] * b[1] * b[2];
}

std::array<std::int64_t, 256> Labelmap::histogram() const {
  std::array<std::int64_t, 256> h{};
  for (std::uint8_t v : mVoxels) ++h[v];
  return h;
}

int Labelmap::addMissingLabels() {
  auto h = histogram();
  int added = 0;
  for (int id = 1; id < 256; ++id) {
    if (h[id] == 0 || mLabels.find(static_cast<std::uint8_t>(id))) continue;
    Label l;
    l.id = static_cast<std::uint8_t>(id);
    l.name = "Label " + std::to_string(id);
    l.rgba = LabelTable::defaultColor(l.id);
    (void)mLabels.set(l);
    ++added;
  }
  return added;
}

}  // namespace delineo::core
