#pragma once
// Session: the open document — the volume, its labelmap, the undo History and the Journal.
// It is the one place where tool results are committed: every commit is journaled (fsync'ed)
// before it counts, so a crash loses no committed step. Opening a labelmap whose journal holds
// newer steps replays them. Valid while open; not thread-safe (the UI thread owns it).

#include <cstdint>
#include <string>
#include <vector>

#include "core/Labelmap.h"
#include "core/Result.h"
#include "core/Volume.h"
#include "core/io/LoadedImage.h"
#include "tools/History.h"
#include "tools/Journal.h"
#include "tools/LabelmapHash.h"

namespace delineo::app {

struct SessionOptions {
  std::size_t historyBudgetBytes = tools::History::kDefaultBudgetBytes;  // undo memory cap
  std::string annotator;  // recorded with every journaled step; empty = the OS user
  bool newDocument = false;  // start from the image's labels or empty even when labelmapPath exists (the file
                             // is replaced on save); a journal already there is moved aside, never replayed
};

// The OS user name ($USER, else the password database), or "unknown".
std::string defaultAnnotator();

class Session {
 public:
  // Opens `image` for annotation into `labelmapPath`: the labelmap is read when the file exists
  // (it must lie on the volume's grid; not with options.newDocument), else it starts from the
  // image's own labels or empty.
  // A journal beside it is recovered (newer steps replayed) or started.
  static core::Result<Session> open(io::LoadedImage image, const std::string& labelmapPath,
                                    const SessionOptions& options = {});

  const core::Volume& volume() const { return mImage.volume; }
  const io::LoadedImage& image() const { return mImage; }
  const core::Labelmap& labelmap() const { return mLabelmap; }
  // For building a tools::LabelEdit whose result is then committed here.
  core::Labelmap& labelmapForEdit() { return mLabelmap; }
  const tools::History& history() const { return mHistory; }
  const std::string& labelmapPath() const { return mLabelmapPath; }
  const std::string& journalPath() const { return mJournal.path(); }
  // What happened on open (recovered steps, torn records dropped, orphaned journals).
  const std::vector<std::string>& notices() const { return mNotices; }
  bool unsavedChanges() const { return mUnsaved; }
  std::uint64_t hash() const { return mHash.value(); }
  const std::string& annotator() const { return mAnnotator; }

  // Commits an edit already applied to the labelmap: journaled, then pushed to the history.
  // Returns false (and records nothing) when the step changes nothing. Labels whose voxels
  // the step changes and that were approved return to draft (within the same step).
  core::Result<bool> commit(tools::Step step);
  core::Result<bool> undo();
  core::Result<bool> redo();
  // Writes the labelmap (format by extension, atomically) to `path` (default: where it was
  // opened from); the journal follows it and gets a checkpoint.
  core::Result<void> save(const std::string& path = {});

  // Bricks changed since the last call (for the renderer's partial texture updates).
  std::vector<std::int64_t> takeDirtyBricks();

 private:
  Session(io::LoadedImage image, core::Labelmap labelmap, std::string labelmapPath, tools::Journal journal,
          const SessionOptions& options);
  core::Result<void> journal(tools::JournalRecord::Kind kind, const tools::Step* step);
  void touched(const tools::EditDelta& delta);

  io::LoadedImage mImage;
  core::Labelmap mLabelmap;
  std::string mLabelmapPath;
  tools::Journal mJournal;
  tools::History mHistory;
  tools::LabelmapHash mHash;
  std::vector<std::string> mNotices;
  std::vector<std::int64_t> mDirtyBricks;
  std::string mAnnotator;
  bool mUnsaved = false;
};

}  // namespace delineo::app
