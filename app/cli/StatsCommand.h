#pragma once
// `delineo stats VOLUME LABELMAP [--json|--csv]`: per label, voxels, mL, intensity
// mean/σ/min/max, bounding box and centroid in LPS mm.

#include <string>

#include <CLI/CLI.hpp>

namespace delineo::app {

struct StatsOptions {
  std::string volume;    // the study the labelmap lies on
  std::string labels;    // the labelmap
  bool json = false;     // JSON on stdout
  bool csv = false;      // CSV on stdout
  std::string seriesUid; // DICOM series, when the folder holds several
};

void addStatsCommand(CLI::App& cli, StatsOptions& options);
int runStats(const StatsOptions& options);

}  // namespace delineo::app
