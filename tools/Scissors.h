#pragma once
// 3D scissors: a polygon drawn in a view, extruded along the view's rays (from the eye point for
// a perspective view, along the view direction for an orthographic one), fills or erases what
// lies inside (or outside) that prism or cone. Restrict it to an intensity range with the
// LabelEdit's PaintRule::intensityRange.
#include <cstdint>
#include <optional>
#include <vector>

#include "core/Math.h"
#include "core/Result.h"
#include "tools/LabelEdit.h"
#include "tools/VoxelBox.h"

namespace delineo::tools {

struct ScissorsParams {
  enum class Projection {
    Orthographic,  // rays parallel to `directionMm`
    Perspective,   // rays from `eyeMm` through the polygon, beyond the eye only
  };
  enum class Side {
    Inside,   // voxels whose ray passes through the polygon
    Outside,  // all the others
  };
  std::vector<core::Vec3> polygonMm;   // the outline on a picture plane (e.g. the near plane), LPS mm
  Projection projection = Projection::Orthographic;
  core::Vec3 directionMm{0, 0, 1};     // orthographic view direction (any length, not in the polygon's plane)
  core::Vec3 eyeMm{0, 0, 0};           // perspective eye point (not on the polygon's plane)
  Side side = Side::Inside;
  bool erase = false;                  // clear `label` (0: any label) instead of painting it
  std::uint8_t label = 1;
  std::optional<VoxelBox> roi;         // default: the whole volume
};


core::Result<std::int64_t> applyScissors(LabelEdit& edit, const ScissorsParams& params);

}  // namespace delineo::tools
