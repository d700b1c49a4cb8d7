#pragma once
// Journal: the crash-proof record of a labelmap's edits, `<labelmap>.journal` beside it. Every
// committed step is appended and fsync'ed before the edit is considered done: tool, parameters,
// time, the label table when it changed, and the resulting voxel delta (so recovery never
// re-runs a tool). The first record holds the labelmap as it was when the journal began, so
// the journal alone reproduces the labelmap (`delineo replay`). Saving appends a checkpoint.
// Records are length-prefixed and CRC-checked: a torn last record is detected and dropped.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/Geometry.h"
#include "core/LabelTable.h"
#include "core/Labelmap.h"
#include "core/Result.h"
#include "tools/History.h"

namespace delineo::tools {

struct JournalRecord {
  enum class Kind : std::uint8_t {
    Base = 1,        // the labelmap when the journal began (delta from all-background)
    Step = 2,        // a committed edit
    Undo = 3,        // the newest step was undone
    Redo = 4,        // the last undone step was redone
    Checkpoint = 5,  // the labelmap was saved; its file holds exactly this state
  };
  Kind kind = Kind::Step;
  std::uint64_t hashAfter = 0;  // LabelmapHash of the voxels after this record
  Step step;                    // Base/Step: the edit (tableAfter = table after); others: time only
};

struct JournalContents {
  core::Geometry geometry;              // grid the journal's labelmap lies on
  std::vector<JournalRecord> records;   // every intact record, in order
  std::vector<std::string> warnings;    // e.g. a torn last record that was dropped
};

class Journal {
 public:
  // Starts a new journal at `path` (replacing any) whose base is `labelmap` as it is now.
  static core::Result<Journal> create(const std::string& path, const core::Labelmap& labelmap,
                                      std::uint64_t hash);
  // Opens an existing journal for appending (after recovery); a torn tail is cut off first.
  static core::Result<Journal> openForAppend(const std::string& path);
  // Reads every intact record.
  static core::Result<JournalContents> read(const std::string& path);

  Journal(Journal&& other) noexcept;
  Journal& operator=(Journal&& other) noexcept;
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;
  ~Journal();

  const std::string& path() const { return mPath; }
  // Appends one record and fsyncs it: when this returns ok, the record survives a crash.
  core::Result<void> append(const JournalRecord& record);
  // Moves the journal to a new path (a labelmap "saved as"); the file stays open.
  core::Result<void> moveTo(const std::string& newPath);

  static std::string pathFor(const std::string& labelmapPath) { return labelmapPath + ".journal"; }

 private:
  Journal(std::string path, int fd) : mPath(std::move(path)), mFd(fd) {}

  std::string mPath;
  int mFd = -1;
};

// Replays records onto `labelmap` the way History would: Base/Step apply forward (and are
// pushed), Undo/Redo pop/push. `applyFrom` is the first record whose effect is written into
// `labelmap`; earlier records only build the stack (their effect is already in it).
// Returns false when a delta does not fit the labelmap.
bool replayRecords(const std::vector<JournalRecord>& records, std::size_t applyFrom,
                   core::Labelmap& labelmap, History& history);

// Where recovery must start for a labelmap file whose voxels hash to `fileHash`: the index of
// the first record not yet in the file, records.size() when the file is up to date, or nullopt
// when the journal does not describe this file.
std::optional<std::size_t> recoveryStart(const std::vector<JournalRecord>& records, std::uint64_t fileHash);

}  // namespace delineo::tools
