#pragma once
// ViewerState: what the user set up in the viewer that is not part of the document: the linked
// crosshair, how the volume is displayed, the layout and the tool settings. Plain data shared
// by the controllers and the panels (UI thread only).

#include <cstdint>
#include <string>

#include "app/desktop/ViewLayout.h"
#include "core/Math.h"
#include "renderer/FrameParams.h"

namespace delineo::app {

enum class ToolKind {
  Navigate,        // click sets the crosshair; drags navigate
  Brush,           // paint a disk (slices) or sphere (3D) of the active label
  Erase,           // the brush, erasing
  ThresholdBrush,  // the brush, painting only voxels in the threshold range
  Grow,            // click a seed: region grow in the range, preview, then accept or discard
  Contour,         // click polygon points on a slice; Enter fills it
  Scissors,        // 3D view: click an outline; Enter cuts what lies inside along the view
};
const char* toolName(ToolKind tool);

struct ToolSettings {
  ToolKind tool = ToolKind::Navigate;  // active tool
  double brushRadiusMm = 4;            // brush radius (its real extent is drawn as the cursor)
  bool brushSphereOnSlices = false;    // slices: sphere instead of a disk in the slice plane
  std::uint8_t label = 1;              // label the tools paint
  double thresholdLow = 150;           // threshold brush and grow range (data units, HU for CT)
  double thresholdHigh = 3000;
  int connectivity = 6;                // region grow: 6, 18 or 26
  bool paintOverBackgroundOnly = false;  // keep other labels: paint only background voxels
  bool scissorsErase = true;           // scissors: erase (else fill with the label) inside the outline
};

struct ViewerState {
  LayoutKind layout = LayoutKind::FourUp;    // views shown
  core::Vec3 crosshairMm{0, 0, 0};           // linked across all views
  renderer::VolumeDisplay display;           // 3D view and slice window/level
  renderer::SliceDisplay slice;              // label fill/outline on slices
  std::string presetName;                    // transfer function preset shown
  ToolSettings tools;                        // active tool and its settings
  bool showCrosshair = true;                 // draw the crosshair lines
};

}  // namespace delineo::app
