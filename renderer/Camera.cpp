#include "renderer/Camera.h"

#include <algorithm>
#include <cmath>

namespace delineo::renderer {

namespace {

using core::Vec3;

constexpr double kPi = 3.14159265358979323846;

struct Basis {
  Vec3 forward, up;
};

Basis namedBasis(NamedView view) {
  switch (view) {
    case NamedView::Anterior: return {{0, 1, 0}, {0, 0, 1}};
    case NamedView::Posterior: return {{0, -1, 0}, {0, 0, 1}};
    case NamedView::Left: return {{-1, 0, 0}, {0, 0, 1}};
    case NamedView::Right: return {{1, 0, 0}, {0, 0, 1}};
    // From above or below the patient, anterior is up in the image.
    case NamedView::Superior: return {{0, 0, -1}, {0, -1, 0}};
    case NamedView::Inferior: return {{0, 0, 1}, {0, -1, 0}};
  }
  return {{0, 1, 0}, {0, 0, 1}};
}

// Rotates v about the unit axis by angle (radians), right-handed.
Vec3 rotate(Vec3 v, Vec3 axis, double angle) {
  double c = std::cos(angle), s = std::sin(angle);
  return v * c + core::cross(axis, v) * s + axis * (core::dot(axis, v) * (1 - c));
}

double dim(const core::Geometry& g, int axis) { return static_cast<double>(g.dims[axis]); }

struct Box {
  Vec3 corners[8];
  Vec3 center;
};

Box volumeBox(const core::Geometry& g) {
  Box b;
  for (int c = 0; c < 8; ++c) {
    Vec3 ijk{(c & 1) ? dim(g, 0) - 0.5 : -0.5, (c & 2) ? dim(g, 1) - 0.5 : -0.5,
             (c & 4) ? dim(g, 2) - 0.5 : -0.5};
    b.corners[c] = g.ijkToPatient(ijk);
  }
  b.center = g.ijkToPatient({(dim(g, 0) - 1) / 2, (dim(g, 1) - 1) / 2, (dim(g, 2) - 1) / 2});
  return b;
}

double extentAlong(const Box& b, Vec3 axis) {
  double lo = 1e300, hi = -1e300;
  for (const auto& c : b.corners) {
    double d = core::dot(c, axis);
    lo = std::min(lo, d);
    hi = std::max(hi, d);
  }
  return hi - lo;
}

// The volume axis (0, 1, 2) most parallel to `dir`, skipping those in `taken`, and the sign.
std::pair<int, double> nearestAxis(const core::Geometry& g, Vec3 dir, const bool taken[3]) {
  int best = -1;
  double bestDot = 0;
  for (int a = 0; a < 3; ++a) {
    if (taken[a]) continue;
    double d = core::dot(g.direction.column(a), dir);
    if (best < 0 || std::abs(d) > std::abs(bestDot)) best = a, bestDot = d;
  }
  return {best, bestDot >= 0 ? 1.0 : -1.0};
}

struct SliceAxes {
  Vec3 right, down, normal;
};

SliceAxes sliceAxes(SliceOrientation o) {
  switch (o) {
    case SliceOrientation::Axial: return {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
    case SliceOrientation::Coronal: return {{1, 0, 0}, {0, 0, -1}, {0, 1, 0}};
    case SliceOrientation::Sagittal: return {{0, 1, 0}, {0, 0, -1}, {1, 0, 0}};
  }
  return {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
}

// Volume axes for the image columns, rows and the slice normal, with the signs that make
// columns and rows run along `right` and `down`.
struct AxisMap {
  int column, row, normal;
  double columnSign, rowSign;
};

AxisMap axisMap(const core::Geometry& g, Vec3 right, Vec3 down) {
  bool taken[3] = {false, false, false};
  auto [c, cs] = nearestAxis(g, right, taken);
  taken[c] = true;
  auto [r, rs] = nearestAxis(g, down, taken);
  taken[r] = true;
  int n = 3 - c - r;
  return {c, r, n, cs, rs};
}

}  // namespace

core::Result<NamedView> parseNamedView(const std::string& name) {
  if (name == "anterior") return NamedView::Anterior;
  if (name == "posterior") return NamedView::Posterior;
  if (name == "left") return NamedView::Left;
  if (name == "right") return NamedView::Right;
  if (name == "superior") return NamedView::Superior;
  if (name == "inferior") return NamedView::Inferior;
  return core::makeError("unknown view '" + name +
                         "' (views: anterior, posterior, left, right, superior, inferior)");
}

core::Result<SliceOrientation> parseSliceOrientation(const std::string& name) {
  if (name == "axial") return SliceOrientation::Axial;
  if (name == "sagittal") return SliceOrientation::Sagittal;
  if (name == "coronal") return SliceOrientation::Coronal;
  return core::makeError("unknown slice orientation '" + name + "' (axial, sagittal, coronal)");
}

Camera orbitCamera(const core::Geometry& geometry, const OrbitView& orbit, uint32_t width,
                   uint32_t height) {
  Basis b = namedBasis(orbit.view);
  Vec3 f = b.forward, up = b.up;
  double az = orbit.azimuthDeg * kPi / 180, el = orbit.elevationDeg * kPi / 180;
  f = rotate(f, up, az);
  Vec3 right = core::normalize(core::cross(f, up));
  Vec3 f2 = core::normalize(f * std::cos(el) - up * std::sin(el));
  up = core::normalize(up * std::cos(el) + f * std::sin(el));
  f = f2;
  right = core::normalize(core::cross(f, up));

  Box box = volumeBox(geometry);
  double radius = 0;
  for (const auto& c : box.corners) radius = std::max(radius, core::length(c - box.center));
  double zoom = orbit.zoom > 0 ? orbit.zoom : 1;

  Camera cam;
  cam.forward = f;
  cam.right = right;
  cam.down = up * -1.0;
  cam.orthographic = orbit.orthographic;
  double w = std::max(1u, width), h = std::max(1u, height);
  if (orbit.orthographic) {
    double extentX = extentAlong(box, right), extentY = extentAlong(box, cam.down);
    double pixel = std::max(extentX / w, extentY / h) / zoom;
    cam.heightMm = pixel * h;
    // One pixel per voxel when the image has the volume's dims across the view, even where the
    // two spacings differ (non-square pixels): MIPs then match the voxels exactly.
    if (orbit.azimuthDeg == 0 && orbit.elevationDeg == 0 &&
        viewSizeInVoxels(geometry, orbit.view) == std::pair{width, height}) {
      cam.widthMm = extentX / zoom;
      cam.heightMm = extentY / zoom;
    }
    cam.eyeMm = box.center - f * (2 * radius);
  } else {
    cam.fovYDeg = 30;
    double halfY = cam.fovYDeg * kPi / 360;
    double halfX = std::atan(std::tan(halfY) * w / h);
    double halfMin = std::min(halfX, halfY);
    double distance = radius / std::sin(halfMin) * 1.02;
    cam.eyeMm = box.center - f * distance;
    cam.fovYDeg = 2 * std::atan(std::tan(halfY) / zoom) * 360 / (2 * kPi);
  }
  return cam;
}

std::pair<uint32_t, uint32_t> viewSizeInVoxels(const core::Geometry& geometry, NamedView view) {
  Basis b = namedBasis(view);
  Vec3 right = core::cross(b.forward, b.up);
  AxisMap m = axisMap(geometry, right, b.up * -1.0);
  return {static_cast<uint32_t>(geometry.dims[m.column]), static_cast<uint32_t>(geometry.dims[m.row])};
}

std::pair<uint32_t, uint32_t> sliceSize(const core::Geometry& geometry, SliceOrientation orientation) {
  SliceAxes a = sliceAxes(orientation);
  AxisMap m = axisMap(geometry, a.right, a.down);
  return {static_cast<uint32_t>(geometry.dims[m.column]), static_cast<uint32_t>(geometry.dims[m.row])};
}

std::int64_t sliceCount(const core::Geometry& geometry, SliceOrientation orientation) {
  SliceAxes a = sliceAxes(orientation);
  return geometry.dims[axisMap(geometry, a.right, a.down).normal];
}

core::Result<SlicePlane> slicePlane(const core::Geometry& g, SliceOrientation orientation,
                                    std::int64_t index, uint32_t width, uint32_t height) {
  SliceAxes a = sliceAxes(orientation);
  AxisMap m = axisMap(g, a.right, a.down);
  if (index < 0 || index >= g.dims[m.normal])
    return core::makeError("slice index " + std::to_string(index) + " is outside 0.." +
                           std::to_string(g.dims[m.normal] - 1));
  Vec3 dC{}, dR{};
  dC[m.column] = m.columnSign;
  dR[m.row] = m.rowSign;
  // One voxel along the column and row axes, in mm.
  Vec3 colStep = g.ijkToPatient(dC) - g.ijkToPatient({0, 0, 0});
  Vec3 rowStep = g.ijkToPatient(dR) - g.ijkToPatient({0, 0, 0});
  double natW = dim(g, m.column), natH = dim(g, m.row);
  double scale = std::max(natW / std::max(1u, width), natH / std::max(1u, height));
  colStep = colStep * scale;
  rowStep = rowStep * scale;
  Vec3 centerIjk{(dim(g, 0) - 1) / 2, (dim(g, 1) - 1) / 2, (dim(g, 2) - 1) / 2};
  centerIjk[m.normal] = static_cast<double>(index);
  Vec3 center = g.ijkToPatient(centerIjk);
  SlicePlane plane;
  plane.columnStepMm = colStep;
  plane.rowStepMm = rowStep;
  plane.originMm = center - colStep * ((width - 1) / 2.0) - rowStep * ((height - 1) / 2.0);
  return plane;
}

}  // namespace delineo::renderer
