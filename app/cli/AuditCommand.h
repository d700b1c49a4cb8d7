#pragma once
// `delineo audit LABELMAP [--json|--csv]`: the full edit trail of a labelmap from its journal —
// who, when, which tool, which labels, how many voxels changed.

#include <string>

#include <CLI/CLI.hpp>

namespace delineo::app {

struct AuditOptions {
  std::string labelmap;  // the labelmap whose <labelmap>.journal is read (or the journal itself)
  bool json = false;     // JSON on stdout
  bool csv = false;      // CSV on stdout
};

void addAuditCommand(CLI::App& cli, AuditOptions& options);
int runAudit(const AuditOptions& options);

}  // namespace delineo::app
