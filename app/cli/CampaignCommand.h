#pragma once
// `delineo campaign status FILE [--json]` prints where every case and annotator stands;
// `delineo campaign next FILE [--annotator NAME]` names the next case to annotate.

#include <string>

#include <CLI/CLI.hpp>

namespace delineo::app {

struct CampaignOptions {
  std::string action;     // "status" or "next"
  std::string file;       // the campaign JSON file
  bool json = false;      // JSON on stdout
  std::string annotator;  // next: whose next case (default: the OS user)
};

void addCampaignCommand(CLI::App& cli, CampaignOptions& options);
int runCampaign(const CampaignOptions& options);

}  // namespace delineo::app
