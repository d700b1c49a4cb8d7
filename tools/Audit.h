#pragma once
// The edit trail of a labelmap, read from its journal: who did what, when, with which tool, to
// which labels, and how many voxels changed. Undo and redo entries name the step they affect.

#include <cstdint>
#include <string>
#include <vector>

#include "core/Labelmap.h"
#include "tools/Journal.h"

namespace delineo::tools {

struct AuditEntry {
  std::int64_t timeMs = 0;
  std::string annotator;
  std::string action;  // "base", "step", "undo", "redo", "save"
  std::string tool;    // of the step (for undo/redo: of the step undone/redone)
  std::string name;    // "Brush 8 mm · Liver"
  struct LabelDelta {
    std::uint8_t id;
    std::string name;
    std::int64_t gained;  // voxels the label gained in this entry
    std::int64_t lost;    // ... and lost
  };
  std::vector<LabelDelta> labels;
  std::int64_t voxelsChanged = 0;
};

// Entries in journal order. `contents` comes from Journal::read.
std::vector<AuditEntry> auditTrail(const JournalContents& contents);

}  // namespace delineo::tools
