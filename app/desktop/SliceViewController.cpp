#include "app/desktop/SliceViewController.h"

#include <algorithm>
#include <cmath>

namespace delineo::app {

renderer::SlicePlane SliceViewController::update(const core::Geometry& g, core::Vec3 crosshairMm, int width,
                                                 int height) {
  mWidth = std::max(1, width);
  mHeight = std::max(1, height);
  auto [natW, natH] = renderer::sliceSize(g, mOrientation);
  mCount = renderer::sliceCount(g, mOrientation);
  // Which volume axis is the slice normal: the one the crosshair moves along between slices.
  auto base0 = renderer::slicePlane(g, mOrientation, 0, natW, natH);
  auto base1 = renderer::slicePlane(g, mOrientation, std::min<std::int64_t>(1, mCount - 1), natW, natH);
  core::Vec3 step = base1->originMm - base0->originMm;
  mU = core::normalize(base0->columnStepMm);
  mV = core::normalize(base0->rowStepMm);
  mNormal = core::normalize(core::cross(mU, mV));
  mSliceSpacingMm = mCount > 1 ? std::abs(core::dot(step, mNormal)) : 1;
  // Slice index of the crosshair: its offset from slice 0 along the normal.
  double along = mCount > 1 ? core::dot(crosshairMm - base0->originMm, step) / core::dot(step, step) : 0;
  mIndex = std::clamp<std::int64_t>(std::llround(along), 0, mCount - 1);
  auto plane = renderer::slicePlane(g, mOrientation, mIndex, natW, natH);

  double wMm = natW * core::length(plane->columnStepMm), hMm = natH * core::length(plane->rowStepMm);
  mMmPerPixel = std::max(wMm / mWidth, hMm / mHeight) / mZoom;
  core::Vec3 centre = plane->originMm + plane->columnStepMm * ((natW - 1) / 2.0) +
                      plane->rowStepMm * ((natH - 1) / 2.0) + mPanMm;
  mPlane.columnStepMm = mU * mMmPerPixel;
  mPlane.rowStepMm = mV * mMmPerPixel;
  mPlane.originMm = centre - mPlane.columnStepMm * ((mWidth - 1) / 2.0) - mPlane.rowStepMm * ((mHeight - 1) / 2.0);
  return mPlane;
}

core::Vec3 SliceViewController::pixelToMm(double x, double y) const {
  return mPlane.originMm + mPlane.columnStepMm * (x - 0.5) + mPlane.rowStepMm * (y - 0.5);
}

std::pair<double, double> SliceViewController::mmToPixel(core::Vec3 p) const {
  core::Vec3 d = p - mPlane.originMm;
  return {core::dot(d, mU) / mMmPerPixel + 0.5, core::dot(d, mV) / mMmPerPixel + 0.5};
}

void SliceViewController::zoom(double factor, double x, double y) {
  // Keep the point under the cursor where it is.
  core::Vec3 before = pixelToMm(x, y);
  double newZoom = std::clamp(mZoom * factor, 0.25, 40.0);
  double mmpp = mMmPerPixel * mZoom / newZoom;
  core::Vec3 centre = mPlane.originMm + mPlane.columnStepMm * ((mWidth - 1) / 2.0) + mPlane.rowStepMm * ((mHeight - 1) / 2.0);
  core::Vec3 offset = before - centre;
  core::Vec3 scaled = offset * (mmpp / mMmPerPixel);
  mPanMm = mPanMm + (offset - scaled);
  mZoom = newZoom;
}

void SliceViewController::pan(double dx, double dy) {
  mPanMm = mPanMm - mU * (dx * mMmPerPixel) - mV * (dy * mMmPerPixel);
}

}  // namespace delineo::app
