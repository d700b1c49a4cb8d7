#pragma once
// PlanarPolygon: a closed polygon of LPS mm points lying in one plane, validated (at least three
// distinct points, planar, not self-intersecting) and projected to 2D plane coordinates for
// point-in-polygon tests. Shared by contour fill and the 3D scissors.
#include <vector>

#include "core/Math.h"
#include "core/Result.h"

namespace delineo::tools {

class PlanarPolygon {
 public:
  // `toleranceMm`: how far a point may lie off the fitted plane.
  static core::Result<PlanarPolygon> fromPoints(const std::vector<core::Vec3>& pointsMm, double toleranceMm);

  core::Vec3 centroidMm() const { return mCentroid; }
  core::Vec3 normal() const { return mNormal; }  // unit
  core::Vec3 axisU() const { return mU; }        // unit, in the plane
  core::Vec3 axisV() const { return mV; }        // unit, normal x u
  // Plane coordinates of p (the normal component is dropped).
  std::array<double, 2> project(core::Vec3 pMm) const {
    core::Vec3 d = pMm - mCentroid;
    return {core::dot(d, mU), core::dot(d, mV)};
  }
  // Signed distance of p from the plane along the normal.
  double height(core::Vec3 pMm) const { return core::dot(pMm - mCentroid, mNormal); }
  // Even-odd rule in plane coordinates.
  bool contains2d(double u, double v) const;
  bool contains(core::Vec3 pMm) const {
    auto uv = project(pMm);
    return contains2d(uv[0], uv[1]);
  }
  const std::vector<std::array<double, 2>>& points2d() const { return mPoints; }
  std::vector<core::Vec3> pointsMm() const;

 private:
  core::Vec3 mCentroid, mNormal, mU, mV;
  std::vector<std::array<double, 2>> mPoints;
  double mMinU = 0, mMaxU = 0, mMinV = 0, mMaxV = 0;
};

}  // namespace delineo::tools
