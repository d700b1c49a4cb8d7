#pragma once
// `delineo apply VOLUME --labels LABELMAP --ops OPS.jsonl [--out LABELMAP]`: opens LABELMAP as
// the application does (recovering its journal), applies the script's operations one by one,
// each committed and journaled, and saves to --out (default LABELMAP).

#include <string>

#include <CLI/CLI.hpp>

namespace delineo::app {

struct ApplyOptions {
  std::string volume;    // the study the labelmap belongs to
  std::string labels;    // labelmap to edit (created empty when missing)
  std::string ops;       // JSON-lines operation script
  std::string out;       // where to save; default: `labels`
  std::string seriesUid; // DICOM series, when the folder holds several
  bool verbose = false;  // print each committed step
  std::string annotator; // recorded with every step; empty = the OS user
};

void addApplyCommand(CLI::App& cli, ApplyOptions& options);
int runApply(const ApplyOptions& options);

}  // namespace delineo::app
