#include "tools/PlanarPolygon.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace delineo::tools {

namespace {

using core::makeError;

double orient(const std::array<double, 2>& a, const std::array<double, 2>& b, const std::array<double, 2>& c) {
  return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
}

bool onSegment(const std::array<double, 2>& a, const std::array<double, 2>& b, const std::array<double, 2>& p) {
  return std::min(a[0], b[0]) <= p[0] && p[0] <= std::max(a[0], b[0]) && std::min(a[1], b[1]) <= p[1] &&
         p[1] <= std::max(a[1], b[1]);
}

// Segments [a,b] and [c,d] share a point (touching and collinear overlap included).
bool segmentsMeet(const std::array<double, 2>& a, const std::array<double, 2>& b, const std::array<double, 2>& c,
                  const std::array<double, 2>& d, double eps) {
  double o1 = orient(a, b, c), o2 = orient(a, b, d), o3 = orient(c, d, a), o4 = orient(c, d, b);
  auto sign = [eps](double x) { return x > eps ? 1 : (x < -eps ? -1 : 0); };
  int s1 = sign(o1), s2 = sign(o2), s3 = sign(o3), s4 = sign(o4);
  if (s1 * s2 < 0 && s3 * s4 < 0) return true;
  if (s1 == 0 && onSegment(a, b, c)) return true;
  if (s2 == 0 && onSegment(a, b, d)) return true;
  if (s3 == 0 && onSegment(c, d, a)) return true;
  if (s4 == 0 && onSegment(c, d, b)) return true;
  return false;
}

}  // namespace

core::Result<PlanarPolygon> PlanarPolygon::fromPoints(const std::vector<core::Vec3>& input, double toleranceMm) {
  // Drop repeated consecutive points (double clicks), and a closing point equal to the first.
  std::vector<core::Vec3> pts;
  for (const auto& p : input) {
    if (!std::isfinite(p.x) || !std::isfinite(p.y) || !std::isfinite(p.z)) return makeError("a contour point is not finite");
    if (pts.empty() || core::length(p - pts.back()) > 1e-9) pts.push_back(p);
  }
  if (pts.size() > 1 && core::length(pts.front() - pts.back()) <= 1e-9) pts.pop_back();
  if (pts.size() < 3)
    return makeError("a contour needs at least 3 distinct points (got " + std::to_string(pts.size()) + ")");

  PlanarPolygon poly;
  core::Vec3 c{0, 0, 0}, n{0, 0, 0};
  for (std::size_t i = 0; i < pts.size(); ++i) {
    const core::Vec3& a = pts[i];
    const core::Vec3& b = pts[(i + 1) % pts.size()];
    c = c + a;
    n = n + core::Vec3{(a.y - b.y) * (a.z + b.z), (a.z - b.z) * (a.x + b.x), (a.x - b.x) * (a.y + b.y)};  // Newell
  }
  c = c / double(pts.size());
  if (core::length(n) < 1e-12) {
    // Zero net area (a symmetric bow tie) or collinear: take the plane of the widest triangle.
    std::size_t far = 0;
    for (std::size_t i = 1; i < pts.size(); ++i)
      if (core::length(pts[i] - pts[0]) > core::length(pts[far] - pts[0])) far = i;
    for (std::size_t i = 1; i < pts.size(); ++i) {
      core::Vec3 cand = core::cross(pts[far] - pts[0], pts[i] - pts[0]);
      if (core::length(cand) > core::length(n)) n = cand;
    }
  }
  if (core::length(n) < 1e-12) return makeError("the contour's points are collinear: it encloses no area");
  n = core::normalize(n);
  for (std::size_t i = 0; i < pts.size(); ++i) {
    double h = std::abs(core::dot(pts[i] - c, n));
    if (h > toleranceMm) {
      std::ostringstream s;
      s << "contour point " << i + 1 << " lies " << h << " mm off the contour's plane: draw the contour in one plane";
      return makeError(s.str());
    }
  }
  core::Vec3 helper = std::abs(n.x) < 0.9 ? core::Vec3{1, 0, 0} : core::Vec3{0, 1, 0};
  core::Vec3 u = core::normalize(core::cross(helper, n));
  core::Vec3 v = core::cross(n, u);
  poly.mCentroid = c;
  poly.mNormal = n;
  poly.mU = u;
  poly.mV = v;
  double extent = 0;
  for (const auto& p : pts) {
    poly.mPoints.push_back(poly.project(p));
    extent = std::max({extent, std::abs(poly.mPoints.back()[0]), std::abs(poly.mPoints.back()[1])});
  }
  const std::size_t m = poly.mPoints.size();
  const double eps = 1e-12 * std::max(1.0, extent * extent);
  for (std::size_t i = 0; i < m; ++i)
    for (std::size_t j = i + 1; j < m; ++j) {
      if (j == i + 1 || (i == 0 && j == m - 1)) continue;  // adjacent edges share a vertex
      if (segmentsMeet(poly.mPoints[i], poly.mPoints[(i + 1) % m], poly.mPoints[j], poly.mPoints[(j + 1) % m], eps))
        return makeError("the contour intersects itself (edges " + std::to_string(i + 1) + " and " +
                         std::to_string(j + 1) + "): draw a simple closed outline");
    }
  poly.mMinU = poly.mMaxU = poly.mPoints[0][0];
  poly.mMinV = poly.mMaxV = poly.mPoints[0][1];
  for (const auto& p : poly.mPoints) {
    poly.mMinU = std::min(poly.mMinU, p[0]);
    poly.mMaxU = std::max(poly.mMaxU, p[0]);
    poly.mMinV = std::min(poly.mMinV, p[1]);
    poly.mMaxV = std::max(poly.mMaxV, p[1]);
  }
  return poly;
}

bool PlanarPolygon::contains2d(double u, double v) const {
  if (u < mMinU || u > mMaxU || v < mMinV || v > mMaxV) return false;
  bool inside = false;
  const std::size_t m = mPoints.size();
  for (std::size_t i = 0, j = m - 1; i < m; j = i++) {
    const auto& a = mPoints[i];
    const auto& b = mPoints[j];
    if ((a[1] > v) != (b[1] > v) && u < (b[0] - a[0]) * (v - a[1]) / (b[1] - a[1]) + a[0]) inside = !inside;
  }
  return inside;
}

std::vector<core::Vec3> PlanarPolygon::pointsMm() const {
  std::vector<core::Vec3> out;
  for (const auto& p : mPoints) out.push_back(mCentroid + mU * p[0] + mV * p[1]);
  return out;
}

}  // namespace delineo::tools
