#pragma once
// Geometry: the voxel grid of a volume in DICOM/ITK LPS patient space (mm).
// patient = origin + direction * diag(spacing) * ijk. ijkToPatient()/patientToIjk() are the
// only conversions; everything above core works in mm. Valid when dims > 0, spacing > 0 and
// direction is non-singular (checked by validate()).

#include <array>
#include <cstdint>
#include <string>

#include "core/Math.h"
#include "core/Result.h"

namespace delineo::core {

using Dims = std::array<std::int64_t, 3>;

struct Geometry {
  Dims dims{0, 0, 0};                 // voxels along i, j, k (i fastest in memory)
  Vec3 spacingMm{1, 1, 1};            // voxel size along i, j, k
  Vec3 originMm{0, 0, 0};             // LPS position of voxel (0,0,0)'s centre
  Mat3 direction = Mat3::identity();  // columns: LPS unit vectors of the i, j, k axes

  std::int64_t voxelCount() const { return dims[0] * dims[1] * dims[2]; }
  bool contains(std::int64_t i, std::int64_t j, std::int64_t k) const {
    return i >= 0 && j >= 0 && k >= 0 && i < dims[0] && j < dims[1] && k < dims[2];
  }
  std::int64_t linearIndex(std::int64_t i, std::int64_t j, std::int64_t k) const {
    return i + dims[0] * (j + dims[1] * k);
  }

  // Continuous index -> LPS mm.
  Vec3 ijkToPatient(Vec3 ijk) const;
  // LPS mm -> continuous index (voxel centres at integers).
  Vec3 patientToIjk(Vec3 patientMm) const;
  // The 3x3 part of ijkToPatient: direction * diag(spacing).
  Mat3 indexToPhysical() const;
  // Volume of one voxel in mm^3.
  double voxelVolumeMm3() const { return spacingMm.x * spacingMm.y * spacingMm.z; }

  // Checks the invariants; the message names `what` (a file or object) and the problem.
  Result<void> validate(const std::string& what) const;
  // Same grid within tolerances (positions within toleranceMm over the whole extent).
  bool sameGrid(const Geometry& other, double toleranceMm = 1e-3) const;
  // Explains how two grids differ ("dims 256x256x108 vs 256x256x107"); empty if they match.
  std::string describeDifference(const Geometry& other, double toleranceMm = 1e-3) const;

  // Three-letter anatomical orientation code of the i, j, k axes in LPS terms, e.g. "LPS"
  // means +i points to the patient's left, +j posterior, +k superior (ITK's convention).
  std::string orientationCode() const;
};

std::string toString(const Dims& d);  // "256x256x108"
std::string toString(Vec3 v, int precision = 4);

}  // namespace delineo::core
