#include <algorithm>
#include <filesystem>

#include <imgui.h>
#include <imgui_stdlib.h>

#include "app/ui/Panels.h"

namespace delineo::ui {

namespace fs = std::filesystem;

void DataPanel::scan(const std::string& folder) {
  mSeriesFolder = folder;
  mSeries.clear();
  auto series = io::scanDicom(folder);
  if (!series) {
    mScanMessage = series.message();
    return;
  }
  mSeries = std::move(series).value();
  mScanMessage = mSeries.empty() ? "no DICOM series in this folder" : "";
}

void DataPanel::draw(PanelContext& c) {
  if (mBrowseDir.empty()) {
    std::error_code ec;
    mBrowseDir = fs::current_path(ec).string();
  }
  ImGui::SetNextItemWidth(-60);
  ImGui::InputTextWithHint("##path", "file or DICOM folder", &mPath);
  ImGui::SameLine();
  bool busy = c.job && c.job->busy();
  if (ImGui::Button("Open") && !busy && !mPath.empty()) {
    if (fs::is_directory(mPath)) scan(mPath);
    if (!fs::is_directory(mPath) || mSeries.size() <= 1) c.open(mPath, "");
  }
  if (ImGui::TreeNode("Browse")) {
    ImGui::TextDisabled("%s", mBrowseDir.c_str());
    if (ImGui::BeginChild("browser", ImVec2(0, 140), true)) {
      if (ImGui::Selectable("..")) mBrowseDir = fs::path(mBrowseDir).parent_path().string();
      std::vector<fs::directory_entry> entries;
      std::error_code ec;
      for (const auto& e : fs::directory_iterator(mBrowseDir, fs::directory_options::skip_permission_denied, ec))
        if (e.path().filename().string()[0] != '.') entries.push_back(e);
      std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
        if (a.is_directory() != b.is_directory()) return a.is_directory();
        return a.path().filename() < b.path().filename();
      });
      for (const auto& e : entries) {
        std::string name = e.path().filename().string() + (e.is_directory() ? "/" : "");
        if (ImGui::Selectable(name.c_str(), mPath == e.path().string(), ImGuiSelectableFlags_AllowDoubleClick)) {
          mPath = e.path().string();
          if (e.is_directory() && ImGui::IsMouseDoubleClicked(0)) mBrowseDir = mPath;
        }
      }
    }
    ImGui::EndChild();
    if (ImGui::Button("List DICOM series here")) scan(mPath.empty() || !fs::is_directory(mPath) ? mBrowseDir : mPath);
    ImGui::TreePop();
  }
  if (!mScanMessage.empty()) ImGui::TextWrapped("%s", mScanMessage.c_str());
  if (!mSeries.empty()) {
    ImGui::TextUnformatted("DICOM series:");
    for (const auto& s : mSeries) {
      std::string text = s.modality + "  " + (s.description.empty() ? "(no description)" : s.description) + "  " +
                         std::to_string(s.imageCount) + " images " + std::to_string(s.columns) + "x" +
                         std::to_string(s.rows);
      ImGui::PushID(s.seriesInstanceUid.c_str());
      if (ImGui::Selectable(text.c_str()) && !busy) c.open(mSeriesFolder, s.seriesInstanceUid);
      ImGui::PopID();
    }
  }
  if (c.recent && !c.recent->empty()) {
    ImGui::TextUnformatted("Recent:");
    for (const auto& r : *c.recent) {
      std::string stem = fs::path(r).filename().string();
      if (ImGui::Selectable(stem.c_str()) && !busy) c.open(r, "");
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", r.c_str());
    }
  }
}

}  // namespace delineo::ui
