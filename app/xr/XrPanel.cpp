#include "app/xr/XrPanel.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include <imgui.h>

namespace delineo::app::xr {

namespace {

constexpr float kButtonW = 74, kButtonH = 30, kButtonY = 8, kButtonX0 = 8, kButtonGap = 8;

// Keeps the application's own ImGui context (desktop mirror) current outside the panel.
class ContextScope {
 public:
  explicit ContextScope(ImGuiContext* c) : mPrevious(ImGui::GetCurrentContext()) { ImGui::SetCurrentContext(c); }
  ~ContextScope() { ImGui::SetCurrentContext(mPrevious); }

 private:
  ImGuiContext* mPrevious;
};

float edgeFn(ImVec2 a, ImVec2 b, ImVec2 p) { return (b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x); }

}  // namespace

XrPanel::XrPanel() {
  ImGuiContext* previous = ImGui::GetCurrentContext();
  mContext = ImGui::CreateContext();
  ImGui::SetCurrentContext(mContext);
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;
  io.DisplaySize = ImVec2(static_cast<float>(kWidth), static_cast<float>(kHeight));
  io.FontGlobalScale = 1.25f;
  ImGui::StyleColorsDark();
  ImGui::GetStyle().WindowRounding = 0;
  unsigned char* pixels = nullptr;
  int w = 0, h = 0;
  io.Fonts->GetTexDataAsAlpha8(&pixels, &w, &h);
  mFont.assign(pixels, pixels + static_cast<size_t>(w) * h);
  mFontW = w;
  mFontH = h;
  io.Fonts->SetTexID(reinterpret_cast<ImTextureID>(static_cast<intptr_t>(1)));
  ImGui::SetCurrentContext(previous);
  mImage.width = kWidth;
  mImage.height = kHeight;
  mImage.pixels.assign(static_cast<size_t>(kWidth) * kHeight * 4, 0);
}

XrPanel::~XrPanel() {
  if (mContext) ImGui::DestroyContext(mContext);
}

std::pair<double, double> XrPanel::buttonUv(PanelButton button) {
  double i = static_cast<int>(button);
  return {(kButtonX0 + i * (kButtonW + kButtonGap) + kButtonW / 2) / kWidth, (kButtonY + kButtonH / 2) / kHeight};
}

std::vector<PanelAction> XrPanel::frame(const PanelModel& model, double u, double v, bool pressed, double dtS) {
  ContextScope scope(mContext);
  ImGuiIO& io = ImGui::GetIO();
  io.DeltaTime = static_cast<float>(std::clamp(dtS, 1e-4, 0.25));
  bool on = u >= 0 && u <= 1 && v >= 0 && v <= 1;
  io.MousePos = on ? ImVec2(static_cast<float>(u * kWidth), static_cast<float>(v * kHeight)) : ImVec2(-FLT_MAX, -FLT_MAX);
  io.MouseDown[0] = pressed && on;
  std::vector<PanelAction> actions;

  ImGui::NewFrame();
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(ImVec2(static_cast<float>(kWidth), static_cast<float>(kHeight)));
  ImGui::Begin("Delineo", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings);
  const char* names[] = {"Brush", "Erase", "Grow", "Contour", "Undo", "Redo"};
  for (int i = 0; i < 6; ++i) {
    ImGui::SetCursorPos(ImVec2(kButtonX0 + static_cast<float>(i) * (kButtonW + kButtonGap), kButtonY));
    bool active = i < kXrToolCount && static_cast<int>(model.tools.tool) == i;
    if (active) ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(0.2f, 0.55f, 0.9f, 1));
    if (ImGui::Button(names[i], ImVec2(kButtonW, kButtonH))) {
      if (i < kXrToolCount) actions.push_back({PanelAction::Kind::SelectTool, i});
      else actions.push_back({i == kXrToolCount ? PanelAction::Kind::Undo : PanelAction::Kind::Redo});
    }
    if (active) ImGui::PopStyleColor();
  }
  ImGui::SetCursorPos(ImVec2(kButtonX0, kButtonY + kButtonH + 8));
  float radius = static_cast<float>(model.tools.brushRadiusMm);
  ImGui::SetNextItemWidth(220);
  if (ImGui::SliderFloat("radius mm", &radius, 0.5f, 60.0f, "%.1f"))
    actions.push_back({PanelAction::Kind::SetRadius, 0, radius});

