#pragma once
// `delineo agree VOLUME A B [C ...] [--json] [--consensus OUT]`: agreement between annotators
// of one study — per label the pairwise Dice and 95th-percentile Hausdorff matrices, and a
// STAPLE consensus with each annotator's estimated sensitivity and specificity.

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace delineo::app {

struct AgreeOptions {
  std::string volume;                   // the study the annotations lie on
  std::vector<std::string> annotations; // two or more labelmaps
  bool json = false;                    // JSON on stdout
  std::string consensus;                // write the STAPLE consensus labelmap here
  std::string seriesUid;                // DICOM series, when the folder holds several
};

void addAgreeCommand(CLI::App& cli, AgreeOptions& options);
int runAgree(const AgreeOptions& options);

}  // namespace delineo::app
