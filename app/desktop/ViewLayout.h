#pragma once
// ViewLayout: where the 3D view and the three slice views lie in the window: four-up (3D
// beside axial, sagittal, coronal) or one large view, inside the area the panels leave free.
// All views share one size, so one render() call draws them as layers of one target.

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "core/Result.h"

namespace delineo::app {

enum class ViewId { Volume3D = 0, Axial = 1, Sagittal = 2, Coronal = 3 };
constexpr int kViewCount = 4;

enum class LayoutKind { FourUp, Volume3D, Axial, Sagittal, Coronal };

core::Result<LayoutKind> parseLayout(const std::string& name);
const char* layoutName(LayoutKind kind);
const char* viewName(ViewId view);

struct Rect {
  int x = 0, y = 0, width = 0, height = 0;  // window pixels, y down
  bool contains(double px, double py) const {
    return px >= x && py >= y && px < x + width && py < y + height;
  }
};

struct LayoutMargins {
  int left = 320;   // the panel column
  int top = 20;     // the menu bar
  int bottom = 22;  // the status bar
  int gap = 2;      // between views
};

class ViewLayout {
 public:
  // Lays the views out in a window of `width` x `height` pixels.
  void update(LayoutKind kind, int width, int height, const LayoutMargins& margins);

  LayoutKind kind() const { return mKind; }
  // The visible views in layer order (layer i of the render target shows visible()[i]).
  const std::vector<ViewId>& visible() const { return mVisible; }
  // Rectangle of a visible view; nullopt when the view is hidden.
  std::optional<Rect> rect(ViewId view) const;
  // The common size of every view's image.
  int viewWidth() const { return mCell.width; }
  int viewHeight() const { return mCell.height; }
  // The view under a window position.
  std::optional<ViewId> viewAt(double x, double y) const;
  int layerOf(ViewId view) const;

 private:
  LayoutKind mKind = LayoutKind::FourUp;
  std::vector<ViewId> mVisible;
  std::array<Rect, kViewCount> mRects{};
  Rect mCell;
};

}  // namespace delineo::app
