#include "app/cli/AuditCommand.h"

#include <cstdio>
#include <ctime>
#include <iostream>

#include <nlohmann/json.hpp>

#include "tools/Audit.h"

namespace delineo::app {

namespace {

std::string isoTime(std::int64_t ms) {
  std::time_t t = static_cast<std::time_t>(ms / 1000);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return text;
}

std::string labelSummary(const tools::AuditEntry& e) {
  std::string s;
  for (const auto& l : e.labels) {
    if (!s.empty()) s += "; ";
    s += l.name;
    if (l.gained) s += " +" + std::to_string(l.gained);
    if (l.lost) s += " -" + std::to_string(l.lost);
  }
  return s;
}

std::string csvField(std::string v) {
  for (auto& c : v)
    if (c == '"') c = '\'';
  return "\"" + v + "\"";
}

}  // namespace

void addAuditCommand(CLI::App& cli, AuditOptions& options) {
  auto* cmd = cli.add_subcommand("audit", "The edit trail of a labelmap: who, when, which tool, which labels");
  cmd->add_option("labelmap", options.labelmap, "The labelmap (its .journal beside it is read) or a .journal")
      ->required();
  auto* json = cmd->add_flag("--json", options.json, "JSON on stdout");
  cmd->add_flag("--csv", options.csv, "CSV on stdout")->excludes(json);
}

int runAudit(const AuditOptions& options) {
  const std::string suffix = ".journal";
  bool isJournal = options.labelmap.size() > suffix.size() &&
                   options.labelmap.compare(options.labelmap.size() - suffix.size(), suffix.size(), suffix) == 0;
  const std::string path = isJournal ? options.labelmap : tools::Journal::pathFor(options.labelmap);
  auto contents = tools::Journal::read(path);
  if (!contents) {
    std::cerr << "delineo: error: " << contents.message() << "\n";
    return 1;
  }
  for (const auto& w : contents->warnings) std::cerr << "warning: " << w << "\n";
  auto trail = tools::auditTrail(*contents);
  if (options.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& e : trail) {
      nlohmann::json labels = nlohmann::json::array();
      for (const auto& l : e.labels)
        labels.push_back({{"id", l.id}, {"name", l.name}, {"gained", l.gained}, {"lost", l.lost}});
      out.push_back({{"time", isoTime(e.timeMs)}, {"annotator", e.annotator}, {"action", e.action},
                     {"tool", e.tool}, {"name", e.name}, {"labels", labels}, {"voxels_changed", e.voxelsChanged}});
    }
    std::cout << out.dump(2) << "\n";
  } else if (options.csv) {
    std::printf("time,annotator,action,tool,name,labels,voxels_changed\n");
    for (const auto& e : trail)
      std::printf("%s,%s,%s,%s,%s,%s,%lld\n", isoTime(e.timeMs).c_str(), csvField(e.annotator).c_str(),
                  e.action.c_str(), e.tool.c_str(), csvField(e.name).c_str(), csvField(labelSummary(e)).c_str(),
                  static_cast<long long>(e.voxelsChanged));
  } else {
    std::printf("%-20s  %-12s %-5s %-32s %10s  %s\n", "time (UTC)", "annotator", "what", "step", "voxels", "labels");
    for (const auto& e : trail)
      std::printf("%-20s  %-12s %-5s %-32s %10lld  %s\n", isoTime(e.timeMs).c_str(), e.annotator.c_str(),
                  e.action.c_str(), e.name.c_str(), static_cast<long long>(e.voxelsChanged), labelSummary(e).c_str());
  }
  return 0;
}

}  // namespace delineo::app
