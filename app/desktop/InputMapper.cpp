#include "app/desktop/InputMapper.h"

#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>

#include "app/desktop/ViewerState.h"

namespace delineo::app {

const std::vector<KeyBinding>& keyBindings() {
  static const std::vector<KeyBinding> kBindings = {
      {GLFW_KEY_Z, GLFW_MOD_CONTROL, Command::Undo, 0, "Ctrl+Z", "Undo"},
      {GLFW_KEY_Y, GLFW_MOD_CONTROL, Command::Redo, 0, "Ctrl+Y", "Redo"},
      {GLFW_KEY_Z, GLFW_MOD_CONTROL | GLFW_MOD_SHIFT, Command::Redo, 0, "Ctrl+Shift+Z", "Redo"},
      {GLFW_KEY_S, GLFW_MOD_CONTROL, Command::Save, 0, "Ctrl+S", "Save the labelmap"},
      {GLFW_KEY_P, GLFW_MOD_CONTROL, Command::Screenshot, 0, "Ctrl+P", "Save a screenshot"},
      {GLFW_KEY_1, 0, Command::SelectLabel, 1, "1", "Select label 1 (2..9 likewise)"},
      {GLFW_KEY_2, 0, Command::SelectLabel, 2, "2", ""},
      {GLFW_KEY_3, 0, Command::SelectLabel, 3, "3", ""},
      {GLFW_KEY_4, 0, Command::SelectLabel, 4, "4", ""},
      {GLFW_KEY_5, 0, Command::SelectLabel, 5, "5", ""},
      {GLFW_KEY_6, 0, Command::SelectLabel, 6, "6", ""},
      {GLFW_KEY_7, 0, Command::SelectLabel, 7, "7", ""},
      {GLFW_KEY_8, 0, Command::SelectLabel, 8, "8", ""},
      {GLFW_KEY_9, 0, Command::SelectLabel, 9, "9", ""},
      {GLFW_KEY_LEFT_BRACKET, 0, Command::BrushSmaller, 0, "[", "Smaller brush"},
      {GLFW_KEY_RIGHT_BRACKET, 0, Command::BrushBigger, 0, "]", "Larger brush"},
      {GLFW_KEY_N, 0, Command::SetTool, int(ToolKind::Navigate), "N", "Navigate (click sets the crosshair)"},
      {GLFW_KEY_B, 0, Command::SetTool, int(ToolKind::Brush), "B", "Brush"},
      {GLFW_KEY_E, 0, Command::SetTool, int(ToolKind::Erase), "E", "Erase"},
      {GLFW_KEY_T, 0, Command::SetTool, int(ToolKind::ThresholdBrush), "T", "Threshold brush"},
      {GLFW_KEY_G, 0, Command::SetTool, int(ToolKind::Grow), "G", "Region grow (click a seed)"},
      {GLFW_KEY_C, 0, Command::SetTool, int(ToolKind::Contour), "C", "Polygon contour on a slice"},
      {GLFW_KEY_X, 0, Command::SetTool, int(ToolKind::Scissors), "X", "3D scissors (3D view)"},
      {GLFW_KEY_ENTER, 0, Command::Accept, 0, "Enter", "Accept the grow preview / close the contour or outline"},
      {GLFW_KEY_ESCAPE, 0, Command::Discard, 0, "Esc", "Discard the preview, contour or outline"},
      {GLFW_KEY_R, 0, Command::ResetView, 0, "R", "Reset the view under the pointer"},
      {GLFW_KEY_L, 0, Command::CycleLayout, 0, "L", "Four-up / the view under the pointer alone"},
      {GLFW_KEY_PAGE_UP, 0, Command::SliceUp, 0, "PgUp / Up", "Next slice"},
      {GLFW_KEY_UP, 0, Command::SliceUp, 0, "", ""},
      {GLFW_KEY_PAGE_DOWN, 0, Command::SliceDown, 0, "PgDn / Down", "Previous slice"},
      {GLFW_KEY_DOWN, 0, Command::SliceDown, 0, "", ""},
  };
  return kBindings;
}

std::string toolShortcut(int tool) {
  for (const auto& b : keyBindings())
    if (b.command == Command::SetTool && b.value == tool) return b.keys;
  return {};
}

InputAction InputMapper::at(InputAction::Kind kind, std::optional<ViewId> view) const {
  InputAction a;
  a.kind = kind;
  a.view = view;
  a.ctrl = (mMods & GLFW_MOD_CONTROL) != 0;
  if (view) {
    if (auto r = mLayout.rect(*view)) {
      a.x = mX - r->x;
      a.y = mY - r->y;
    }
  }
  return a;
}

void InputMapper::onCursor(double x, double y) {
  double dx = x - mX, dy = y - mY;
  mX = x;
  mY = y;
  if (mButton < 0) {
    if (!mUiMouse) mActions.push_back(at(InputAction::Kind::Hover, mLayout.viewAt(x, y)));
    return;
  }
  InputAction::Kind kind = mButton == GLFW_MOUSE_BUTTON_MIDDLE || mPanDrag ? InputAction::Kind::Pan
                           : mButton == GLFW_MOUSE_BUTTON_RIGHT           ? InputAction::Kind::Secondary
                                                                          : InputAction::Kind::PrimaryDrag;
  InputAction a = at(kind, mDragView);
  a.dx = dx;
  a.dy = dy;
  mActions.push_back(a);
}

void InputMapper::onButton(int button, bool pressed, int mods) {
  mMods = mods;
  if (pressed) {
    if (mButton >= 0 || mUiMouse) return;  // one drag at a time; the UI's clicks are its own
    auto view = mLayout.viewAt(mX, mY);
    if (!view) return;
    mButton = button;
    mDragView = view;
    mPanDrag = button == GLFW_MOUSE_BUTTON_LEFT && (mods & GLFW_MOD_SHIFT);
    if (button == GLFW_MOUSE_BUTTON_LEFT && !mPanDrag) mActions.push_back(at(InputAction::Kind::PrimaryPress, view));
    return;
  }
  if (button != mButton) return;
  if (button == GLFW_MOUSE_BUTTON_LEFT && !mPanDrag) mActions.push_back(at(InputAction::Kind::PrimaryRelease, mDragView));
  mButton = -1;
  mPanDrag = false;
  mDragView.reset();
}

void InputMapper::onScroll(double, double dy) {
  if (mUiMouse) return;
  auto view = mLayout.viewAt(mX, mY);
  if (!view) return;
  InputAction a = at(InputAction::Kind::Scroll, view);
  a.dy = dy;
  mActions.push_back(a);
}

void InputMapper::onKey(int key, bool pressed, int mods) {
  mMods = pressed ? mods : 0;
  if (!pressed || mUiKeyboard) return;
  const int relevant = mods & (GLFW_MOD_CONTROL | GLFW_MOD_SHIFT);
  for (const auto& b : keyBindings()) {
    if (b.key != key || b.mods != relevant) continue;
    InputAction a = at(InputAction::Kind::Command, mLayout.viewAt(mX, mY));
    a.command = b.command;
    a.value = b.value;
    mActions.push_back(a);
    return;
  }
}

}  // namespace delineo::app
