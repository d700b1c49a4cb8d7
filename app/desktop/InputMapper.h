#pragma once
// InputMapper: raw window input (GLFW codes) to viewer actions: which view a gesture belongs
// to (a drag stays with the view it started in), in that view's pixel coordinates, and the
// keyboard map. It decides nothing about tools: the app interprets a primary drag by the
// active tool. Scripted input (tests) enters here too, so it takes the same path as a user's.

#include <optional>
#include <string>
#include <vector>

#include "app/desktop/ViewLayout.h"
#include "app/desktop/Window.h"

namespace delineo::app {

enum class Command {
  Undo, Redo, Save, SelectLabel, BrushSmaller, BrushBigger, SetTool, ResetView, CycleLayout,
  Accept, Discard, SliceUp, SliceDown, Screenshot,
};

struct InputAction {
  enum class Kind {
    PrimaryPress, PrimaryDrag, PrimaryRelease,  // left button (the active tool, or orbit/crosshair)
    Hover,                                      // the pointer moved with no button down
    Pan,                                        // middle drag, or Shift + left drag
    Secondary,                                  // right drag: window/level on slices, zoom in 3D
    Scroll,                                     // wheel (dy); with Ctrl: zoom
    Command,                                    // a key binding
  };
  Kind kind = Kind::Hover;
  std::optional<ViewId> view;  // the view the gesture belongs to (none for keys outside views)
  double x = 0, y = 0;         // pointer in the view's pixels (from its top-left)
  double dx = 0, dy = 0;       // drag motion since the last event (pixels), or scroll steps
  bool ctrl = false;
  Command command = Command::Undo;
  int value = 0;               // SelectLabel: the label number; SetTool: a ToolKind
};

struct KeyBinding {
  int key = 0;            // GLFW key code
  int mods = 0;           // GLFW modifier bits that must be held (exactly Ctrl/Shift)
  Command command = Command::Undo;
  int value = 0;
  const char* keys = "";  // as shown to the user: "Ctrl+Z"
  const char* what = "";  // "Undo"
};
// The keyboard map (also what the README and tooltips show).
const std::vector<KeyBinding>& keyBindings();
// "B" for the binding that selects tool `tool` (a ToolKind), "" when none.
std::string toolShortcut(int tool);

class InputMapper : public InputSink {
 public:
  explicit InputMapper(const ViewLayout& layout) : mLayout(layout) {}

  // Whether the UI (ImGui) currently owns the mouse / keyboard: such events are not mapped.
  void setUiCapture(bool mouse, bool keyboard) {
    mUiMouse = mouse;
    mUiKeyboard = keyboard;
  }

  void onCursor(double x, double y) override;
  void onButton(int button, bool pressed, int mods) override;
  void onScroll(double dx, double dy) override;
  void onKey(int key, bool pressed, int mods) override;

  // The actions since the last call, in order.
  std::vector<InputAction> take() { return std::exchange(mActions, {}); }
  double cursorX() const { return mX; }
  double cursorY() const { return mY; }
  // The pointer's view and position in it (status bar, brush cursor).
  std::optional<ViewId> hoverView() const { return mLayout.viewAt(mX, mY); }

 private:
  InputAction at(InputAction::Kind kind, std::optional<ViewId> view) const;

  const ViewLayout& mLayout;
  double mX = -1, mY = -1;
  int mButton = -1;               // button held for the current drag, -1: none
  bool mPanDrag = false;          // the left drag pans (Shift held at press)
  std::optional<ViewId> mDragView;
  int mMods = 0;
  bool mUiMouse = false, mUiKeyboard = false;
  std::vector<InputAction> mActions;
};

}  // namespace delineo::app
