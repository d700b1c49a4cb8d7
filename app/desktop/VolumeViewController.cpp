#include "app/desktop/VolumeViewController.h"

#include <algorithm>
#include <cmath>

namespace delineo::app {

renderer::Camera VolumeViewController::update(const core::Geometry& geometry, int width, int height) {
  mWidth = std::max(1, width);
  mHeight = std::max(1, height);
  mCamera = renderer::orbitCamera(geometry, mOrbit, static_cast<uint32_t>(mWidth), static_cast<uint32_t>(mHeight));
  core::Vec3 centre = geometry.ijkToPatient({double(geometry.dims[0] - 1) / 2, double(geometry.dims[1] - 1) / 2,
                                             double(geometry.dims[2] - 1) / 2});
  mDistanceMm = core::length(mCamera.eyeMm - centre);
  mCamera.eyeMm = mCamera.eyeMm + mPanMm;
  mPixel = mCamera.orthographic ? mCamera.heightMm / mHeight
                                : 2 * std::tan(mCamera.fovYDeg * 3.14159265358979323846 / 360) / mHeight;
  return mCamera;
}

void VolumeViewController::orbit(double dx, double dy) {
  mOrbit.azimuthDeg -= dx * 0.4;
  mOrbit.elevationDeg = std::clamp(mOrbit.elevationDeg + dy * 0.4, -89.0, 89.0);
}

void VolumeViewController::pan(double dx, double dy) {
  // Move the scene with the cursor: about the size of a pixel at the volume's centre.
  double mmPerPixel = mCamera.orthographic ? mPixel : mPixel * mDistanceMm;
  mPanMm = mPanMm - mCamera.right * (dx * mmPerPixel) - mCamera.down * (dy * mmPerPixel);
}

void VolumeViewController::zoom(double factor) { mOrbit.zoom = std::clamp(mOrbit.zoom * factor, 0.2, 20.0); }

void VolumeViewController::setNamedView(renderer::NamedView view) {
  mOrbit = renderer::OrbitView{};
  mOrbit.view = view;
  mPanMm = {0, 0, 0};
}

Ray VolumeViewController::ray(double x, double y) const {
  double px = x - 0.5 * mWidth, py = y - 0.5 * mHeight;  // matches the shader's pixel + 0.5 - extent / 2
  core::Vec3 offset = mCamera.right * (px * mPixel) + mCamera.down * (py * mPixel);
  if (mCamera.orthographic) return {mCamera.eyeMm + offset, core::normalize(mCamera.forward)};
  return {mCamera.eyeMm, core::normalize(core::normalize(mCamera.forward) + offset)};
}

std::optional<std::pair<double, double>> VolumeViewController::project(core::Vec3 p) const {
  core::Vec3 v = p - mCamera.eyeMm;
  double depth = core::dot(v, core::normalize(mCamera.forward));
  if (!mCamera.orthographic && depth <= 1e-6) return std::nullopt;
  double scale = mCamera.orthographic ? mPixel : depth * mPixel;
  return std::pair{core::dot(v, mCamera.right) / scale + 0.5 * mWidth, core::dot(v, mCamera.down) / scale + 0.5 * mHeight};
}

double VolumeViewController::pixelsPerMmAt(core::Vec3 p) const {
  if (mCamera.orthographic) return 1 / mPixel;
  double depth = core::dot(p - mCamera.eyeMm, core::normalize(mCamera.forward));
  return depth > 1e-6 ? 1 / (depth * mPixel) : 0;
}

}  // namespace delineo::app