  ImGui::Columns(2, "cols", false);
  ImGui::TextUnformatted("Labels");
  ImGui::BeginChild("labels", ImVec2(0, 180), true);
  for (const auto& row : model.labels) {
    ImGui::PushID(row.id);
    ImVec4 c(row.rgba[0] / 255.f, row.rgba[1] / 255.f, row.rgba[2] / 255.f, 1);
    bool visible = row.visible;
    if (ImGui::Checkbox("##v", &visible)) actions.push_back({PanelAction::Kind::ToggleLabelVisible, row.id});
    ImGui::SameLine();
    ImGui::ColorButton("##c", c, ImGuiColorEditFlags_NoTooltip, ImVec2(14, 14));
    ImGui::SameLine();
    if (ImGui::Selectable(row.name.c_str(), row.id == model.tools.label))
      actions.push_back({PanelAction::Kind::SelectLabel, row.id});
    ImGui::PopID();
  }
  ImGui::EndChild();
  ImGui::NextColumn();
  ImGui::TextUnformatted("History");
  ImGui::BeginChild("history", ImVec2(0, 180), true);
  for (const auto& h : model.history) ImGui::TextUnformatted(h.c_str());
  if (model.redoCount) ImGui::TextDisabled("(%zu to redo)", model.redoCount);
  ImGui::EndChild();
  ImGui::Columns(1);
  ImGui::Text("%s  %.1f mm", xrToolName(model.tools.tool), model.tools.brushRadiusMm);
  ImGui::Text("frame %.1f ms (%.0f Hz)  res x%.2f  step x%.2f", model.frameMs,
              model.frameMs > 0 ? 1000.0 / model.frameMs : 0.0, model.resolutionScale, model.stepScale);
  if (!model.message.empty()) ImGui::TextWrapped("%s", model.message.c_str());
  ImGui::End();
  ImGui::Render();
  rasterise();
  return actions;
}

// Draws ImGui's triangles (font atlas alpha x vertex colour) over a cleared image.
void XrPanel::rasterise() {
  std::fill(mImage.pixels.begin(), mImage.pixels.end(), std::uint8_t{0});
  for (size_t i = 3; i < mImage.pixels.size(); i += 4) mImage.pixels[i] = 255;
  ImDrawData* data = ImGui::GetDrawData();
  if (!data) return;
  for (int l = 0; l < data->CmdListsCount; ++l) {
    const ImDrawList* list = data->CmdLists[l];
    for (const ImDrawCmd& cmd : list->CmdBuffer) {
      int cx0 = std::max(0, static_cast<int>(cmd.ClipRect.x)), cy0 = std::max(0, static_cast<int>(cmd.ClipRect.y));
      int cx1 = std::min(kWidth, static_cast<int>(std::ceil(cmd.ClipRect.z)));
      int cy1 = std::min(kHeight, static_cast<int>(std::ceil(cmd.ClipRect.w)));
      for (unsigned t = 0; t + 2 < cmd.ElemCount; t += 3) {
        const ImDrawVert& a = list->VtxBuffer[static_cast<int>(cmd.VtxOffset + list->IdxBuffer[static_cast<int>(cmd.IdxOffset + t)])];
        const ImDrawVert& b = list->VtxBuffer[static_cast<int>(cmd.VtxOffset + list->IdxBuffer[static_cast<int>(cmd.IdxOffset + t + 1)])];
        const ImDrawVert& c = list->VtxBuffer[static_cast<int>(cmd.VtxOffset + list->IdxBuffer[static_cast<int>(cmd.IdxOffset + t + 2)])];
        float area = edgeFn(a.pos, b.pos, c.pos);
        if (std::abs(area) < 1e-6f) continue;
        int x0 = std::max(cx0, static_cast<int>(std::floor(std::min({a.pos.x, b.pos.x, c.pos.x}))));
        int x1 = std::min(cx1, static_cast<int>(std::ceil(std::max({a.pos.x, b.pos.x, c.pos.x}))));
        int y0 = std::max(cy0, static_cast<int>(std::floor(std::min({a.pos.y, b.pos.y, c.pos.y}))));
        int y1 = std::min(cy1, static_cast<int>(std::ceil(std::max({a.pos.y, b.pos.y, c.pos.y}))));
        for (int y = y0; y < y1; ++y)
          for (int x = x0; x < x1; ++x) {
            ImVec2 p(static_cast<float>(x) + 0.5f, static_cast<float>(y) + 0.5f);
            float w0 = edgeFn(b.pos, c.pos, p) / area, w1 = edgeFn(c.pos, a.pos, p) / area, w2 = 1 - w0 - w1;
            if (w0 < 0 || w1 < 0 || w2 < 0) continue;
            float uu = w0 * a.uv.x + w1 * b.uv.x + w2 * c.uv.x, vv = w0 * a.uv.y + w1 * b.uv.y + w2 * c.uv.y;
            int fx = std::clamp(static_cast<int>(uu * static_cast<float>(mFontW)), 0, mFontW - 1);
            int fy = std::clamp(static_cast<int>(vv * static_cast<float>(mFontH)), 0, mFontH - 1);
            float tex = mFont[static_cast<size_t>(fy) * mFontW + fx] / 255.f;
            float col[4];
            for (int k = 0; k < 4; ++k) {
              auto ch = [&](ImU32 v) { return static_cast<float>((v >> (8 * k)) & 0xff); };
              col[k] = w0 * ch(a.col) + w1 * ch(b.col) + w2 * ch(c.col);
            }
            float alpha = col[3] / 255.f * tex;
            std::uint8_t* px = &mImage.pixels[(static_cast<size_t>(y) * kWidth + x) * 4];
            for (int k = 0; k < 3; ++k)
              px[k] = static_cast<std::uint8_t>(std::clamp(px[k] + (col[k] - px[k]) * alpha, 0.f, 255.f));
          }
      }
    }
  }
}

}  // namespace delineo::app::xr
