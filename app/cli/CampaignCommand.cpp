#include "app/cli/CampaignCommand.h"

#include <cstdio>
#include <iostream>
#include <map>

#include <nlohmann/json.hpp>

#include "app/Campaign.h"
#include "app/Session.h"

namespace delineo::app {

void addCampaignCommand(CLI::App& cli, CampaignOptions& options) {
  auto* cmd = cli.add_subcommand("campaign", "Annotation campaigns: progress of every case, the next case to do");
  cmd->add_option("action", options.action, "status | next")->required()->check(CLI::IsMember({"status", "next"}));
  cmd->add_option("file", options.file, "The campaign file (JSON)")->required();
  cmd->add_flag("--json", options.json, "JSON on stdout");
}

int runCampaign(const CampaignOptions& options) {
  auto campaign = Campaign::load(options.file);
  if (!campaign) {
    std::cerr << "delineo: error: " << campaign.message() << "\n";
    return 1;
  }
  if (options.action == "next") {
    const std::string annotator = options.annotator.empty() ? defaultAnnotator() : options.annotator;
    auto next = nextCase(*campaign, annotator);
    if (!next) {
      std::cerr << "no case left for " << annotator << " in " << campaign->name << "\n";
      return 2;
    }
    if (options.json) {
      std::cout << nlohmann::json{{"case", next->id}, {"volume", campaign->volumePath(*next)},
                                  {"series_uid", next->seriesUid}, {"labelmap", campaign->labelmapPath(*next, annotator)}}
                       .dump(2)
                << "\n";
    } else {
      std::printf("case %s\n  study     %s\n  labelmap  %s\n", next->id.c_str(), campaign->volumePath(*next).c_str(),
                  campaign->labelmapPath(*next, annotator).c_str());
    }
    return 0;
  }
  auto statuses = campaignStatus(*campaign);
  std::map<std::string, int> counts;
  for (const auto& s : statuses) ++counts[s.status];
  const double done = statuses.empty() ? 0.0 : 100.0 * (counts["approved"] + counts["skipped"]) / double(statuses.size());
  if (options.json) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& s : statuses)
      list.push_back({{"case", s.caseId}, {"annotator", s.annotator}, {"status", s.status},
                      {"label_states", s.labelStates}, {"problems", s.problems}});
    std::cout << nlohmann::json{{"campaign", campaign->name}, {"assignments", list}, {"counts", counts},
                                {"percent_done", done}}.dump(2)
              << "\n";
  } else {
    std::printf("%s: %zu case(s), %zu assignment(s), %.0f%% approved\n", campaign->name.c_str(),
                campaign->cases.size(), statuses.size(), done);
    for (const auto& s : statuses) {
      std::printf("  %-16s %-14s %s\n", s.caseId.c_str(), s.annotator.c_str(), s.status.c_str());
      for (const auto& p : s.problems) std::printf("      ! %s\n", p.c_str());
    }
    for (const auto& [status, n] : counts) std::printf("  %-12s %d\n", status.c_str(), n);
  }
  return 0;
}

}  // namespace delineo::app
