#pragma once
// SliceViewController: one axial, sagittal or coronal view: the slice through the crosshair,
// with its own zoom and pan, square millimetre pixels, and the mapping between view pixels and
// patient millimetres that tools and the crosshair use.

#include <cstdint>

#include "core/Geometry.h"
#include "renderer/Camera.h"
#include "renderer/FrameParams.h"

namespace delineo::app {

class SliceViewController {
 public:
  explicit SliceViewController(renderer::SliceOrientation orientation) : mOrientation(orientation) {}

  renderer::SliceOrientation orientation() const { return mOrientation; }
  // The slice through `crosshairMm` for a view of width x height pixels. Call every frame
  // before the mappings below (they use the last plane).
  renderer::SlicePlane update(const core::Geometry& geometry, core::Vec3 crosshairMm, int width, int height);

  // Patient point under view pixel (x, y) (pixel centres at +0.5), on the current slice.
  core::Vec3 pixelToMm(double x, double y) const;
  // View pixel of a patient point projected on the slice.
  std::pair<double, double> mmToPixel(core::Vec3 pointMm) const;
  // Unit normal of the slice (LPS) and the spacing between slices along it (mm).
  core::Vec3 normal() const { return mNormal; }
  double sliceSpacingMm() const { return mSliceSpacingMm; }
  double mmPerPixel() const { return mMmPerPixel; }
  std::int64_t sliceIndex() const { return mIndex; }
  std::int64_t sliceCount() const { return mCount; }

  // Zoom about view pixel (x, y) by `factor`; pan by pixels.
  void zoom(double factor, double x, double y);
  void pan(double dxPixels, double dyPixels);
  void reset() { mZoom = 1; mPanMm = {0, 0, 0}; }

 private:
  renderer::SliceOrientation mOrientation;
  double mZoom = 1;
  core::Vec3 mPanMm{0, 0, 0};  // offset of the view centre from the slice centre (in plane)
  renderer::SlicePlane mPlane;
  core::Vec3 mU{1, 0, 0}, mV{0, 1, 0}, mNormal{0, 0, 1};
  double mMmPerPixel = 1;
  double mSliceSpacingMm = 1;
  std::int64_t mIndex = 0, mCount = 1;
  int mWidth = 1, mHeight = 1;
};

}  // namespace delineo::app
