#include <imgui.h>

#include "app/desktop/InputMapper.h"
#include "app/ui/Panels.h"

namespace delineo::ui {

namespace {

void toolButton(PanelContext& c, app::ToolKind tool, const char* tip) {
  bool active = c.state->tools.tool == tool;
  if (active) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_ButtonActive));
  if (ImGui::Button(app::toolName(tool))) c.state->tools.tool = tool;
  if (active) ImGui::PopStyleColor();
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s (%s)", tip, app::toolShortcut(int(tool)).c_str());
  ImGui::SameLine();
}

void run(PanelContext& c, const nlohmann::json& op) {
  auto r = c.edits->apply(op);
  c.edits->setMessage(r ? (r->empty() ? "Nothing changed" : "Committed: " + *r) : r.message());
}

}  // namespace

void drawToolsPanel(PanelContext& c) {
  app::ToolSettings& t = c.state->tools;
  toolButton(c, app::ToolKind::Navigate, "Click or drag sets the crosshair; drag in 3D orbits");
  toolButton(c, app::ToolKind::Brush, "Paint the active label; the yellow circle is the brush's real extent");
  toolButton(c, app::ToolKind::Erase, "Erase with the brush");
  ImGui::NewLine();
  toolButton(c, app::ToolKind::ThresholdBrush, "Brush that paints only voxels in the range");
  toolButton(c, app::ToolKind::Grow, "Click a seed: region grow in the range; Enter accepts, Esc discards");
  ImGui::NewLine();
  toolButton(c, app::ToolKind::Contour, "Click polygon points on a slice; Enter fills it");
  toolButton(c, app::ToolKind::Scissors, "3D view: click an outline; Enter cuts what lies inside along the view");
  ImGui::NewLine();
  float radius = float(t.brushRadiusMm);
  if (ImGui::SliderFloat("Radius mm", &radius, 0.5f, 50.0f, "%.1f", ImGuiSliderFlags_Logarithmic)) t.brushRadiusMm = radius;
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("[ and ] change it");
  ImGui::Checkbox("Sphere on slices", &t.brushSphereOnSlices);
  ImGui::SameLine();
  ImGui::Checkbox("Background only", &t.paintOverBackgroundOnly);
  float range[2] = {float(t.thresholdLow), float(t.thresholdHigh)};
  if (ImGui::DragFloat2("Range", range, 2.0f, float(c.valueRange.first), float(c.valueRange.second), "%.0f")) {
    t.thresholdLow = std::min(range[0], range[1]);
    t.thresholdHigh = std::max(range[0], range[1]);
  }
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Intensity range of the threshold brush and region grow");
  const char* conn[] = {"6", "18", "26"};
  int ci = t.connectivity == 26 ? 2 : t.connectivity == 18 ? 1 : 0;
  if (ImGui::Combo("Connectivity", &ci, conn, 3)) t.connectivity = ci == 2 ? 26 : ci == 1 ? 18 : 6;
  ImGui::Checkbox("Scissors erase", &t.scissorsErase);
  if (!c.edits) return;
  if (c.edits->previewing()) {
    ImGui::Text("Grow preview: %lld voxels", static_cast<long long>(c.edits->previewVoxels()));
    if (ImGui::Button("Accept")) {
      auto r = c.edits->acceptPreview();
      if (!r) c.edits->setMessage(r.message());
    }
    ImGui::SameLine();
    if (ImGui::Button("Discard")) c.edits->discardPreview();
  }
  ImGui::Separator();
  const int label = t.label;
  if (ImGui::Button("Grow from seeds")) run(c, {{"tool", "grow_from_seeds"}});
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Every label seeds; unlabelled voxels take the cheapest label");
  ImGui::SameLine();
  if (ImGui::Button("Interpolate")) run(c, {{"tool", "interpolate"}, {"label", label}, {"axis", 2}});
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Fill the active label between its contoured axial slices");
  if (ImGui::Button("Keep largest")) run(c, {{"tool", "islands"}, {"label", label}, {"mode", "keep_largest"}});
  ImGui::SameLine();
  if (ImGui::Button("Fill holes")) run(c, {{"tool", "fill_holes"}, {"label", label}});
  ImGui::SameLine();
  if (ImGui::Button("Smooth")) run(c, {{"tool", "smooth"}, {"label", label}, {"method", "median"}, {"radius_mm", 1.5}});
  float& margin = c.panels->marginMm;
  ImGui::SetNextItemWidth(80);
  ImGui::DragFloat("##margin", &margin, 0.1f, -20, 20, "%.1f mm");
  ImGui::SameLine();
  if (ImGui::Button("Margin")) run(c, {{"tool", "margin"}, {"label", label}, {"margin_mm", margin}});
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Grow (> 0) or shrink (< 0) the active label");
}

}  // namespace delineo::ui
