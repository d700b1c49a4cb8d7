#include "core/Geometry.h"

#include <cmath>
#include <sstream>

namespace delineo::core {

Mat3 Geometry::indexToPhysical() const {
  Mat3 r = direction;
  for (int row = 0; row < 3; ++row)
    for (int c = 0; c < 3; ++c) r.m[row][c] *= spacingMm[c];
  return r;
}

Vec3 Geometry::ijkToPatient(Vec3 ijk) const { return originMm + indexToPhysical() * ijk; }

Vec3 Geometry::patientToIjk(Vec3 patientMm) const {
  return indexToPhysical().inverse() * (patientMm - originMm);
}

Result<void> Geometry::validate(const std::string& what) const {
  for (int a = 0; a < 3; ++a) {
    if (dims[a] <= 0)
      return makeError(what + ": image dimensions " + toString(dims) + " are not all positive");
    if (!(spacingMm[a] > 0) || !std::isfinite(spacingMm[a]))
      return makeError(what + ": voxel spacing " + toString(spacingMm) + " mm is not positive");
    if (!std::isfinite(originMm[a]))
      return makeError(what + ": origin is not a finite position");
  }
  // Guard absurd sizes before anyone allocates: 2^34 voxels (16 GiB of uint8) is beyond any
  // study we can hold.
  constexpr std::int64_t kMaxVoxels = std::int64_t{1} << 34;
  if (dims[0] > kMaxVoxels / dims[1] || dims[0] * dims[1] > kMaxVoxels / dims[2])
    return makeError(what + ": image dimensions " + toString(dims) + " are absurdly large");
  double det = direction.determinant();
  if (!std::isfinite(det) || std::abs(det) < 1e-6)
    return makeError(what + ": direction cosines are degenerate (axes are parallel or zero)");
  return {};
}

bool Geometry::sameGrid(const Geometry& other, double toleranceMm) const {
  return describeDifference(other, toleranceMm).empty();
}

std::string Geometry::describeDifference(const Geometry& other, double toleranceMm) const {
  if (dims != other.dims) return "dims " + toString(dims) + " vs " + toString(other.dims);
  // Compare the positions of the corners: this bounds the disagreement anywhere in the grid.
  for (int c = 0; c < 8; ++c) {
    Vec3 ijk{(c & 1) ? double(dims[0] - 1) : 0.0, (c & 2) ? double(dims[1] - 1) : 0.0,
             (c & 4) ? double(dims[2] - 1) : 0.0};
    Vec3 a = ijkToPatient(ijk);
    Vec3 b = other.ijkToPatient(ijk);
    if (length(a - b) > toleranceMm) {
      std::ostringstream s;
      if (length(originMm - other.originMm) > toleranceMm)
        s << "origin " << toString(originMm) << " vs " << toString(other.originMm) << " mm";
      else if (length(spacingMm - other.spacingMm) > 1e-6)
        s << "spacing " << toString(spacingMm) << " vs " << toString(other.spacingMm) << " mm";
      else
        s << "direction " << orientationCode() << " vs " << other.orientationCode()
          << " (voxel " << toString(ijk, 0) << " lies " << length(a - b) << " mm apart)";
      return s.str();
    }
  }
  return {};
}

std::string Geometry::orientationCode() const {
  std::string code;
  static const char kPos[3] = {'L', 'P', 'S'};
  static const char kNeg[3] = {'R', 'A', 'I'};
  for (int c = 0; c < 3; ++c) {
    Vec3 d = direction.column(c);
    int best = 0;
    for (int r = 1; r < 3; ++r)
      if (std::abs(d[r]) > std::abs(d[best])) best = r;
    code += d[best] >= 0 ? kPos[best] : kNeg[best];
  }
  return code;
}

std::string toString(const Dims& d) {
  return std::to_string(d[0]) + "x" + std::to_string(d[1]) + "x" + std::to_string(d[2]);
}

std::string toString(Vec3 v, int precision) {
  std::ostringstream s;
  s.precision(precision);
  // Values that round to zero print as 0, not -0 (float round-off in direction cosines).
  const double eps = 0.5 * std::pow(10.0, -precision);
  auto clean = [eps](double x) { return std::abs(x) < eps ? 0.0 : x; };
  s << std::fixed << "(" << clean(v.x) << ", " << clean(v.y) << ", " << clean(v.z) << ")";
  return s.str();
}

}  // namespace delineo::core
