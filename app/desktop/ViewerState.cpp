#include "app/desktop/ViewerState.h"

namespace delineo::app {

const char* toolName(ToolKind tool) {
  switch (tool) {
    case ToolKind::Navigate: return "Navigate";
    case ToolKind::Brush: return "Brush";
    case ToolKind::Erase: return "Erase";
    case ToolKind::ThresholdBrush: return "Threshold brush";
    case ToolKind::Grow: return "Region grow";
    case ToolKind::Contour: return "Contour";
    case ToolKind::Scissors: return "Scissors";
  }
  return "";
}

}  // namespace delineo::app
