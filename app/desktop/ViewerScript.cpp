#include "app/desktop/ViewerScript.h"

#include <fstream>

#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>

namespace delineo::app {

namespace {

core::Result<ToolKind> parseTool(const std::string& name) {
  static const std::pair<const char*, ToolKind> kTools[] = {
      {"navigate", ToolKind::Navigate}, {"brush", ToolKind::Brush},       {"erase", ToolKind::Erase},
      {"threshold", ToolKind::ThresholdBrush}, {"grow", ToolKind::Grow}, {"contour", ToolKind::Contour},
      {"scissors", ToolKind::Scissors}};
  for (auto [n, t] : kTools)
    if (name == n) return t;
  return core::makeError("unknown tool '" + name + "' (navigate, brush, erase, threshold, grow, contour, scissors)");
}

core::Result<std::pair<int, int>> parseKey(const std::string& text) {
  int mods = 0;
  std::string rest = text;
  for (;;) {
    if (rest.rfind("ctrl+", 0) == 0) { mods |= GLFW_MOD_CONTROL; rest = rest.substr(5); continue; }
    if (rest.rfind("shift+", 0) == 0) { mods |= GLFW_MOD_SHIFT; rest = rest.substr(6); continue; }
    break;
  }
  if (rest.size() == 1 && rest[0] >= 'a' && rest[0] <= 'z') return std::pair{GLFW_KEY_A + (rest[0] - 'a'), mods};
  if (rest.size() == 1 && rest[0] >= '0' && rest[0] <= '9') return std::pair{GLFW_KEY_0 + (rest[0] - '0'), mods};
  if (rest == "[") return std::pair{GLFW_KEY_LEFT_BRACKET, mods};
  if (rest == "]") return std::pair{GLFW_KEY_RIGHT_BRACKET, mods};
  if (rest == "enter") return std::pair{GLFW_KEY_ENTER, mods};
  if (rest == "escape") return std::pair{GLFW_KEY_ESCAPE, mods};
  if (rest == "pageup") return std::pair{GLFW_KEY_PAGE_UP, mods};
  if (rest == "pagedown") return std::pair{GLFW_KEY_PAGE_DOWN, mods};
  return core::makeError("unknown key '" + text + "'");
}

core::Result<ViewId> parseView(const std::string& name) {
  if (name == "3d") return ViewId::Volume3D;
  if (name == "axial") return ViewId::Axial;
  if (name == "sagittal") return ViewId::Sagittal;
  if (name == "coronal") return ViewId::Coronal;
  return core::makeError("unknown view '" + name + "' (3d, axial, sagittal, coronal)");
}

}  // namespace

core::Result<std::unique_ptr<ViewerScript>> ViewerScript::load(const std::string& path) {
  std::ifstream in(path);
  if (!in) return core::makeError(path + ": cannot open the script");
  auto script = std::make_unique<ViewerScript>();
  script->mPath = path;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    auto first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos || line[first] == '#') continue;
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object())
      return core::makeError(path + ":" + std::to_string(number) + ": not a JSON object");
    script->mLines.emplace_back(number, std::move(j));
  }
  return script;
}

core::Result<void> ViewerScript::step(ScriptTarget& target) {
  if (mWait > 0) {
    --mWait;
    return {};
  }
  if (mNext >= mLines.size()) return {};
  auto& [number, line] = mLines[mNext++];
  core::Result<void> r;
  try {
    r = run(line, target);
  } catch (const nlohmann::json::exception& e) {
    r = core::makeError(std::string("a field has the wrong type (") + e.what() + ")");
  }
  if (!r) return core::makeError(mPath + ":" + std::to_string(number) + ": " + r.message());
  return {};
}

core::Result<void> ViewerScript::run(const nlohmann::json& line, ScriptTarget& t) {
  if (line.contains("tool")) {
    auto done = t.applyOperation(line);
    if (!done) return done.error();
    return {};
  }
  if (!line.contains("ui")) return core::makeError("a line needs \"tool\" (an operation) or \"ui\" (input)");
  const std::string ui = line["ui"].get<std::string>();
  auto viewPoint = [&](const char* key) -> core::Result<std::pair<double, double>> {
    auto view = parseView(line.value("view", "axial"));
    if (!view) return view.error();
    auto r = t.layout->rect(*view);
    if (!r) return core::makeError(std::string("the view '") + line.value("view", "axial") + "' is not shown");
    const auto& f = line.at(key);
    return std::pair{r->x + f.at(0).get<double>() * r->width, r->y + f.at(1).get<double>() * r->height};
  };
  if (ui == "click" || ui == "stroke") {
    auto from = viewPoint(ui == "click" ? "at" : "from");
    if (!from) return from.error();
    auto to = ui == "click" ? from : viewPoint("to");
    if (!to) return to.error();
    int steps = ui == "click" ? 0 : std::max(1, line.value("steps", 8));
    t.input->onCursor(from->first, from->second);
    t.input->onButton(GLFW_MOUSE_BUTTON_LEFT, true, 0);
    for (int s = 1; s <= steps; ++s) {
      double f = double(s) / steps;
      t.input->onCursor(from->first + f * (to->first - from->first), from->second + f * (to->second - from->second));
    }
    t.input->onButton(GLFW_MOUSE_BUTTON_LEFT, false, 0);
    return {};
  }
  if (ui == "move") {
    auto at = viewPoint("at");
    if (!at) return at.error();
    t.input->onCursor(at->first, at->second);
    return {};
  }
  if (ui == "key") {
    auto key = parseKey(line.at("key").get<std::string>());
    if (!key) return key.error();
    t.input->onKey(key->first, true, key->second);
    t.input->onKey(key->first, false, key->second);
    return {};
  }
  if (ui == "tool") {
    auto tool = parseTool(line.at("name").get<std::string>());
    if (!tool) return tool.error();
    t.state->tools.tool = *tool;
    return {};
  }
  if (ui == "label") {
    t.state->tools.label = line.at("id").get<std::uint8_t>();
    return {};
  }
  if (ui == "radius") {
    t.state->tools.brushRadiusMm = line.at("mm").get<double>();
    return {};
  }
  if (ui == "range") {
    t.state->tools.thresholdLow = line.at("lower").get<double>();
    t.state->tools.thresholdHigh = line.at("upper").get<double>();
    return {};
  }
  if (ui == "crosshair") {
    const auto& p = line.at("mm");
    t.state->crosshairMm = {p.at(0).get<double>(), p.at(1).get<double>(), p.at(2).get<double>()};
    return {};
  }
  if (ui == "layout") {
    auto kind = parseLayout(line.at("name").get<std::string>());
    if (!kind) return kind.error();
    t.state->layout = *kind;
    return {};
  }
  if (ui == "resize") {
    t.window->setSize(line.at("size").at(0).get<int>(), line.at("size").at(1).get<int>());
    return {};
  }
  if (ui == "minimize") {
    t.window->minimise();
    return {};
  }
  if (ui == "restore") {
    t.window->restore();
    return {};
  }
  if (ui == "wait") {
    mWait = std::max(0, line.value("frames", 1));
    return {};
  }
  if (ui == "save") {
    t.save(line.value("path", ""));
    return {};
  }
  if (ui == "screenshot") {
    t.screenshot(line.at("path").get<std::string>());
    return {};
  }
  return core::makeError("unknown ui action '" + ui + "'");
}

}  // namespace delineo::app
