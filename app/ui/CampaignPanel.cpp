#include "app/ui/CampaignPanel.h"

#include <imgui.h>

namespace delineo::ui {

void CampaignPanel::draw(PanelContext& context, const CampaignView& view) {
  if (!view.campaign) return;
  const app::Campaign& campaign = *view.campaign;
  // campaignStatus() reads every labelmap: refreshed on demand, not per frame.
  if (mStale) {
    mStatuses = app::campaignStatus(campaign);
    mStale = false;
  }
  ImGui::Text("%s · %s", campaign.name.c_str(), view.annotator.c_str());
  if (ImGui::BeginTable("cases", 2, ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_RowBg)) {
    for (const app::AssignmentStatus& s : mStatuses) {
      if (s.annotator != view.annotator) continue;
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      const bool current = s.caseId == view.currentCase;
      ImGui::Text("%s%s", current ? "> " : "  ", s.caseId.c_str());
      if (!s.problems.empty() && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", s.problems.front().c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(s.status.c_str());
    }
    ImGui::EndTable();
  }
  const bool canEdit = context.session && context.edits && !context.edits->busy();
  ImGui::BeginDisabled(!canEdit);
  if (ImGui::Button("Submit case")) {
    auto step = app::submitCaseStep(context.session->labelmap(), campaign, context.session->annotator());
    if (!step) {
      context.edits->setMessage(step.message());
    } else {
      // Applied, then committed: one journaled, undoable step.
      context.session->labelmapForEdit().labels() = *step->tableAfter;
      auto committed = context.session->commit(std::move(step).value());
      context.edits->setMessage(committed ? "Case submitted" : committed.message());
      if (committed) context.edits->save();
    }
    mStale = true;
  }
  ImGui::SameLine();
  if (ImGui::Button("Next case") && view.next) {
    view.next();
    mStale = true;
  }
  ImGui::SameLine();
  if (ImGui::Button("Refresh")) mStale = true;
  ImGui::EndDisabled();
}

}  // namespace delineo::ui
