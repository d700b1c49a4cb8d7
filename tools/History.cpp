#include "tools/History.h"

#include <cassert>

namespace delineo::tools {

std::size_t Step::byteSize() const {
  std::size_t bytes = sizeof(Step) + name.capacity() + tool.capacity() + paramsJson.capacity() + annotator.capacity() +
                      voxels.byteSize();
  auto tableBytes = [](const core::LabelTable& t) {
    std::size_t b = t.size() * sizeof(core::Label);
    for (const auto& l : t.labels()) b += l.name.capacity();
    return b;
  };
  if (tableBefore) bytes += tableBytes(*tableBefore);
  if (tableAfter) bytes += tableBytes(*tableAfter);
  return bytes;
}

bool History::push(Step step) {
  if (step.changesNothing()) return false;
  for (const auto& s : mRedo) mBytes -= s.byteSize();
  mRedo.clear();
  mBytes += step.byteSize();
  mUndo.push_back(std::move(step));
  enforceBudget();
  return true;
}

void History::enforceBudget() {
  // The newest step always stays, even alone over budget: the user can undo what they just did.
  while (mBytes > mBudget && mUndo.size() > 1) {
    mBytes -= mUndo.front().byteSize();
    mUndo.pop_front();
    ++mDropped;
  }
}

const Step* History::undo(core::Labelmap& labelmap) {
  if (mUndo.empty()) return nullptr;
  Step& step = mUndo.back();
  bool ok = applyDelta(labelmap, step.voxels, DeltaDirection::Undo);
  assert(ok && "a history step must fit its labelmap");
  (void)ok;
  if (step.tableBefore) labelmap.labels() = *step.tableBefore;
  mRedo.push_back(std::move(step));
  mUndo.pop_back();
  return &mRedo.back();
}

const Step* History::redo(core::Labelmap& labelmap) {
  if (mRedo.empty()) return nullptr;
  Step& step = mRedo.back();
  bool ok = applyDelta(labelmap, step.voxels, DeltaDirection::Redo);
  assert(ok && "a history step must fit its labelmap");
  (void)ok;
  if (step.tableAfter) labelmap.labels() = *step.tableAfter;
  mUndo.push_back(std::move(step));
  mRedo.pop_back();
  return &mUndo.back();
}

bool History::skipUndo() {
  if (mUndo.empty()) return false;
  mRedo.push_back(std::move(mUndo.back()));
  mUndo.pop_back();
  return true;
}

bool History::skipRedo() {
  if (mRedo.empty()) return false;
  mUndo.push_back(std::move(mRedo.back()));
  mRedo.pop_back();
  return true;
}

}  // namespace delineo::tools
