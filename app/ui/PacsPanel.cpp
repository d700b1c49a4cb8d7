// PACS panel: the connection, study search with filters, the studies found (patient names
// shown: the user is browsing their own worklist), the series of the chosen study with
// Retrieve & open, and Store SEG for the open labelmap. The work and its messages live in
// app::PacsBrowser; this file only draws them.

#include <imgui.h>
#include <imgui_stdlib.h>

#include "app/desktop/PacsBrowser.h"
#include "app/ui/Panels.h"

namespace delineo::ui {

namespace {

void drawConnection(PanelState& state, app::PacsBrowser& browser, bool busy, app::BackgroundJob& job) {
  io::PacsConnection& c = browser.connection();
  if (!ImGui::TreeNode("Connection")) return;
  ImGui::InputText("Our AE", &c.ourAeTitle);
  ImGui::InputText("PACS AE", &c.peerAeTitle);
  ImGui::InputText("Host", &c.host);
  ImGui::InputInt("Port", &c.port, 0);
  ImGui::Checkbox("DICOM TLS", &c.tls);
  if (c.tls) {
    ImGui::InputTextWithHint("CA", "PEM file trusted for the PACS", &c.tlsTrustedCertificates);
    ImGui::InputTextWithHint("Our cert", "PEM, if the PACS wants one", &c.tlsCertificate);
    ImGui::InputTextWithHint("Our key", "PEM private key", &c.tlsPrivateKey);
  }
  ImGui::BeginDisabled(busy);
  if (ImGui::Button("Echo")) browser.echo(job);
  ImGui::SameLine();
  if (ImGui::Button("Remember")) {
    auto saved = app::savePacsSettings(app::defaultSettingsPath(), c);
    state.pacsSettingsMessage = saved ? "Saved to " + app::defaultSettingsPath() : saved.message();
  }
  ImGui::EndDisabled();
  if (!state.pacsSettingsMessage.empty()) ImGui::TextWrapped("%s", state.pacsSettingsMessage.c_str());
  ImGui::TreePop();
}

void drawFilters(app::PacsBrowser& browser) {
  io::PacsQuery& q = browser.filters();
  ImGui::InputTextWithHint("Patient ID", "any (wildcards * ?)", &q.patientId);
  ImGui::InputTextWithHint("Name", "DOE^J*", &q.patientName);
  ImGui::InputTextWithHint("Date", "YYYYMMDD or range A-B", &q.studyDate);
  ImGui::InputTextWithHint("Modality", "CT, MR...", &q.modality);
  ImGui::InputTextWithHint("Accession", "any", &q.accessionNumber);
}

}  // namespace

void drawPacsPanel(PanelContext& context, app::PacsBrowser& browser) {
  PanelState& state = *context.panels;
  app::BackgroundJob& job = *context.job;
  const bool busy = job.busy();
  drawConnection(state, browser, busy, job);
  drawFilters(browser);
  ImGui::BeginDisabled(busy);
  if (ImGui::Button("Search")) {
    state.pacsSeries = -1;
    browser.findStudies(job);
  }
  ImGui::EndDisabled();

  const auto& studies = browser.studies();
  if (!studies.empty() &&
      ImGui::BeginTable("studies", 3, ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_SizingStretchProp,
                        ImVec2(0, 140))) {
    ImGui::TableSetupColumn("Patient");
    ImGui::TableSetupColumn("Date");
    ImGui::TableSetupColumn("Study");
    ImGui::TableHeadersRow();
    for (int i = 0; i < int(studies.size()); ++i) {
      const io::PacsMatch& m = studies[std::size_t(i)];
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::PushID(i);
      if (ImGui::Selectable(m.patientName.c_str(), browser.selectedStudy() == i, ImGuiSelectableFlags_SpanAllColumns) &&
          !busy) {
        state.pacsSeries = -1;
        browser.findSeries(job, i);
      }
      ImGui::PopID();
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("ID %s, accession %s", m.patientId.c_str(), m.accessionNumber.c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(m.studyDate.c_str());
      ImGui::TableNextColumn();
      ImGui::Text("%s %s", m.modalitiesInStudy.c_str(), m.studyDescription.c_str());
    }
    ImGui::EndTable();
  }

  const auto& series = browser.series();
  if (!series.empty() &&
      ImGui::BeginTable("series", 3, ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_SizingStretchProp,
                        ImVec2(0, 110))) {
    ImGui::TableSetupColumn("#");
    ImGui::TableSetupColumn("Modality");
    ImGui::TableSetupColumn("Description");
    ImGui::TableHeadersRow();
    for (int i = 0; i < int(series.size()); ++i) {
      const io::PacsMatch& m = series[std::size_t(i)];
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::PushID(1000 + i);
      if (ImGui::Selectable(m.seriesNumber.empty() ? "-" : m.seriesNumber.c_str(), state.pacsSeries == i,
                            ImGuiSelectableFlags_SpanAllColumns))
        state.pacsSeries = i;
      ImGui::PopID();
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(m.modality.c_str());
      ImGui::TableNextColumn();
      ImGui::Text("%s (%d)", m.seriesDescription.c_str(), m.instanceCount);
    }
    ImGui::EndTable();
  }

  ImGui::BeginDisabled(busy || state.pacsSeries < 0 || state.pacsSeries >= int(series.size()));
  if (ImGui::Button("Retrieve & open")) browser.retrieve(job, state.pacsSeries, context.open);
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::BeginDisabled(busy || !context.session || (context.edits && context.edits->busy()));
  if (ImGui::Button("Store SEG")) browser.storeSeg(job, *context.session);
  ImGui::EndDisabled();

  if (!browser.message().empty()) {
    if (browser.failed()) ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.0f, 0.45f, 0.4f, 1.0f));
    ImGui::TextWrapped("%s", browser.message().c_str());
    if (browser.failed()) ImGui::PopStyleColor();
  }
}

}  // namespace delineo::ui
