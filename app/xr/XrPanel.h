#pragma once
// XrPanel: the world-space panel: a Dear ImGui window (label table, tool settings, history,
// frame timing) drawn into an RGBA image on the CPU (a small triangle rasteriser over ImGui's
// draw lists, so it needs no window and no Vulkan backend), shown on a quad and clicked with
// the controller ray (XrCommand::PanelPointer). Owns its own ImGui context; what the user
// clicked comes back as PanelActions for the scene to carry out.

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "app/xr/XrInteraction.h"
#include "renderer/RgbaImage.h"

struct ImGuiContext;

namespace delineo::app::xr {

// What the panel shows (read-only for it).
struct PanelModel {
  struct LabelRow {
    std::uint8_t id = 0;
    std::string name;
    std::array<std::uint8_t, 4> rgba{};
    bool visible = true;
  };
  std::vector<LabelRow> labels;
  std::vector<std::string> history;  // undo steps, oldest first
  std::size_t redoCount = 0;
  XrToolSettings tools;
  std::string message;               // last edit message
  double frameMs = 0;                // smoothed frame time
  double resolutionScale = 1;        // adaptive quality state
  double stepScale = 1;
};

struct PanelAction {
  enum class Kind { SelectTool, SelectLabel, ToggleLabelVisible, SetRadius, Undo, Redo };
  Kind kind;
  int value = 0;       // tool (XrTool), label id
  double number = 0;   // radius mm
};

// Fixed places of the main buttons (fractions of the panel) so scripts can click them.
enum class PanelButton { Brush, Erase, Grow, Contour, Undo, Redo };  // tools in XrTool's order

class XrPanel {
 public:
  static constexpr int kWidth = 512;
  static constexpr int kHeight = 384;

  XrPanel();
  ~XrPanel();
  XrPanel(const XrPanel&) = delete;
  XrPanel& operator=(const XrPanel&) = delete;

  // The centre of a button in panel coordinates (u, v in 0..1).
  static std::pair<double, double> buttonUv(PanelButton button);

  // Feeds the pointer (u, v outside 0..1: not on the panel), builds the UI and rasterises it.
  std::vector<PanelAction> frame(const PanelModel& model, double u, double v, bool pressed, double dtS);
  const renderer::RgbaImage& image() const { return mImage; }

 private:
  void rasterise();

  ImGuiContext* mContext = nullptr;
  std::vector<std::uint8_t> mFont;  // alpha atlas
  int mFontW = 0, mFontH = 0;
  renderer::RgbaImage mImage;
};

}  // namespace delineo::app::xr
