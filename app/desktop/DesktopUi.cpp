// DesktopApp, part 3: the window's UI: menu bar, the panel column, the status bar, overlays
// over the views and the modal questions (unsaved changes on close, recovery notices).

#include <imgui.h>

#include "app/desktop/DesktopApp.h"
#include "app/desktop/PacsBrowser.h"
#include "app/ui/CampaignPanel.h"
#include "app/ui/Panels.h"
#include "renderer/Camera.h"

namespace delineo::app {

namespace {
constexpr float kPanelWidth = 320;
constexpr float kStatusHeight = 22;
}  // namespace

void DesktopApp::drawMenuBar() {
  if (!ImGui::BeginMainMenuBar()) return;
  const bool canEdit = mEdits && !mEdits->busy();
  if (ImGui::BeginMenu("File")) {
    if (ImGui::MenuItem("Save labelmap", "Ctrl+S", false, canEdit)) mEdits->save();
    if (ImGui::MenuItem("Save screenshot", "Ctrl+P")) mScreenshotRequested = true;
    ImGui::Separator();
    if (ImGui::MenuItem("Quit")) mWindow->setCloseRequested(true);
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("Edit")) {
    if (ImGui::MenuItem("Undo", "Ctrl+Z", false, canEdit && mSession->history().canUndo())) (void)mEdits->undo();
    if (ImGui::MenuItem("Redo", "Ctrl+Y", false, canEdit && mSession->history().canRedo())) (void)mEdits->redo();
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("View")) {
    const std::pair<const char*, LayoutKind> layouts[] = {{"Four-up", LayoutKind::FourUp},
                                                          {"3D", LayoutKind::Volume3D},
                                                          {"Axial", LayoutKind::Axial},
                                                          {"Sagittal", LayoutKind::Sagittal},
                                                          {"Coronal", LayoutKind::Coronal}};
    for (auto [name, kind] : layouts)
      if (ImGui::MenuItem(name, nullptr, mState.layout == kind)) mState.layout = kind;
    ImGui::Separator();
    const std::pair<const char*, renderer::NamedView> named[] = {
        {"Anterior", renderer::NamedView::Anterior}, {"Posterior", renderer::NamedView::Posterior},
        {"Left", renderer::NamedView::Left},         {"Right", renderer::NamedView::Right},
        {"Superior", renderer::NamedView::Superior}, {"Inferior", renderer::NamedView::Inferior}};
    for (auto [name, view] : named)
      if (ImGui::MenuItem(name)) mViews.volume().setNamedView(view);
    ImGui::Separator();
    if (ImGui::MenuItem("Reset views", "R")) {
      mViews.volume().reset();
      for (ViewId v : {ViewId::Axial, ViewId::Sagittal, ViewId::Coronal}) mViews.slice(v).reset();
    }
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("Help")) {
    for (const auto& b : keyBindings())
      if (*b.what) ImGui::MenuItem(b.what, b.keys, false, false);
    ImGui::EndMenu();
  }
  if (mLastFrameMs > 0) {
    ImGui::SameLine(ImGui::GetWindowWidth() - 110);
    ImGui::TextDisabled("%.0f ms/frame", mLastFrameMs);
  }
  ImGui::EndMainMenuBar();
}

void DesktopApp::drawModals() {
  if (!mNotices.empty() && !ImGui::IsPopupOpen("Notice")) ImGui::OpenPopup("Notice");
  if (ImGui::BeginPopupModal("Notice", nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
    for (const auto& n : mNotices) ImGui::BulletText("%s", n.c_str());
    if (ImGui::Button("OK") || mOptions.frames > 0) {
      mNotices.clear();
      ImGui::CloseCurrentPopup();
    }
    ImGui::EndPopup();
  }
  if (mConfirmClose && !ImGui::IsPopupOpen("Unsaved changes")) ImGui::OpenPopup("Unsaved changes");
  if (ImGui::BeginPopupModal("Unsaved changes", nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
    ImGui::Text("The labelmap has unsaved edits (they are journaled and can be recovered).");
    if (ImGui::Button("Save and quit") && mEdits) {
      mEdits->save();
      mJob.finish();
      mClosing = !mSession->unsavedChanges();
      mConfirmClose = false;
      ImGui::CloseCurrentPopup();
    }
    ImGui::SameLine();
    if (ImGui::Button("Quit without saving")) {
      mClosing = true;
      mConfirmClose = false;
      ImGui::CloseCurrentPopup();
    }
    ImGui::SameLine();
    if (ImGui::Button("Cancel")) {
      mConfirmClose = false;
      ImGui::CloseCurrentPopup();
    }
    ImGui::EndPopup();
  }
}

void DesktopApp::drawUi() {
  ImGuiIO& io = ImGui::GetIO();
  drawMenuBar();
  const float top = ImGui::GetFrameHeight();
  const float height = io.DisplaySize.y;
  ui::PanelContext context;
  context.panels = mPanels.get();
  context.session = mSession.get();
  context.edits = mEdits.get();
  context.state = &mState;
  context.job = &mJob;
  context.histogram = &mHistogram;
  if (mSession) context.valueRange = mSession->volume().valueRange();
  context.recent = &mRecent;
  context.open = [this](const std::string& path, const std::string&) { openStudy(path, ""); };
  context.applyPreset = [this](const std::string& name) { applyPreset(name); };

  ImGui::SetNextWindowPos(ImVec2(0, top));
  ImGui::SetNextWindowSize(ImVec2(kPanelWidth, height - top - kStatusHeight));
  ImGuiWindowFlags flags = ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse |
                           ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoSavedSettings;
  if (ImGui::Begin("Panels", nullptr, flags)) {
    if (mCampaign && ImGui::CollapsingHeader("Campaign", ImGuiTreeNodeFlags_DefaultOpen)) {
      ui::CampaignView view{&*mCampaign, mOptions.annotator, mCampaignCase, [this] {
                              if (!openNextCase() && mEdits) mEdits->setMessage("No case left in the campaign");
                            }};
      mCampaignPanel->draw(context, view);
    }
    if (ImGui::CollapsingHeader("Data")) mDataPanel->draw(context);
    if (ImGui::CollapsingHeader("PACS")) ui::drawPacsPanel(context, *mPacs);
    if (ImGui::CollapsingHeader("Display")) ui::drawDisplayPanel(context);
    if (ImGui::CollapsingHeader("Labels", ImGuiTreeNodeFlags_DefaultOpen)) ui::drawLabelsPanel(context);
    if (ImGui::CollapsingHeader("Tools", ImGuiTreeNodeFlags_DefaultOpen)) ui::drawToolsPanel(context);
    if (ImGui::CollapsingHeader("History", ImGuiTreeNodeFlags_DefaultOpen)) ui::drawHistoryPanel(context);
  }
  ImGui::End();
  std::string status = mStatusHover;
  if (!mSession && mJob.busy()) status = "Loading...";
  ui::drawStatusBar(context, status, height - kStatusHeight, io.DisplaySize.x);
  if (mSession) mViews.drawViewNames(ImGui::GetBackgroundDrawList());
  drawModals();
}

}  // namespace delineo::app
