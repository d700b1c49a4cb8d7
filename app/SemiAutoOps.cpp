#include "app/SemiAutoOps.h"

#include <cmath>
#include <sstream>

#include "core/io/ImageIO.h"
#include "tools/Contour.h"
#include "tools/GrowFromSeeds.h"
#include "tools/Interpolation.h"
#include "tools/Islands.h"
#include "tools/Morphology.h"
#include "tools/RegionGrow.h"
#include "tools/Scissors.h"

namespace delineo::app {

namespace {

using core::makeError;
using nlohmann::json;
template <typename T>
using Result = core::Result<T>;

std::string quoted(const char* key) { return std::string("\"") + key + "\""; }

Result<double> number(const json& op, const char* key, std::optional<double> fallback = std::nullopt) {
  if (!op.contains(key)) {
    if (fallback) return *fallback;
    return makeError("missing " + quoted(key));
  }
  if (!op[key].is_number() || !std::isfinite(op[key].get<double>())) return makeError(quoted(key) + " must be a number");
  return op[key].get<double>();
}

Result<std::int64_t> integer(const json& op, const char* key, std::int64_t fallback) {
  if (!op.contains(key)) return fallback;
  if (!op[key].is_number_integer()) return makeError(quoted(key) + " must be an integer");
  return op[key].get<std::int64_t>();
}

Result<bool> boolean(const json& op, const char* key, bool fallback) {
  if (!op.contains(key)) return fallback;
  if (!op[key].is_boolean()) return makeError(quoted(key) + " must be true or false");
  return op[key].get<bool>();
}

Result<std::string> choice(const json& op, const char* key, const std::string& fallback,
                           std::initializer_list<const char*> allowed) {
  std::string value = fallback;
  if (op.contains(key)) {
    if (!op[key].is_string()) return makeError(quoted(key) + " must be a string");
    value = op[key].get<std::string>();
  }
  std::string list;
  for (const char* a : allowed) {
    if (value == a) return value;
    list += (list.empty() ? "\"" : ", \"") + std::string(a) + "\"";
  }
  return makeError(quoted(key) + " must be one of " + list);
}

Result<core::Vec3> point(const json& v, const std::string& what) {
  if (!v.is_array() || v.size() != 3 || !v[0].is_number() || !v[1].is_number() || !v[2].is_number())
    return makeError(what + " must be [x, y, z] numbers");
  core::Vec3 p{v[0].get<double>(), v[1].get<double>(), v[2].get<double>()};
  if (!std::isfinite(p.x) || !std::isfinite(p.y) || !std::isfinite(p.z)) return makeError(what + " must be finite");
  return p;
}

Result<std::vector<core::Vec3>> points(const json& op, const char* key) {
  if (!op.contains(key) || !op[key].is_array()) return makeError(quoted(key) + " must be an array of [x, y, z]");
  std::vector<core::Vec3> out;
  for (const auto& v : op[key]) {
    auto p = point(v, quoted(key) + " entries");
    if (!p) return p.error();
    out.push_back(*p);
  }
  return out;
}

// A label by id or name that must exist in the table.
Result<std::uint8_t> label(const Session& session, const json& op, const char* key) {
  if (!op.contains(key)) return makeError("missing " + quoted(key));
  const auto& table = session.labelmap().labels();
  const json& v = op[key];
  if (v.is_string()) {
    const core::Label* l = table.findByName(v.get<std::string>());
    if (!l) return makeError("no label named '" + v.get<std::string>() + "'");
    return l->id;
  }
  if (!v.is_number_integer() || v.get<int>() < 1 || v.get<int>() > 255)
    return makeError(quoted(key) + " must be a label id 1..255 or a label name");
  auto id = static_cast<std::uint8_t>(v.get<int>());
  if (!table.find(id)) return makeError("label " + std::to_string(id) + " is not in the label table (add it with label.add)");
  return id;
}

// "roi_ijk": [[i0, j0, k0], [i1, j1, k1]], inclusive voxel indices.
Result<std::optional<tools::VoxelBox>> roi(const core::Geometry& g, const json& op) {
  if (!op.contains("roi_ijk")) return std::optional<tools::VoxelBox>{};
  const json& r = op["roi_ijk"];
  if (!r.is_array() || r.size() != 2) return makeError("\"roi_ijk\" must be [[i0, j0, k0], [i1, j1, k1]]");
  tools::VoxelBox box;
  for (int a = 0; a < 3; ++a) {
    if (!r[0].is_array() || !r[1].is_array() || r[0].size() != 3 || r[1].size() != 3 || !r[0][a].is_number_integer() ||
        !r[1][a].is_number_integer())
      return makeError("\"roi_ijk\" must be [[i0, j0, k0], [i1, j1, k1]] integers");
    box.lo[a] = r[0][a].get<std::int64_t>();
    box.hi[a] = r[1][a].get<std::int64_t>() + 1;
  }
  if (box.empty() || box.clippedTo(g.dims).empty())
    return makeError("\"roi_ijk\" is empty or lies outside the volume (" + core::toString(g.dims) + ")");
  return std::optional<tools::VoxelBox>{box};
}

Result<tools::PaintRule> paintRule(const Session& session, const json& op) {
  tools::PaintRule rule;
  auto over = choice(op, "paint_over", "all", {"all", "background", "label"});
  if (!over) return over.error();
  if (*over == "background") rule.over = tools::PaintRule::Over::BackgroundOnly;
  if (*over == "label") {
    rule.over = tools::PaintRule::Over::OnlyLabel;
    auto only = label(session, op, "only_label");
    if (!only) return only.error();
    rule.onlyLabel = *only;
  }
  if (op.contains("intensity_range")) {
    const json& r = op["intensity_range"];
    if (!r.is_array() || r.size() != 2 || !r[0].is_number() || !r[1].is_number() || r[0].get<double>() > r[1].get<double>())
      return makeError("\"intensity_range\" must be [low, high] with low <= high");
    rule.intensityRange = std::pair{r[0].get<double>(), r[1].get<double>()};
  }
  return rule;
}

std::string voxelsText(std::int64_t n) {
  std::ostringstream s;
  if (n >= 1000000) s << std::round(double(n) / 1e5) / 10 << " M voxels";
  else if (n >= 1000) s << std::round(double(n) / 100) / 10 << " k voxels";
  else s << n << " voxels";
  return s.str();
}

Result<OpOutcome> commit(Session& session, tools::LabelEdit& edit, const std::string& tool, const std::string& name,
                         const json& op) {
  tools::Step step;
  step.tool = tool;
  step.paramsJson = op.dump();
  step.voxels = edit.finish();
  step.name = name + " · " + voxelsText(step.voxels.changedVoxels);
  std::string stepName = step.name;
  auto committed = session.commit(std::move(step));
  if (!committed) return committed.error();
  return OpOutcome{*committed, stepName};
}

std::string nameOf(const Session& session, std::uint8_t id) {
  const core::Label* l = session.labelmap().labels().find(id);
  return l ? l->name : std::to_string(id);
}

// Runs `work` on a fresh LabelEdit; an error reverts it (tools validate before writing, so
// this only guards against a failure after partial work) and nothing is committed.
template <typename Work>
Result<OpOutcome> withEdit(Session& session, const tools::PaintRule& rule, const std::string& tool,
                           const std::string& name, const json& op, Work&& work) {
  tools::LabelEdit edit(session.labelmapForEdit(), &session.volume(), rule);
  Result<std::int64_t> done = work(edit);
  if (!done) {
    edit.revert();
    return done.error();
  }
  return commit(session, edit, tool, name, op);
}

Result<GrowOperationOutcome> grow(Session& session, const json& op, const tools::PaintRule& rule,
                                  const core::TaskControl& control) {
  const core::Geometry& g = session.volume().geometry();
  tools::RegionGrowParams p;
  if (op.contains("seeds_mm")) {
    auto pts = points(op, "seeds_mm");
    if (!pts) return pts.error();
    for (auto mm : *pts) {
      core::Vec3 ijk = g.patientToIjk(mm);
      p.seeds.push_back({std::llround(ijk.x), std::llround(ijk.y), std::llround(ijk.z)});
    }
  }
  if (op.contains("seeds_ijk")) {
    auto pts = points(op, "seeds_ijk");
    if (!pts) return pts.error();
    for (auto v : *pts) p.seeds.push_back({std::llround(v.x), std::llround(v.y), std::llround(v.z)});
  }
  auto mode = choice(op, "mode", "threshold", {"threshold", "confidence"});
  if (!mode) return mode.error();
  std::optional<tools::ConfidenceParams> confidence;
  if (*mode == "confidence") {
    tools::ConfidenceParams c;
    auto m = number(op, "multiplier", c.multiplier);
    auto it = integer(op, "iterations", c.iterations);
    auto r = integer(op, "radius", c.initialRadius);
    if (!m) return m.error();
    if (!it) return it.error();
    if (!r) return r.error();
    c.multiplier = *m;
    c.iterations = int(*it);
    c.initialRadius = int(*r);
    confidence = c;
  } else {
    auto lo = number(op, "lower"), hi = number(op, "upper");
    if (!lo) return lo.error();
    if (!hi) return hi.error();
    p.lower = *lo;
    p.upper = *hi;
  }
  auto conn = integer(op, "connectivity", 6);
  auto max = integer(op, "max_voxels", 0);
  auto box = roi(g, op);
  auto id = label(session, op, "label");
  if (!conn) return conn.error();
  if (!max) return max.error();
  if (!box) return box.error();
  if (!id) return id.error();
  p.connectivity = int(*conn);
  p.maxVoxels = *max;
  p.roi = *box;
  if (!confidence)
    if (auto v = tools::validateRegionGrow(g, p); !v) return v.error();
  GrowOperationOutcome out;
  auto committed = withEdit(session, rule, "grow", "Grow · " + nameOf(session, *id), op, [&](tools::LabelEdit& edit) {
    auto r = tools::regionGrow(session.volume(), edit, p, *id, confidence, control);
    if (!r) return Result<std::int64_t>(r.error());
    out.grow = std::move(r).value();
    return Result<std::int64_t>(out.grow.changed);
  });
  if (!committed) return committed.error();
  out.step = std::move(committed).value();
  return out;
}

Result<OpOutcome> growFromSeeds(Session& session, const json& op, const tools::PaintRule& rule) {
  tools::GrowFromSeedsParams p;
  auto box = roi(session.volume().geometry(), op);
  auto step = number(op, "intensity_step", 0.0);
  if (!box) return box.error();
  if (!step) return step.error();
  p.roi = *box;
  p.intensityStep = *step;
  tools::GrowFromSeeds grower;
  auto ran = grower.run(session.volume(), session.labelmap(), p);
  if (!ran) return ran.error();
  return withEdit(session, rule, "grow_from_seeds", "Grow from seeds (" + std::to_string(ran->labels) + " labels)", op,
                  [&](tools::LabelEdit& edit) { return Result<std::int64_t>(grower.apply(edit)); });
}

Result<OpOutcome> contourOrScissors(Session& session, const std::string& tool, const json& op,
                                    const tools::PaintRule& rule) {
  auto pts = points(op, "points_mm");
  auto erase = boolean(op, "erase", false);
  if (!pts) return pts.error();
  if (!erase) return erase.error();
  std::uint8_t id = 0;
  if (!*erase || op.contains("label")) {
    auto l = label(session, op, "label");
    if (!l) return l.error();
    id = *l;
  }
  std::string name = std::string(tool == "contour" ? "Contour" : "Scissors") + (*erase ? " erase" : "") +
                     (id ? " · " + nameOf(session, id) : "");
  if (tool == "contour") {
    tools::ContourParams p{*pts, id, *erase};
    return withEdit(session, rule, tool, name, op, [&](tools::LabelEdit& e) { return tools::fillContour(e, p); });
  }
  tools::ScissorsParams p;
  p.polygonMm = *pts;
  p.erase = *erase;
  p.label = id;
  auto projection = choice(op, "projection", "orthographic", {"orthographic", "perspective"});
  auto side = choice(op, "side", "inside", {"inside", "outside"});
  if (!projection) return projection.error();
  if (!side) return side.error();
  p.side = *side == "inside" ? tools::ScissorsParams::Side::Inside : tools::ScissorsParams::Side::Outside;
  if (*projection == "perspective") {
    p.projection = tools::ScissorsParams::Projection::Perspective;
    if (!op.contains("eye_mm")) return makeError("perspective scissors need \"eye_mm\"");
    auto eye = point(op["eye_mm"], "\"eye_mm\"");
    if (!eye) return eye.error();
    p.eyeMm = *eye;
  } else {
    if (!op.contains("direction")) return makeError("orthographic scissors need \"direction\"");
    auto dir = point(op["direction"], "\"direction\"");
    if (!dir) return dir.error();
    p.directionMm = *dir;
  }
  auto box = roi(session.volume().geometry(), op);
  if (!box) return box.error();
  p.roi = *box;
  return withEdit(session, rule, tool, name, op, [&](tools::LabelEdit& e) { return tools::applyScissors(e, p); });
}

}  // namespace

std::optional<core::Result<OpOutcome>> applySemiAutoOperation(Session& session, const json& op) {
  const std::string tool = op.value("tool", "");
  static const char* const kTools[] = {"grow", "grow_from_seeds", "contour", "interpolate", "scissors", "threshold",
                                       "islands", "fill_holes", "margin", "smooth", "logical"};
  if (std::find(std::begin(kTools), std::end(kTools), tool) == std::end(kTools)) return std::nullopt;
  auto rule = paintRule(session, op);
  if (!rule) return Result<OpOutcome>(rule.error());
  if (tool == "grow") {
    auto grown = grow(session, op, *rule, {});
    if (!grown) return Result<OpOutcome>(grown.error());
    return Result<OpOutcome>(std::move(grown->step));
  }
  if (tool == "grow_from_seeds") return growFromSeeds(session, op, *rule);
  if (tool == "contour" || tool == "scissors") return contourOrScissors(session, tool, op, *rule);

  const core::Geometry& g = session.volume().geometry();
  auto id = label(session, op, "label");
  if (!id) return Result<OpOutcome>(id.error());
  const std::string labelName = nameOf(session, *id);
  if (tool == "interpolate") {
    auto axis = integer(op, "axis", 2);
    if (!axis) return Result<OpOutcome>(axis.error());
    tools::InterpolationParams p{*id, int(*axis), true};
    return withEdit(session, *rule, tool, "Interpolate · " + labelName, op,
                    [&](tools::LabelEdit& e) { return tools::interpolateSlices(e, p); });
  }
  if (tool == "threshold") {
    auto lo = number(op, "lower"), hi = number(op, "upper");
    auto box = roi(g, op);
    if (!lo) return Result<OpOutcome>(lo.error());
    if (!hi) return Result<OpOutcome>(hi.error());
    if (!box) return Result<OpOutcome>(box.error());
    tools::ThresholdParams p{*lo, *hi, *id, *box};
    return withEdit(session, *rule, tool, "Threshold · " + labelName, op,
                    [&](tools::LabelEdit& e) { return tools::threshold(session.volume(), e, p); });
  }
  if (tool == "islands" || tool == "fill_holes") {
    auto conn = integer(op, "connectivity", 6);
    if (!conn) return Result<OpOutcome>(conn.error());
    tools::IslandParams p{*id, int(*conn)};
    if (tool == "fill_holes")
      return withEdit(session, *rule, tool, "Fill holes · " + labelName, op,
                      [&](tools::LabelEdit& e) { return tools::fillHoles(e, p); });
    auto mode = choice(op, "mode", "keep_largest", {"keep_largest", "remove_small"});
    auto min = integer(op, "min_voxels", 0);
    if (!mode) return Result<OpOutcome>(mode.error());
    if (!min) return Result<OpOutcome>(min.error());
    if (*mode == "remove_small" && *min < 1) return Result<OpOutcome>(makeError("\"min_voxels\" must be at least 1"));
    return withEdit(session, *rule, tool, "Islands · " + labelName, op, [&](tools::LabelEdit& e) {
      return *mode == "keep_largest" ? tools::keepLargestIsland(e, p) : tools::removeSmallIslands(e, p, *min);
    });
  }
  if (tool == "margin") {
    auto mm = number(op, "margin_mm");
    if (!mm) return Result<OpOutcome>(mm.error());
    return withEdit(session, *rule, tool, (*mm > 0 ? "Grow margin · " : "Shrink margin · ") + labelName, op,
                    [&](tools::LabelEdit& e) { return tools::applyMargin(e, *id, *mm); });
  }
  if (tool == "smooth") {
    auto method = choice(op, "method", "median", {"median", "opening", "closing"});
    auto mm = number(op, "radius_mm");
    if (!method) return Result<OpOutcome>(method.error());
    if (!mm) return Result<OpOutcome>(mm.error());
    auto m = *method == "median" ? tools::SmoothMethod::Median
                                 : (*method == "opening" ? tools::SmoothMethod::Opening : tools::SmoothMethod::Closing);
    return withEdit(session, *rule, tool, "Smooth (" + *method + ") · " + labelName, op,
                    [&](tools::LabelEdit& e) { return tools::smoothLabel(e, *id, m, *mm); });
  }
  // logical
  auto operation = choice(op, "op", "union", {"union", "intersect", "subtract"});
  if (!operation) return Result<OpOutcome>(operation.error());
  auto kind = *operation == "union" ? tools::LogicalOp::Union
                                    : (*operation == "intersect" ? tools::LogicalOp::Intersect : tools::LogicalOp::Subtract);
  std::optional<core::Labelmap> other;
  std::uint8_t otherLabel = 0;
  if (op.contains("other_labelmap")) {
    if (!op["other_labelmap"].is_string()) return Result<OpOutcome>(makeError("\"other_labelmap\" must be a path"));
    std::string path = op["other_labelmap"].get<std::string>();
    auto loaded = io::readLabelmap(path);
    if (!loaded) return Result<OpOutcome>(loaded.error());
    if (auto r = loaded->checkMatches(g, path); !r) return Result<OpOutcome>(r.error());
    other = std::move(loaded).value();
    auto b = integer(op, "other", 0);
    if (!b) return Result<OpOutcome>(b.error());
    if (*b < 1 || *b > 255) return Result<OpOutcome>(makeError("\"other\" must be a label id 1..255"));
    otherLabel = std::uint8_t(*b);
  } else {
    auto b = label(session, op, "other");
    if (!b) return Result<OpOutcome>(b.error());
    otherLabel = *b;
  }
  return withEdit(session, *rule, tool, "Logical " + *operation + " · " + labelName, op, [&](tools::LabelEdit& e) {
    return tools::logicalOperation(e, kind, *id, other ? *other : session.labelmap(), otherLabel);
  });
}

core::Result<GrowOperationOutcome> applyGrowOperation(Session& session, const json& op,
                                                     const core::TaskControl& control) {
  if (op.value("tool", "") != "grow") return makeError("not a grow operation: " + op.dump());
  auto rule = paintRule(session, op);
  if (!rule) return rule.error();
  return grow(session, op, *rule, control);
}

}  // namespace delineo::app
