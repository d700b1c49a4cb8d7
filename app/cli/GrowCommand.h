#pragma once
// `delineo grow VOLUME (--seed X,Y,Z | --seed-ijk I,J,K)... --lower L --upper U
//  [--connectivity 6|18|26] [--label N] [--into LABELMAP] [--max-voxels N] [--timing] --out LABELMAP`:
// connected-threshold region growing from one or more seeds into a labelmap (a new one, or
// --into), through the Session as the ops script's "grow": the label is added when missing, the
// grow is one journaled, undoable step (recorded with the annotator), and the labelmap is saved
// atomically to --out, its journal beside it.

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace delineo::app {

struct GrowOptions {
  std::string volume;                    // the study
  std::vector<std::string> seedsMm;      // "X,Y,Z" in LPS mm (nearest voxel)
  std::vector<std::string> seedsIjk;     // "I,J,K" voxel indices
  double lower = 0;                      // inclusive intensity range (HU for CT)
  double upper = 0;
  int connectivity = 6;                  // 6, 18 or 26
  int label = 1;                         // label id painted (added to the table when missing)
  std::string into;                      // start from this labelmap instead of an empty one
  std::string out;                       // where the result is written
  long long maxVoxels = 0;               // leak guard: fail instead of painting more (0 = none)
  bool timing = false;                   // print grow_ms=<ms of the algorithm alone> to stderr
  std::string seriesUid;                 // DICOM series, when the folder holds several
  std::string annotator;                 // recorded with the journaled steps; empty = the OS user
};

void addGrowCommand(CLI::App& cli, GrowOptions& options);
int runGrow(const GrowOptions& options);

}  // namespace delineo::app
