// The status bar: what is under the pointer, the running job with its progress and Cancel,
// and the last message of the edit controller.

#include <algorithm>

#include <imgui.h>

#include "app/ui/Panels.h"

namespace delineo::ui {

void drawStatusBar(PanelContext& c, const std::string& hover, float y, float width) {
  ImGui::SetNextWindowPos(ImVec2(0, y));
  ImGui::SetNextWindowSize(ImVec2(width, 0));
  ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                           ImGuiWindowFlags_NoFocusOnAppearing | ImGuiWindowFlags_NoNav;
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(6, 3));
  if (ImGui::Begin("##status", nullptr, flags)) {
    if (c.job && c.job->busy()) {
      ImGui::Text("%s", c.job->title().c_str());
      ImGui::SameLine();
      ImGui::ProgressBar(float(c.job->progress()), ImVec2(200, 0), c.job->stage().c_str());
      ImGui::SameLine();
      if (ImGui::SmallButton("Cancel")) c.job->cancel();
      ImGui::SameLine();
    }
    ImGui::TextUnformatted(hover.empty() ? " " : hover.c_str());
    if (c.edits && !c.edits->message().empty()) {
      ImGui::SameLine(std::max(ImGui::GetCursorPosX() + 20, width - 420));
      ImGui::TextDisabled("%s", c.edits->message().c_str());
    }
  }
  ImGui::End();
  ImGui::PopStyleVar();
}

}  // namespace delineo::ui
