#include "tools/LabelOps.h"

#include "tools/LabelEdit.h"

namespace delineo::tools {

namespace {

core::Result<core::Label*> existing(core::Labelmap& labelmap, std::uint8_t id) {
  core::Label* label = labelmap.labels().find(id);
  if (!label) return core::makeError("label " + std::to_string(id) + " is not in the label table");
  return label;
}

// A table-only step: `change` edits the label; the step records the table before and after.
template <typename F>
core::Result<Step> tableStep(core::Labelmap& labelmap, std::uint8_t id, std::string tool, std::string name, F change) {
  auto label = existing(labelmap, id);
  if (!label) return label.error();
  Step step;
  step.tool = std::move(tool);
  step.name = std::move(name);
  step.tableBefore = labelmap.labels();
  change(**label);
  step.tableAfter = labelmap.labels();
  if (*step.tableBefore == *step.tableAfter) step.tableBefore.reset(), step.tableAfter.reset();
  return step;
}

// Rewrites every voxel holding `from` to `to` through a LabelEdit.
EditDelta relabel(core::Labelmap& labelmap, std::uint8_t from, std::uint8_t to) {
  PaintRule rule;
  rule.over = PaintRule::Over::OnlyLabel;
  rule.onlyLabel = from;
  LabelEdit edit(labelmap, nullptr, rule);
  const auto& g = labelmap.geometry();
  for (std::int64_t k = 0; k < g.dims[2]; ++k)
    for (std::int64_t j = 0; j < g.dims[1]; ++j)
      for (std::int64_t i = 0; i < g.dims[0]; ++i)
        if (labelmap.at(i, j, k) == from) edit.set(i, j, k, to);
  return edit.finish();
}

}  // namespace

core::Result<Step> addLabel(core::Labelmap& labelmap, const std::string& name, std::uint8_t id,
                            std::optional<std::array<std::uint8_t, 4>> rgba) {
  Step step;
  step.tool = "label.add";
  step.tableBefore = labelmap.labels();
  if (id == 0) {
    auto added = labelmap.labels().add(name);
    if (!added) return added.error();
    id = *added;
  } else {
    if (labelmap.labels().find(id)) return core::makeError("label " + std::to_string(id) + " already exists");
    core::Label l;
    l.id = id;
    l.name = name.empty() ? "Label " + std::to_string(id) : name;
    l.rgba = core::LabelTable::defaultColor(id);
    if (auto r = labelmap.labels().set(l); !r) return r.error();
  }
  if (rgba) labelmap.labels().find(id)->rgba = *rgba;
  step.name = "Add label · " + labelmap.labels().find(id)->name;
  step.tableAfter = labelmap.labels();
  return step;
}

core::Result<Step> renameLabel(core::Labelmap& labelmap, std::uint8_t id, const std::string& name) {
  if (name.empty()) return core::makeError("a label name cannot be empty");
  return tableStep(labelmap, id, "label.rename", "Rename label · " + name, [&](core::Label& l) { l.name = name; });
}

core::Result<Step> recolorLabel(core::Labelmap& labelmap, std::uint8_t id, std::array<std::uint8_t, 4> rgba) {
  auto* l = labelmap.labels().find(id);
  std::string name = l ? l->name : "";
  return tableStep(labelmap, id, "label.color", "Recolour · " + name, [&](core::Label& x) { x.rgba = rgba; });
}

core::Result<Step> setLabelTerminology(core::Labelmap& labelmap, std::uint8_t id, const core::Terminology& t) {
  auto* l = labelmap.labels().find(id);
  std::string name = l ? l->name : "";
  return tableStep(labelmap, id, "label.terminology", "Terminology · " + name,
                   [&](core::Label& x) { x.terminology = t; });
}

core::Result<Step> setLabelLocked(core::Labelmap& labelmap, std::uint8_t id, bool locked) {
  auto* l = labelmap.labels().find(id);
  std::string name = l ? l->name : "";
  return tableStep(labelmap, id, "label.lock", (locked ? "Lock · " : "Unlock · ") + name,
                   [&](core::Label& x) { x.locked = locked; });
}

core::Result<Step> setLabelVisible(core::Labelmap& labelmap, std::uint8_t id, bool visible) {
  auto* l = labelmap.labels().find(id);
  std::string name = l ? l->name : "";
  return tableStep(labelmap, id, "label.visible", (visible ? "Show · " : "Hide · ") + name,
                   [&](core::Label& x) { x.visible = visible; });
}

core::Result<Step> setLabelReview(core::Labelmap& labelmap, std::uint8_t id, const core::Review& review) {
  auto* l = labelmap.labels().find(id);
  std::string name = l ? l->name : "";
  return tableStep(labelmap, id, "label.review",
                   std::string("Review · ") + name + " " + core::reviewStateName(review.state),
                   [&](core::Label& x) { x.review = review; });
}

core::Result<Step> mergeLabels(core::Labelmap& labelmap, std::uint8_t from, std::uint8_t into) {
  if (from == into) return core::makeError("cannot merge a label into itself");
  auto source = existing(labelmap, from);
  if (!source) return source.error();
  auto target = existing(labelmap, into);
  if (!target) return target.error();
  if ((*source)->locked) return core::makeError("label '" + (*source)->name + "' is locked; unlock it to merge");
  Step step;
  step.tool = "label.merge";
  step.name = "Merge · " + (*source)->name + " into " + (*target)->name;
  step.tableBefore = labelmap.labels();
  step.voxels = relabel(labelmap, from, into);
  labelmap.labels().remove(from);
  step.tableAfter = labelmap.labels();
  return step;
}

core::Result<Step> deleteLabel(core::Labelmap& labelmap, std::uint8_t id) {
  auto label = existing(labelmap, id);
  if (!label) return label.error();
  if ((*label)->locked) return core::makeError("label '" + (*label)->name + "' is locked; unlock it to delete");
  Step step;
  step.tool = "label.delete";
  step.name = "Delete label · " + (*label)->name;
  step.tableBefore = labelmap.labels();
  step.voxels = relabel(labelmap, id, 0);
  labelmap.labels().remove(id);
  step.tableAfter = labelmap.labels();
  return step;
}

}  // namespace delineo::tools
