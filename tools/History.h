#pragma once
// History: named undo/redo steps under a byte budget. A step holds the compressed voxel delta
// of one committed edit (and the label table before/after when the edit changed it), so memory
// follows what changed, not the labelmap's size. The oldest steps drop when over budget.

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "core/LabelTable.h"
#include "core/Labelmap.h"
#include "tools/EditDelta.h"

namespace delineo::tools {

struct Step {
  std::string name;        // shown to the user: "Brush 8 mm · Liver"
  std::string tool;        // machine name: "brush", "label.rename", ...
  std::string paramsJson;  // the tool's parameters, as journaled
  std::int64_t timeMs = 0;  // wall-clock time of the commit (ms since the Unix epoch)
  std::string annotator;    // who made the edit (set by the Session)
  EditDelta voxels;
  std::optional<core::LabelTable> tableBefore;  // set when the step changed the label table
  std::optional<core::LabelTable> tableAfter;

  bool changesNothing() const { return voxels.empty() && !tableBefore; }
  std::size_t byteSize() const;
};

class History {
 public:
  static constexpr std::size_t kDefaultBudgetBytes = std::size_t{512} << 20;

  explicit History(std::size_t budgetBytes = kDefaultBudgetBytes) : mBudget(budgetBytes) {}

  // Adds a committed step (clearing redo). A step that changes nothing is not added: false.
  bool push(Step step);

  bool canUndo() const { return !mUndo.empty(); }
  bool canRedo() const { return !mRedo.empty(); }
  // Reverts the newest step on `labelmap` (voxels and table); returns it, or nullptr.
  const Step* undo(core::Labelmap& labelmap);
  const Step* redo(core::Labelmap& labelmap);
  // Moves the newest step to redo / the next redo back, without touching any labelmap: used
  // when rebuilding the history from a journal whose effects are already in the labelmap.
  bool skipUndo();
  bool skipRedo();

  // Oldest first: the steps that can be undone, then (separately) redone.
  const std::deque<Step>& undoSteps() const { return mUndo; }
  const std::deque<Step>& redoSteps() const { return mRedo; }  // back() is the next redo
  std::size_t bytes() const { return mBytes; }
  std::size_t budget() const { return mBudget; }
  std::size_t droppedSteps() const { return mDropped; }

 private:
  void enforceBudget();

  std::size_t mBudget;
  std::deque<Step> mUndo;  // back() is the newest
  std::deque<Step> mRedo;  // back() is the next to redo
  std::size_t mBytes = 0;
  std::size_t mDropped = 0;
};

}  // namespace delineo::tools
