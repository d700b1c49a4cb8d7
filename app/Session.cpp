#include "app/Session.h"

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <pwd.h>
#include <unistd.h>

#include "core/io/ImageIO.h"

namespace delineo::app {

namespace fs = std::filesystem;

namespace {

std::int64_t nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

std::string defaultAnnotator() {
  if (const char* user = std::getenv("USER"); user && *user) return user;
  if (const passwd* pw = getpwuid(getuid()); pw && pw->pw_name) return pw->pw_name;
  return "unknown";
}

Session::Session(io::LoadedImage image, core::Labelmap labelmap, std::string labelmapPath, tools::Journal journal,
                 const SessionOptions& options)
    : mImage(std::move(image)),
      mLabelmap(std::move(labelmap)),
      mLabelmapPath(std::move(labelmapPath)),
      mJournal(std::move(journal)),
      mHistory(options.historyBudgetBytes),
      mHash(mLabelmap),
      mAnnotator(options.annotator.empty() ? defaultAnnotator() : options.annotator) {}

core::Result<Session> Session::open(io::LoadedImage image, const std::string& labelmapPath,
                                    const SessionOptions& options) {
  const core::Geometry& grid = image.volume.geometry();
  std::error_code ec;
  const bool fileExists = !options.newDocument && fs::exists(labelmapPath, ec);
  core::Labelmap labelmap;
  if (fileExists) {
    auto read = io::readLabelmap(labelmapPath);
    if (!read) return read.error();
    if (auto r = read->checkMatches(grid, labelmapPath); !r) return r.error();
    labelmap = std::move(read).value();
  } else if (image.labels) {
    labelmap = *image.labels;
  } else {
    labelmap = core::Labelmap(grid);
  }

  std::vector<std::string> notices;
  const std::string journalPath = tools::Journal::pathFor(labelmapPath);
  tools::History recovered(options.historyBudgetBytes);
  std::optional<tools::Journal> journal;
  std::size_t newer = 0;
  if (fs::exists(journalPath, ec)) {
    auto contents = tools::Journal::read(journalPath);
    std::optional<std::size_t> start;
    if (contents && contents->geometry.sameGrid(grid) && !options.newDocument) {
      if (fileExists) {
        start = tools::recoveryStart(contents->records, tools::LabelmapHash::of(labelmap));
      } else {
        labelmap = core::Labelmap(grid);  // the journal's base rebuilds everything
        start = 0;
      }
    }
    if (start) {
      for (const auto& w : contents->warnings) notices.push_back(w);
      core::Labelmap replayed = labelmap;
      // The table as last saved is in the journal in full (formats such as NIfTI's sidecar
      // drop locks and terminology).
      if (*start > 0 && contents->records[*start - 1].step.tableAfter)
        replayed.labels() = *contents->records[*start - 1].step.tableAfter;
      for (std::size_t i = *start; i < contents->records.size(); ++i)
        newer += contents->records[i].kind != tools::JournalRecord::Kind::Checkpoint &&
                 contents->records[i].kind != tools::JournalRecord::Kind::Base;  // not an edit
      if (!tools::replayRecords(contents->records, *start, replayed, recovered))
        return core::makeError(journalPath + ": journal does not fit " + labelmapPath + "; it was left untouched");
      labelmap = std::move(replayed);
      if (newer > 0)
        notices.push_back("recovered " + std::to_string(newer) + " unsaved step(s) from " + journalPath);
      auto opened = tools::Journal::openForAppend(journalPath);
      if (!opened) return opened.error();
      journal = std::move(opened).value();
    } else {
      // Not this file's journal (or unreadable): keep it aside, never delete a user's data.
      std::string aside = journalPath + ".orphaned-" + std::to_string(nowMs());
      fs::rename(journalPath, aside, ec);
      std::string why = options.newDocument ? " belongs to the labelmap being replaced"
                        : contents           ? " does not match " + labelmapPath
                                             : " is unreadable (" + contents.message() + ")";
      notices.push_back(journalPath + why + "; moved aside to " + aside);
    }
  }
  if (!journal) {
    auto created = tools::Journal::create(journalPath, labelmap, tools::LabelmapHash::of(labelmap));
    if (!created) return created.error();
    journal = std::move(created).value();
  }
  Session session(std::move(image), std::move(labelmap), labelmapPath, std::move(*journal), options);
  session.mHistory = std::move(recovered);
  session.mNotices = std::move(notices);
  session.mUnsaved = newer > 0;
  return session;
}

core::Result<void> Session::journal(tools::JournalRecord::Kind kind, const tools::Step* step) {
  tools::JournalRecord record;
  record.kind = kind;
  record.hashAfter = mHash.value();
  if (step) record.step = *step;
  record.step.timeMs = step && step->timeMs ? step->timeMs : nowMs();
  if (record.step.annotator.empty()) record.step.annotator = mAnnotator;
  return mJournal.append(record);
}

void Session::touched(const tools::EditDelta& delta) {
  auto bricks = delta.brickIndices();
  mHash.update(mLabelmap, bricks);
  mDirtyBricks.insert(mDirtyBricks.end(), bricks.begin(), bricks.end());
}

core::Result<bool> Session::commit(tools::Step step) {
  if (step.changesNothing()) return false;
  if (!step.timeMs) step.timeMs = nowMs();
  step.annotator = mAnnotator;
  if (!step.voxels.empty()) {
    // Editing an approved label's voxels reopens its review.
    auto changes = tools::labelChanges(mLabelmap, step.voxels);
    std::optional<core::LabelTable> before = step.tableBefore ? step.tableBefore : mLabelmap.labels();
    bool reopened = false;
    for (auto& label : mLabelmap.labels().labelsForEdit())
      if (changes.touches(label.id) && label.review.state == core::Review::State::Approved) {
        label.review = {core::Review::State::Draft, {}, "edited after approval"};
        reopened = true;
      }
    if (reopened) {
      step.tableBefore = before;
      step.tableAfter = mLabelmap.labels();
    }
  }
  touched(step.voxels);
  if (auto r = journal(tools::JournalRecord::Kind::Step, &step); !r)
    return core::makeError(r.message() + " — the edit is applied but not yet safe; save now");
  mHistory.push(std::move(step));
  mUnsaved = true;
  return true;
}

core::Result<bool> Session::undo() {
  const tools::Step* step = mHistory.undo(mLabelmap);
  if (!step) return false;
  touched(step->voxels);
  mUnsaved = true;
  if (auto r = journal(tools::JournalRecord::Kind::Undo, nullptr); !r) return r.error();
  return true;
}

core::Result<bool> Session::redo() {
  const tools::Step* step = mHistory.redo(mLabelmap);
  if (!step) return false;
  touched(step->voxels);
  mUnsaved = true;
  if (auto r = journal(tools::JournalRecord::Kind::Redo, nullptr); !r) return r.error();
  return true;
}

core::Result<void> Session::save(const std::string& path) {
  const std::string target = path.empty() ? mLabelmapPath : path;
  if (auto r = io::writeLabelmap(mLabelmap, target); !r) return r;
  if (target != mLabelmapPath) {
    // "Save as": the document now lives at `target`; its journal goes with it.
    if (auto r = mJournal.moveTo(tools::Journal::pathFor(target)); !r) return r;
    mLabelmapPath = target;
  }
  tools::Step checkpoint;
  checkpoint.name = "Saved";
  checkpoint.tool = "save";
  checkpoint.tableAfter = mLabelmap.labels();
  if (auto r = journal(tools::JournalRecord::Kind::Checkpoint, &checkpoint); !r) return r;
  mUnsaved = false;
  return {};
}

std::vector<std::int64_t> Session::takeDirtyBricks() {
  std::sort(mDirtyBricks.begin(), mDirtyBricks.end());
  mDirtyBricks.erase(std::unique(mDirtyBricks.begin(), mDirtyBricks.end()), mDirtyBricks.end());
  return std::exchange(mDirtyBricks, {});
}

}  // namespace delineo::app
