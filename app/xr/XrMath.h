#pragma once
// Rigid-body math for the XR scene: unit quaternions and poses in the tracking space (metres,
// +y up, -z ahead, as OpenXR), and the similarity that places the patient volume in it.
// Plain double-precision value types; no OpenXR, no Vulkan: the interaction logic and its tests
// use them directly.

#include <cmath>

#include "core/Math.h"

namespace delineo::app::xr {

using core::Vec3;

struct Quat {
  double x = 0, y = 0, z = 0, w = 1;  // w + xi + yj + zk, unit length

  static Quat axisAngle(Vec3 axis, double radians) {
    Vec3 a = core::normalize(axis) * std::sin(radians / 2);
    return {a.x, a.y, a.z, std::cos(radians / 2)};
  }
  friend Quat operator*(const Quat& a, const Quat& b) {
    return {a.w * b.x + a.x * b.w + a.y * b.z - a.z * b.y, a.w * b.y - a.x * b.z + a.y * b.w + a.z * b.x,
            a.w * b.z + a.x * b.y - a.y * b.x + a.z * b.w, a.w * b.w - a.x * b.x - a.y * b.y - a.z * b.z};
  }
  Quat conjugate() const { return {-x, -y, -z, w}; }
  Quat normalized() const {
    double l = std::sqrt(x * x + y * y + z * z + w * w);
    return l > 0 ? Quat{x / l, y / l, z / l, w / l} : Quat{};
  }
  Vec3 rotate(Vec3 v) const {
    Vec3 u{x, y, z};
    Vec3 t = core::cross(u, v) * 2.0;
    return v + t * w + core::cross(u, t);
  }
  // The rotation as a 3x3 matrix (columns: images of the unit axes).
  core::Mat3 matrix() const { return core::Mat3::fromColumns(rotate({1, 0, 0}), rotate({0, 1, 0}), rotate({0, 0, 1})); }
};

// The shortest rotation taking unit vector `from` onto unit vector `to`.
inline Quat rotationBetween(Vec3 from, Vec3 to) {
  Vec3 c = core::cross(from, to);
  double d = core::dot(from, to);
  if (d < -0.999999) {
    Vec3 axis = core::cross({1, 0, 0}, from);
    if (core::length(axis) < 1e-6) axis = core::cross({0, 1, 0}, from);
    return Quat::axisAngle(axis, 3.14159265358979323846);
  }
  return Quat{c.x, c.y, c.z, 1 + d}.normalized();
}

struct Pose {
  Vec3 position{0, 0, 0};  // metres in the tracking space
  Quat orientation;        // local -> tracking space

  Vec3 apply(Vec3 local) const { return position + orientation.rotate(local); }
  Vec3 forward() const { return orientation.rotate({0, 0, -1}); }
  Pose inverse() const {
    Quat q = orientation.conjugate();
    return {q.rotate(position * -1.0), q};
  }
  friend Pose operator*(const Pose& a, const Pose& b) {  // a after b
    return {a.apply(b.position), (a.orientation * b.orientation).normalized()};
  }
};

// Where the volume is: patient point p (mm) is shown at world point
// pose.apply((p - centreMm) * metresPerMm). A similarity: rigid pose and a uniform scale.
struct VolumePlacement {
  Pose pose;                    // the volume centre's position and orientation in the world
  double metresPerMm = 0.001;   // scale (0.001: life size)
  Vec3 centreMm{0, 0, 0};       // patient point that sits at pose.position

  Vec3 worldFromPatient(Vec3 pMm) const { return pose.apply((pMm - centreMm) * metresPerMm); }
  Vec3 patientFromWorld(Vec3 wM) const {
    return centreMm + pose.orientation.conjugate().rotate(wM - pose.position) / metresPerMm;
  }
  Vec3 patientDirection(Vec3 worldDir) const { return pose.orientation.conjugate().rotate(worldDir); }
};

}  // namespace delineo::app::xr
