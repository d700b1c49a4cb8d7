#pragma once
// Cameras and slice planes from the names a user gives them. Conventions (a viewer facing the
// patient): the anterior view shows the patient's right on the image left and superior at the
// top; every named view looks at the patient the same way (right = forward x up). Slices:
// axial as seen from the feet (patient's right on the left, anterior up), coronal from the
// front, sagittal from the patient's left (anterior on the left, superior up).

#include <cstdint>
#include <string>
#include <utility>

#include "core/Geometry.h"
#include "core/Result.h"
#include "renderer/FrameParams.h"

namespace delineo::renderer {

enum class NamedView { Anterior, Posterior, Left, Right, Superior, Inferior };
enum class SliceOrientation { Axial, Sagittal, Coronal };

core::Result<NamedView> parseNamedView(const std::string& name);
core::Result<SliceOrientation> parseSliceOrientation(const std::string& name);

struct OrbitView {
  NamedView view = NamedView::Anterior;  // starting direction
  double azimuthDeg = 0;                 // turn about the view's up axis
  double elevationDeg = 0;               // then tilt: positive looks from above
  double zoom = 1;                       // > 1 magnifies
  bool orthographic = false;             // parallel projection
};

// A camera on the centre of the volume's box that frames the whole box. Orthographic views
// without zoom of an axis-aligned volume from a named view put one pixel on each voxel when
// the image size equals the volume's dims across the view.
Camera orbitCamera(const core::Geometry& geometry, const OrbitView& orbit, uint32_t width,
                   uint32_t height);

// The volume's dims across a named view (the image size with one pixel per voxel).
std::pair<uint32_t, uint32_t> viewSizeInVoxels(const core::Geometry& geometry, NamedView view);

// The slice through voxel index `index` along the volume axis nearest to the orientation's
// normal, in-plane along the volume's own axes; scaled to fit width x height (one pixel per
// voxel when the size is sliceSize()).
core::Result<SlicePlane> slicePlane(const core::Geometry& geometry, SliceOrientation orientation,
                                    std::int64_t index, uint32_t width, uint32_t height);
std::pair<uint32_t, uint32_t> sliceSize(const core::Geometry& geometry, SliceOrientation orientation);
// Number of slices along the orientation's normal.
std::int64_t sliceCount(const core::Geometry& geometry, SliceOrientation orientation);

}  // namespace delineo::renderer
