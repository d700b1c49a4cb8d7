#pragma once
// Brush: paints (or erases) a sphere, or a disk in an arbitrary plane, of a radius in mm on any
// grid (anisotropic, oblique). A voxel is painted when its centre lies inside. A stroke sweeps
// a capsule between successive dab centres, so fast motion leaves no gaps.

#include <cstdint>
#include <span>

#include "core/Math.h"
#include "tools/LabelEdit.h"

namespace delineo::tools {

struct BrushParams {
  enum class Shape {
    Sphere,  // 3D ball
    Disk,    // flat disk in the plane through the centre with normal `planeNormal`
  };
  Shape shape = Shape::Sphere;
  double radiusMm = 5.0;              // painted where distance(centre, voxel centre) <= radius
  core::Vec3 planeNormal{0, 0, 1};    // LPS normal of the disk's plane (Disk only)
  std::uint8_t label = 1;             // id painted (ignored when erasing)
  bool erase = false;                 // set voxels to 0 instead of `label`
};

// One dab at `centreMm` (LPS). Returns the number of voxels changed.
std::int64_t paintDab(LabelEdit& edit, core::Vec3 centreMm, const BrushParams& params);

// A stroke through `pointsMm` (LPS): the union of capsules between consecutive points (a single
// point is a dab). Returns the number of voxels changed.
std::int64_t paintStroke(LabelEdit& edit, std::span<const core::Vec3> pointsMm, const BrushParams& params);

}  // namespace delineo::tools
