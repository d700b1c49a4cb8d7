#pragma once
// `delineo compare A B [--json]`: per label, Dice, Jaccard, volume difference, Hausdorff and
// 95th-percentile Hausdorff distance (mm) between two labelmaps on the same grid.

#include <string>

#include <CLI/CLI.hpp>

namespace delineo::app {

struct CompareOptions {
  std::string a;      // reference labelmap
  std::string b;      // labelmap compared with it
  bool json = false;  // JSON on stdout
};

void addCompareCommand(CLI::App& cli, CompareOptions& options);
int runCompare(const CompareOptions& options);

}  // namespace delineo::app
