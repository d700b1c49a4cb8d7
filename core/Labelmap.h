#pragma once
// Labelmap: uint8 label ids (0 = background) on exactly the geometry of its volume, plus its
// LabelTable. Storage is contiguous (i fastest) and addressed in 32^3 bricks for dirty
// tracking and undo. Voxels change only through tools::LabelEdit (issue: annotation engine).

#include <cstdint>
#include <span>
#include <vector>

#include "core/Geometry.h"
#include "core/LabelTable.h"

namespace delineo::core {

class Volume;

class Labelmap {
 public:
  static constexpr int kBrickSize = 32;

  Labelmap() = default;
  // All-background labelmap on `geometry` (must be validated).
  explicit Labelmap(const Geometry& geometry);
  // Labelmap for `volume`: same grid.
  static Labelmap forVolume(const Volume& volume);

  const Geometry& geometry() const { return mGeometry; }
  std::span<std::uint8_t> voxels() { return mVoxels; }
  std::span<const std::uint8_t> voxels() const { return mVoxels; }
  std::uint8_t at(std::int64_t i, std::int64_t j, std::int64_t k) const {
    return mVoxels[static_cast<std::size_t>(mGeometry.linearIndex(i, j, k))];
  }

  LabelTable& labels() { return mLabels; }
  const LabelTable& labels() const { return mLabels; }

  // Succeeds when this labelmap lies on exactly the grid of `volume`; otherwise the message
  // says how they differ, naming `what` (typically the labelmap's file).
  Result<void> checkMatches(const Geometry& volume, const std::string& what) const;

  // Brick grid: ceil(dims / 32) along each axis.
  Dims brickDims() const;
  std::int64_t brickCount() const;

  // Voxel count per label id (index = id).
  std::array<std::int64_t, 256> histogram() const;
  // Adds a table entry (default name and colour) for every id present in the voxels but
  // missing from the table. Returns how many were added.
  int addMissingLabels();

 private:
  Geometry mGeometry;
  std::vector<std::uint8_t> mVoxels;
  LabelTable mLabels;
};

}  // namespace delineo::core
