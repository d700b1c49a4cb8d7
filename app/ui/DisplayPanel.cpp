#include <algorithm>
#include <cmath>

#include <imgui.h>

#include "app/ui/Panels.h"
#include "renderer/TransferFunction.h"

namespace delineo::ui {

namespace {

// Opacity points dragged over the histogram; the colour ramp below them. Points stay sorted.
void transferEditor(PanelContext& c) {
  renderer::TransferFunction& tf = c.state->display.transfer;
  auto [lo, hi] = c.valueRange;
  if (!(hi > lo)) return;
  const float width = ImGui::GetContentRegionAvail().x, height = 110;
  ImVec2 origin = ImGui::GetCursorScreenPos();
  if (c.histogram && !c.histogram->empty())
    ImGui::PlotHistogram("##hist", c.histogram->data(), int(c.histogram->size()), 0, nullptr, 0, FLT_MAX,
                         ImVec2(width, height));
  else
    ImGui::Dummy(ImVec2(width, height));
  ImDrawList* draw = ImGui::GetWindowDrawList();
  auto toX = [&](double v) { return origin.x + float((v - lo) / (hi - lo)) * width; };
  auto toY = [&](float o) { return origin.y + (1 - std::clamp(o, 0.0f, 1.0f)) * height; };
  for (size_t i = 0; i + 1 < tf.opacities.size(); ++i)
    draw->AddLine(ImVec2(toX(tf.opacities[i].value), toY(tf.opacities[i].opacity)),
                  ImVec2(toX(tf.opacities[i + 1].value), toY(tf.opacities[i + 1].opacity)), IM_COL32(255, 255, 255, 220),
                  1.5f);
  int& dragging = c.panels->draggedOpacityPoint;
  ImGuiIO& io = ImGui::GetIO();
  for (size_t i = 0; i < tf.opacities.size(); ++i) {
    ImVec2 p(toX(tf.opacities[i].value), toY(tf.opacities[i].opacity));
    auto rgba = tf.evaluate(tf.opacities[i].value);
    draw->AddCircleFilled(p, 5, ImColor(rgba[0], rgba[1], rgba[2]));
    draw->AddCircle(p, 5, IM_COL32(255, 255, 255, 255));
    ImGui::SetCursorScreenPos(ImVec2(p.x - 6, p.y - 6));
    ImGui::PushID(int(i));
    ImGui::InvisibleButton("pt", ImVec2(12, 12));
    if (ImGui::IsItemActive()) dragging = int(i);
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("%.0f: opacity %.2f (drag to move)", tf.opacities[i].value, tf.opacities[i].opacity);
    ImGui::PopID();
  }
  if (dragging >= 0 && size_t(dragging) < tf.opacities.size()) {
    if (ImGui::IsMouseDown(0)) {
      auto& pt = tf.opacities[size_t(dragging)];
      double v = lo + double(io.MousePos.x - origin.x) / width * (hi - lo);
      double minV = dragging > 0 ? tf.opacities[size_t(dragging - 1)].value : lo;
      double maxV = size_t(dragging + 1) < tf.opacities.size() ? tf.opacities[size_t(dragging + 1)].value : hi;
      pt.value = std::clamp(v, minV, maxV);
      pt.opacity = std::clamp(1 - (io.MousePos.y - origin.y) / height, 0.0f, 1.0f);
    } else {
      dragging = -1;
    }
  }
  // Colour ramp of the colour points.
  ImVec2 ramp(origin.x, origin.y + height + 2);
  for (int x = 0; x < int(width); x += 2) {
    auto rgba = tf.evaluate(lo + (hi - lo) * x / width);
    draw->AddRectFilled(ImVec2(ramp.x + float(x), ramp.y), ImVec2(ramp.x + float(x) + 2, ramp.y + 10),
                        ImColor(rgba[0], rgba[1], rgba[2]));
  }
  ImGui::SetCursorScreenPos(ImVec2(origin.x, ramp.y + 14));
  int& colorIndex = c.panels->colorPointIndex;
  if (!tf.colors.empty()) {
    colorIndex = std::clamp(colorIndex, 0, int(tf.colors.size()) - 1);
    ImGui::SetNextItemWidth(80);
    ImGui::SliderInt("##ci", &colorIndex, 0, int(tf.colors.size()) - 1, "colour %d");
    ImGui::SameLine();
    ImGui::ColorEdit3("##cc", tf.colors[size_t(colorIndex)].rgb.data(), ImGuiColorEditFlags_NoInputs);
    ImGui::SameLine();
    ImGui::Text("at %.0f", tf.colors[size_t(colorIndex)].value);
  }
}

}  // namespace

void drawDisplayPanel(PanelContext& c) {
  renderer::VolumeDisplay& d = c.state->display;
  if (ImGui::BeginCombo("Preset", c.state->presetName.c_str())) {
    for (const auto& name : renderer::presetNames())
      if (ImGui::Selectable(name.c_str(), name == c.state->presetName)) c.applyPreset(name);
    ImGui::EndCombo();
  }
  const char* modes[] = {"DVR", "MIP", "MinIP", "Isosurface", "Labels only"};
  int mode = int(d.mode);
  if (ImGui::Combo("Mode", &mode, modes, 5)) d.mode = static_cast<renderer::RenderMode>(mode);
  float window = float(d.windowWidth), level = float(d.windowLevel);
  if (ImGui::DragFloat("Window", &window, 2, 1, 10000, "%.0f")) d.windowWidth = std::max(1.0f, window);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Or drag with the right button on a slice");
  if (ImGui::DragFloat("Level", &level, 2, -5000, 10000, "%.0f")) d.windowLevel = level;
  if (d.mode == renderer::RenderMode::Isosurface) {
    float iso = float(d.isoValue);
    if (ImGui::DragFloat("Iso value", &iso, 2)) d.isoValue = iso;
  }
  ImGui::Checkbox("Shading", &d.shading.enabled);
  ImGui::SameLine();
  ImGui::Checkbox("Labels", &d.showLabels);
  ImGui::SameLine();
  ImGui::Checkbox("Crosshair", &c.state->showCrosshair);
  ImGui::SliderFloat("Label opacity", &d.labelOpacity, 0, 1);
  ImGui::SliderFloat("Slice label fill", &c.state->slice.labelFillOpacity, 0, 1);
  if (d.mode == renderer::RenderMode::Dvr && ImGui::TreeNodeEx("Transfer function", ImGuiTreeNodeFlags_DefaultOpen)) {
    transferEditor(c);
    ImGui::TreePop();
  }
  if (ImGui::TreeNode("Clip box") && c.session) {
    const core::Geometry& g = c.session->volume().geometry();
    if (!d.clipBox.enabled && d.clipBox.minMm == d.clipBox.maxMm) {
      core::Vec3 a = g.ijkToPatient({0, 0, 0}), b = g.ijkToPatient({double(g.dims[0] - 1), double(g.dims[1] - 1),
                                                                     double(g.dims[2] - 1)});
      for (int i = 0; i < 3; ++i) {
        d.clipBox.minMm[i] = std::min(a[i], b[i]);
        d.clipBox.maxMm[i] = std::max(a[i], b[i]);
      }
    }
    ImGui::Checkbox("Enabled", &d.clipBox.enabled);
    const char* axes[] = {"L", "P", "S"};
    for (int i = 0; i < 3; ++i) {
      float range[2] = {float(d.clipBox.minMm[i]), float(d.clipBox.maxMm[i])};
      if (ImGui::DragFloat2(axes[i], range, 0.5f)) {
        d.clipBox.minMm[i] = std::min(range[0], range[1]);
        d.clipBox.maxMm[i] = std::max(range[0], range[1]);
      }
    }
    ImGui::TreePop();
  }
}

}  // namespace delineo::ui
