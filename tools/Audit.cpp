#include "tools/Audit.h"

#include <utility>

namespace delineo::tools {

namespace {

std::string labelName(const core::LabelTable& table, std::uint8_t id) {
  if (id == 0) return "background";
  const core::Label* l = table.find(id);
  return l ? l->name : "Label " + std::to_string(id);
}

}  // namespace

std::vector<AuditEntry> auditTrail(const JournalContents& contents) {
  static const char* kActions[] = {"", "base", "step", "undo", "redo", "save"};
  // The brick grid only: deltas are decoded against it, never applied.
  const core::Labelmap grid(contents.geometry);
  std::vector<const Step*> undoStack, redoStack;
  core::LabelTable table;
  std::vector<AuditEntry> out;
  for (const auto& r : contents.records) {
    AuditEntry e;
    e.timeMs = r.step.timeMs;
    e.annotator = r.step.annotator;
    e.action = kActions[static_cast<int>(r.kind)];
    const Step* subject = &r.step;
    bool reverse = false;
    switch (r.kind) {
      case JournalRecord::Kind::Step:
        undoStack.push_back(&r.step);
        redoStack.clear();
        break;
      case JournalRecord::Kind::Undo:
        subject = undoStack.empty() ? nullptr : undoStack.back();
        if (subject) {
          undoStack.pop_back();
          redoStack.push_back(subject);
        }
        reverse = true;
        break;
      case JournalRecord::Kind::Redo:
        subject = redoStack.empty() ? nullptr : redoStack.back();
        if (subject) {
          redoStack.pop_back();
          undoStack.push_back(subject);
        }
        break;
      case JournalRecord::Kind::Base:
      case JournalRecord::Kind::Checkpoint:
        break;
    }
    if (subject) {
      e.tool = subject->tool;
      e.name = subject->name;
      if (r.kind != JournalRecord::Kind::Checkpoint) {
        auto changes = labelChanges(grid, subject->voxels);
        if (reverse) std::swap(changes.gained, changes.lost);
        // Names as the table stood around the change (a delete removes the label from it).
        const core::LabelTable& names = subject->tableBefore ? *subject->tableBefore : table;
        for (int id = 0; id < 256; ++id) {
          auto i = static_cast<std::uint8_t>(id);
          if (!changes.touches(i) || id == 0) continue;
          const core::Label* inAfter = subject->tableAfter ? subject->tableAfter->find(i) : nullptr;
          e.labels.push_back({i, inAfter ? inAfter->name : labelName(names, i), changes.gained[i], changes.lost[i]});
        }
        e.voxelsChanged = subject->voxels.changedVoxels;
      }
      if (reverse && subject->tableBefore) table = *subject->tableBefore;
      else if (!reverse && subject->tableAfter) table = *subject->tableAfter;
    }
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace delineo::tools
