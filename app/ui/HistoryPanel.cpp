// History: the undo steps by name (click one to undo back to it) and the redo steps greyed.

#include <imgui.h>

#include "app/ui/Panels.h"

namespace delineo::ui {

void drawHistoryPanel(PanelContext& c) {
  if (!c.session || !c.edits) return;
  const auto& undo = c.session->history().undoSteps();
  const auto& redo = c.session->history().redoSteps();
  if (ImGui::Selectable("(opened)", undo.empty())) (void)c.edits->undoTo(0);
  for (size_t i = 0; i < undo.size(); ++i) {
    ImGui::PushID(int(i));
    // Each step says who made it (campaigns: several annotators may have worked on one labelmap).
    std::string text = undo[i].annotator.empty() ? undo[i].name : undo[i].name + "  · " + undo[i].annotator;
    if (ImGui::Selectable(text.c_str(), i + 1 == undo.size())) (void)c.edits->undoTo(i + 1);
    ImGui::PopID();
  }
  // Redo steps, next first, greyed: clicking one redoes up to it.
  for (size_t r = redo.size(); r-- > 0;) {
    ImGui::PushID(int(1000 + r));
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    if (ImGui::Selectable(redo[r].name.c_str())) (void)c.edits->undoTo(undo.size() + (redo.size() - r));
    ImGui::PopStyleColor();
    ImGui::PopID();
  }
}

}  // namespace delineo::ui
