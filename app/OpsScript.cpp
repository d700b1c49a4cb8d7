#include "app/OpsScript.h"

#include <cmath>
#include <fstream>
#include <sstream>

#include "app/SemiAutoOps.h"
#include "tools/Brush.h"
#include "tools/LabelEdit.h"
#include "tools/LabelOps.h"

namespace delineo::app {

namespace {

using nlohmann::json;
using core::makeError;

core::Result<core::Vec3> vec3(const json& op, const char* key) {
  if (!op.contains(key)) return makeError(std::string("missing \"") + key + "\"");
  const json& v = op[key];
  if (!v.is_array() || v.size() != 3 || !v[0].is_number() || !v[1].is_number() || !v[2].is_number())
    return makeError(std::string("\"") + key + "\" must be an array of 3 numbers");
  core::Vec3 out{v[0].get<double>(), v[1].get<double>(), v[2].get<double>()};
  if (!std::isfinite(out.x) || !std::isfinite(out.y) || !std::isfinite(out.z))
    return makeError(std::string("\"") + key + "\" must be finite");
  return out;
}

core::Result<double> number(const json& op, const char* key, std::optional<double> fallback = std::nullopt) {
  if (!op.contains(key)) {
    if (fallback) return *fallback;
    return makeError(std::string("missing \"") + key + "\"");
  }
  if (!op[key].is_number() || !std::isfinite(op[key].get<double>()))
    return makeError(std::string("\"") + key + "\" must be a number");
  return op[key].get<double>();
}

core::Result<bool> boolean(const json& op, const char* key, bool fallback) {
  if (!op.contains(key)) return fallback;
  if (!op[key].is_boolean()) return makeError(std::string("\"") + key + "\" must be true or false");
  return op[key].get<bool>();
}

core::Result<std::string> text(const json& op, const char* key) {
  if (!op.contains(key) || !op[key].is_string()) return makeError(std::string("\"") + key + "\" must be a string");
  return op[key].get<std::string>();
}

// A label given by id ("label": 3) or by name ("label": "Liver"), which must exist.
core::Result<std::uint8_t> existingLabel(const Session& session, const json& op, const char* key) {
  if (!op.contains(key)) return makeError(std::string("missing \"") + key + "\"");
  const auto& table = session.labelmap().labels();
  const json& v = op[key];
  if (v.is_string()) {
    const core::Label* l = table.findByName(v.get<std::string>());
    if (!l) return makeError("no label named '" + v.get<std::string>() + "'");
    return l->id;
  }
  if (!v.is_number_integer() || v.get<int>() < 1 || v.get<int>() > 255)
    return makeError(std::string("\"") + key + "\" must be a label id 1..255 or a label name");
  auto id = static_cast<std::uint8_t>(v.get<int>());
  if (!table.find(id)) return makeError("label " + std::to_string(id) + " is not in the label table (add it with label.add)");
  return id;
}

core::Result<std::array<std::uint8_t, 4>> color(const json& op, const char* key) {
  const json& v = op[key];
  if (!v.is_array() || (v.size() != 3 && v.size() != 4))
    return makeError(std::string("\"") + key + "\" must be [r, g, b] or [r, g, b, a] with values 0..255");
  std::array<std::uint8_t, 4> rgba{0, 0, 0, 255};
  for (std::size_t c = 0; c < v.size(); ++c) {
    if (!v[c].is_number_integer() || v[c].get<int>() < 0 || v[c].get<int>() > 255)
      return makeError(std::string("\"") + key + "\" values must be integers 0..255");
    rgba[c] = static_cast<std::uint8_t>(v[c].get<int>());
  }
  return rgba;
}

core::Result<void> insideVolume(const core::Geometry& g, core::Vec3 p, const char* what) {
  core::Vec3 ijk = g.patientToIjk(p);
  for (int a = 0; a < 3; ++a)
    if (ijk[a] < -0.5 || ijk[a] > double(g.dims[a]) - 0.5)
      return makeError(std::string(what) + " " + core::toString(p, 2) + " mm lies outside the volume");
  return {};
}

std::string formatMm(double mm) {
  std::ostringstream s;
  s << std::round(mm * 10.0) / 10.0;
  return s.str();
}

core::Result<OpOutcome> commitStep(Session& session, tools::Step step) {
  std::string name = step.name;
  auto committed = session.commit(std::move(step));
  if (!committed) return committed.error();
  return OpOutcome{*committed, name};
}

core::Result<OpOutcome> brush(Session& session, const json& op) {
  const core::Geometry& g = session.volume().geometry();
  std::vector<core::Vec3> points;
  if (op.contains("points_mm")) {
    if (!op["points_mm"].is_array() || op["points_mm"].empty())
      return makeError("\"points_mm\" must be a non-empty array of [x, y, z]");
    for (const auto& p : op["points_mm"]) {
      auto v = vec3(json{{"p", p}}, "p");
      if (!v) return makeError("\"points_mm\" must hold [x, y, z] points");
      points.push_back(*v);
    }
  } else {
    auto c = vec3(op, "center_mm");
    if (!c) return c.error();
    points.push_back(*c);
  }
  for (auto p : points)
    if (auto r = insideVolume(g, p, "brush centre"); !r) return r.error();

  tools::BrushParams params;
  auto radius = number(op, "radius_mm");
  if (!radius) return radius.error();
  if (*radius <= 0 || *radius > 500) return makeError("\"radius_mm\" must be in (0, 500]");
  params.radiusMm = *radius;
  auto erase = boolean(op, "erase", false);
  if (!erase) return erase.error();
  params.erase = *erase;
  std::string labelName;
  if (!params.erase || op.contains("label")) {
    auto label = existingLabel(session, op, "label");
    if (!label) return label.error();
    params.label = *label;
    labelName = session.labelmap().labels().find(*label)->name;
  }
  std::string shape = op.value("shape", "sphere");
  if (shape == "disk") {
    params.shape = tools::BrushParams::Shape::Disk;
    auto n = op.contains("normal") ? vec3(op, "normal") : core::Result<core::Vec3>(core::Vec3{0, 0, 1});
    if (!n) return n.error();
    if (core::length(*n) < 1e-9) return makeError("\"normal\" must not be zero");
    params.planeNormal = *n;
  } else if (shape != "sphere") {
    return makeError("\"shape\" must be \"sphere\" or \"disk\"");
  }

  tools::PaintRule rule;
  std::string over = op.value("paint_over", "all");
  if (over == "background") rule.over = tools::PaintRule::Over::BackgroundOnly;
  else if (over == "label") {
    rule.over = tools::PaintRule::Over::OnlyLabel;
    auto only = existingLabel(session, op, "only_label");
    if (!only) return only.error();
    rule.onlyLabel = *only;
  } else if (over != "all") {
    return makeError("\"paint_over\" must be \"all\", \"background\" or \"label\"");
  }
  // Erasing one label only: erase with a label means "erase that label".
  if (params.erase && op.contains("label")) {
    rule.over = tools::PaintRule::Over::OnlyLabel;
    rule.onlyLabel = params.label;
  }
  if (op.contains("intensity_range")) {
    const json& r = op["intensity_range"];
    if (!r.is_array() || r.size() != 2 || !r[0].is_number() || !r[1].is_number() || r[0].get<double>() > r[1].get<double>())
      return makeError("\"intensity_range\" must be [low, high] with low <= high");
    rule.intensityRange = std::pair{r[0].get<double>(), r[1].get<double>()};
  }

  tools::LabelEdit edit(session.labelmapForEdit(), &session.volume(), rule);
  tools::paintStroke(edit, points, params);
  tools::Step step;
  step.tool = "brush";
  step.paramsJson = op.dump();
  step.name = std::string(params.erase ? "Erase " : "Brush ") + formatMm(params.radiusMm) + " mm" +
              (labelName.empty() ? "" : " · " + labelName);
  step.voxels = edit.finish();
  return commitStep(session, std::move(step));
}

core::Result<OpOutcome> labelOp(Session& session, const std::string& tool, const json& op) {
  core::Labelmap& labelmap = session.labelmapForEdit();
  core::Result<tools::Step> step = makeError("unknown tool");
  if (tool == "label.add") {
    auto name = text(op, "name");
    if (!name) return name.error();
    std::uint8_t id = 0;
    if (op.contains("id")) {
      if (!op["id"].is_number_integer() || op["id"].get<int>() < 1 || op["id"].get<int>() > 255)
        return makeError("\"id\" must be 1..255");
      id = static_cast<std::uint8_t>(op["id"].get<int>());
    }
    std::optional<std::array<std::uint8_t, 4>> rgba;
    if (op.contains("color")) {
      auto c = color(op, "color");
      if (!c) return c.error();
      rgba = *c;
    }
    step = tools::addLabel(labelmap, *name, id, rgba);
  } else if (tool == "label.merge") {
    auto from = existingLabel(session, op, "from");
    if (!from) return from.error();
    auto into = existingLabel(session, op, "into");
    if (!into) return into.error();
    step = tools::mergeLabels(labelmap, *from, *into);
  } else {
    auto id = existingLabel(session, op, "label");
    if (!id) return id.error();
    if (tool == "label.rename") {
      auto name = text(op, "name");
      if (!name) return name.error();
      step = tools::renameLabel(labelmap, *id, *name);
    } else if (tool == "label.color") {
      auto c = color(op, "color");
      if (!c) return c.error();
      step = tools::recolorLabel(labelmap, *id, *c);
    } else if (tool == "label.lock") {
      auto locked = boolean(op, "locked", true);
      if (!locked) return locked.error();
      step = tools::setLabelLocked(labelmap, *id, *locked);
    } else if (tool == "label.visible") {
      auto visible = boolean(op, "visible", true);
      if (!visible) return visible.error();
      step = tools::setLabelVisible(labelmap, *id, *visible);
    } else if (tool == "label.terminology") {
      core::Terminology t;
      auto code = [&](const char* key, core::Code& out) -> core::Result<void> {
        if (!op.contains(key)) return {};
        const json& c = op[key];
        if (!c.is_array() || c.size() != 3 || !c[0].is_string() || !c[1].is_string() || !c[2].is_string())
          return makeError(std::string("\"") + key + "\" must be [code value, scheme, meaning]");
        out = {c[0].get<std::string>(), c[1].get<std::string>(), c[2].get<std::string>()};
        return {};
      };
      for (auto [key, out] : {std::pair{"category", &t.category}, std::pair{"type", &t.type},
                              std::pair{"modifier", &t.typeModifier}})
        if (auto r = code(key, *out); !r) return r.error();
      step = tools::setLabelTerminology(labelmap, *id, t);
    } else if (tool == "label.review") {
      auto stateName = text(op, "state");
      if (!stateName) return stateName.error();
      auto state = core::parseReviewState(*stateName);
      if (!state) return makeError("\"state\" must be draft, submitted, approved or rejected");
      core::Review review{*state, op.value("reviewer", session.annotator()), op.value("comment", "")};
      if (*state == core::Review::State::Rejected && review.comment.empty())
        return makeError("a rejection needs a \"comment\" saying why");
      step = tools::setLabelReview(labelmap, *id, review);
    } else if (tool == "label.delete") {
      step = tools::deleteLabel(labelmap, *id);
    } else {
      return makeError("unknown tool '" + tool + "'");
    }
  }
  if (!step) return step.error();
  step->paramsJson = op.dump();
  return commitStep(session, std::move(step).value());
}

}  // namespace

namespace {
core::Result<OpOutcome> applyOperationUnchecked(Session& session, const json& op);
}  // namespace

core::Result<OpOutcome> applyOperation(Session& session, const json& op) {
  // Field accessors with defaults throw on a wrong type; that is a bad line, never a crash.
  try {
    return applyOperationUnchecked(session, op);
  } catch (const json::exception& e) {
    return makeError(std::string("a field has the wrong type (") + e.what() + ")");
  }
}

namespace {

core::Result<OpOutcome> applyOperationUnchecked(Session& session, const json& op) {
  if (!op.is_object()) return makeError("an operation must be a JSON object");
  if (!op.contains("tool") || !op["tool"].is_string()) return makeError("missing \"tool\"");
  const std::string tool = op["tool"].get<std::string>();
  if (tool == "brush") return brush(session, op);
  if (auto semiAuto = applySemiAutoOperation(session, op)) return std::move(*semiAuto);
  if (tool == "undo" || tool == "redo") {
    auto done = tool == "undo" ? session.undo() : session.redo();
    if (!done) return done.error();
    if (!*done) return makeError(std::string("nothing to ") + tool);
    return OpOutcome{true, tool};
  }
  if (tool.rfind("label.", 0) == 0) return labelOp(session, tool, op);
  return makeError("unknown tool '" + tool + "'");
}

}  // namespace

core::Result<int> runOpsFile(Session& session, const std::string& path,
                             const std::function<void(int, const OpOutcome&)>& onStep) {
  std::ifstream in(path);
  if (!in) return makeError(path + ": cannot open the operation script");
  std::string line;
  int lineNumber = 0;
  int applied = 0;
  while (std::getline(in, line)) {
    ++lineNumber;
    auto first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos || line[first] == '#') continue;
    auto op = json::parse(line, nullptr, false);
    if (op.is_discarded()) return makeError(path + ":" + std::to_string(lineNumber) + ": not valid JSON");
    auto outcome = applyOperation(session, op);
    if (!outcome) return makeError(path + ":" + std::to_string(lineNumber) + ": " + outcome.message());
    ++applied;
    if (onStep) onStep(lineNumber, *outcome);
  }
  return applied;
}

}  // namespace delineo::app
