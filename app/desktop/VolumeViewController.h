#pragma once
// VolumeViewController: the 3D view's camera: an orbit about the volume centre (starting from
// a named view), pan and zoom; and the picking ray through a view pixel, the same ray the
// raymarcher casts there.

#include <optional>
#include <utility>

#include "core/Geometry.h"
#include "renderer/Camera.h"
#include "renderer/FrameParams.h"

namespace delineo::app {

struct Ray {
  core::Vec3 originMm;
  core::Vec3 direction;  // unit
};

class VolumeViewController {
 public:
  renderer::Camera update(const core::Geometry& geometry, int width, int height);
  const renderer::Camera& camera() const { return mCamera; }

  // Drag by pixels: turn about the view's up axis and tilt.
  void orbit(double dxPixels, double dyPixels);
  void pan(double dxPixels, double dyPixels);
  void zoom(double factor);
  void setNamedView(renderer::NamedView view);
  void reset() { setNamedView(renderer::NamedView::Anterior); }
  const renderer::OrbitView& orbitView() const { return mOrbit; }

  // The ray the raymarcher casts through view pixel (x, y) (continuous, pixel centres at +0.5).
  Ray ray(double x, double y) const;
  // View pixel of a patient point (nullopt behind the eye) and the pixels one mm spans there.
  std::optional<std::pair<double, double>> project(core::Vec3 pointMm) const;
  double pixelsPerMmAt(core::Vec3 pointMm) const;

 private:
  renderer::OrbitView mOrbit;
  core::Vec3 mPanMm{0, 0, 0};
  renderer::Camera mCamera;
  int mWidth = 1, mHeight = 1;
  double mDistanceMm = 500;  // eye to the volume centre
  double mPixel = 1;  // orthographic: mm per pixel; perspective: tangent per pixel
};

}  // namespace delineo::app
