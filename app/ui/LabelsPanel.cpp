#include <array>
#include <cmath>

#include <imgui.h>
#include <imgui_stdlib.h>

#include "app/ui/Panels.h"

namespace delineo::ui {

namespace {

void run(PanelContext& c, const nlohmann::json& op) {
  auto r = c.edits->apply(op);
  if (!r) c.edits->setMessage(r.message());
  else c.edits->setMessage("Committed: " + *r);
}

}  // namespace

void drawLabelsPanel(PanelContext& c) {
  if (!c.session || !c.edits) return;
  const bool busy = c.edits->busy();
  const core::Labelmap& labelmap = c.session->labelmap();
  PanelState& p = *c.panels;
  // Voxel counts are recounted only when the document changed (a new undo step or undo/redo).
  if (!busy && (p.countedAtDepth != c.session->history().undoSteps().size() || p.countedHash != c.session->hash())) {
    p.voxelCounts = labelmap.histogram();
    p.countedAtDepth = c.session->history().undoSteps().size();
    p.countedHash = c.session->hash();
  }
  const auto& counts = p.voxelCounts;
  const double voxelMl = labelmap.geometry().voxelVolumeMm3() / 1000.0;
  std::uint8_t& mergeInto = p.mergeInto;
  if (ImGui::BeginTable("labels", 6, ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_RowBg)) {
    ImGui::TableSetupColumn("");
    ImGui::TableSetupColumn("Name", ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableSetupColumn("Vis");
    ImGui::TableSetupColumn("Lock");
    ImGui::TableSetupColumn("Voxels");
    ImGui::TableSetupColumn("mL");
    ImGui::TableHeadersRow();
    int index = 0;
    for (const auto& l : labelmap.labels().labels()) {
      ++index;
      ImGui::PushID(l.id);
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      // A drag in the picker edits a copy; releasing it commits one undo step, not one per change.
      const bool editing = p.editingColorLabel == int(l.id);
      std::array<float, 4> rgba = editing ? p.editingColor
                                          : std::array<float, 4>{l.rgba[0] / 255.f, l.rgba[1] / 255.f,
                                                                 l.rgba[2] / 255.f, l.rgba[3] / 255.f};
      if (ImGui::ColorEdit4("##c", rgba.data(), ImGuiColorEditFlags_NoInputs | ImGuiColorEditFlags_NoLabel)) {
        p.editingColorLabel = l.id;
        p.editingColor = rgba;
      }
      if (ImGui::IsItemDeactivatedAfterEdit() && p.editingColorLabel == int(l.id)) {
        p.editingColorLabel = -1;
        if (!busy)
          run(c, {{"tool", "label.color"},
                  {"label", l.id},
                  {"color", {int(std::lround(rgba[0] * 255)), int(std::lround(rgba[1] * 255)),
                             int(std::lround(rgba[2] * 255)), int(std::lround(rgba[3] * 255))}}});
      }
      ImGui::TableNextColumn();
      bool active = c.state->tools.label == l.id;
      std::string name = l.name;
      ImGui::SetNextItemWidth(-1);
      if (ImGui::Selectable((std::to_string(index) + "##sel").c_str(), active, 0, ImVec2(14, 0)))
        c.state->tools.label = l.id;
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("Paint with this label (key %d)", index);
      ImGui::SameLine();
      ImGui::SetNextItemWidth(-1);
      if (ImGui::InputText("##n", &name, ImGuiInputTextFlags_EnterReturnsTrue) && !busy && name != l.name &&
          !name.empty())
        run(c, {{"tool", "label.rename"}, {"label", l.id}, {"name", name}});
      ImGui::TableNextColumn();
      bool visible = l.visible;
      if (ImGui::Checkbox("##v", &visible) && !busy) run(c, {{"tool", "label.visible"}, {"label", l.id}, {"visible", visible}});
      ImGui::TableNextColumn();
      bool locked = l.locked;
      if (ImGui::Checkbox("##l", &locked) && !busy) run(c, {{"tool", "label.lock"}, {"label", l.id}, {"locked", locked}});
      ImGui::TableNextColumn();
      ImGui::Text("%lld", static_cast<long long>(counts[l.id]));
      ImGui::TableNextColumn();
      ImGui::Text("%.1f", double(counts[l.id]) * voxelMl);
      ImGui::PopID();
    }
    ImGui::EndTable();
  }
  std::string& newName = p.newLabelName;
  ImGui::SetNextItemWidth(140);
  ImGui::InputText("##new", &newName);
  ImGui::SameLine();
  if (ImGui::Button("Add") && !busy) run(c, {{"tool", "label.add"}, {"name", newName}});
  const core::Label* active = labelmap.labels().find(c.state->tools.label);
  if (active) {
    if (ImGui::Button("Delete active") && !busy) run(c, {{"tool", "label.delete"}, {"label", active->id}});
    ImGui::SameLine();
    const core::Label* into = labelmap.labels().find(mergeInto);
    ImGui::SetNextItemWidth(110);
    if (ImGui::BeginCombo("##into", into ? into->name.c_str() : "merge into...")) {
      for (const auto& l : labelmap.labels().labels())
        if (l.id != active->id && ImGui::Selectable(l.name.c_str())) mergeInto = l.id;
      ImGui::EndCombo();
    }
    ImGui::SameLine();
    if (ImGui::Button("Merge") && into && !busy)
      run(c, {{"tool", "label.merge"}, {"from", active->id}, {"into", into->id}});
  }
}

}  // namespace delineo::ui
