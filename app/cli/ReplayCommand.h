#pragma once
// `delineo replay JOURNAL --volume VOLUME --out LABELMAP`: rebuilds a labelmap from its
// journal alone (base, every step, undo and redo), reproducing it exactly; for teaching and
// for audits.

#include <string>

#include <CLI/CLI.hpp>

namespace delineo::app {

struct ReplayOptions {
  std::string journal;    // the .journal file
  std::string volume;     // the study (its grid must match the journal's)
  std::string out;        // labelmap to write
  std::string seriesUid;  // DICOM series, when the folder holds several
  bool list = false;      // print the steps as they are replayed
};

void addReplayCommand(CLI::App& cli, ReplayOptions& options);
int runReplay(const ReplayOptions& options);

}  // namespace delineo::app
