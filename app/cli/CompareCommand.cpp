#include "app/cli/CompareCommand.h"
#include "app/cli/CliError.h"

#include <cstdio>
#include <iostream>

#include <nlohmann/json.hpp>

#include "core/io/ImageIO.h"
#include "tools/Compare.h"

namespace delineo::app {

void addCompareCommand(CLI::App& cli, CompareOptions& options) {
  auto* cmd = cli.add_subcommand("compare", "Agreement of two labelmaps per label: Dice, Jaccard, Hausdorff");
  cmd->add_option("a", options.a, "Reference labelmap")->required();
  cmd->add_option("b", options.b, "Labelmap to compare")->required();
  cmd->add_flag("--json", options.json, "JSON on stdout");
}

int runCompare(const CompareOptions& options) {
  const auto fail = failWith;
  auto a = io::readLabelmap(options.a);
  if (!a) return fail(a.message());
  auto b = io::readLabelmap(options.b);
  if (!b) return fail(b.message());
  if (auto r = b->checkMatches(a->geometry(), options.b); !r) return fail(r.message());
  auto result = tools::compareLabelmaps(*a, *b);
  if (!result) return fail(result.message());
  auto nameOf = [&](std::uint8_t id) {
    const core::Label* l = a->labels().find(id);
    if (!l) l = b->labels().find(id);
    return l ? l->name : "Label " + std::to_string(id);
  };
  auto optional = [](const std::optional<double>& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); };
  if (options.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& c : *result)
      out.push_back({{"id", c.id}, {"name", nameOf(c.id)}, {"voxels_a", c.voxelsA}, {"voxels_b", c.voxelsB},
                     {"dice", c.dice}, {"jaccard", c.jaccard}, {"volume_difference_ml", c.volumeDifferenceMl},
                     {"hausdorff_mm", optional(c.hausdorffMm)}, {"hausdorff95_mm", optional(c.hausdorff95Mm)}});
    std::cout << out.dump(2) << "\n";
    return 0;
  }
  std::printf("%4s  %-24s %8s %8s %12s %10s %10s\n", "id", "name", "dice", "jaccard", "dVol (mL)", "HD (mm)", "HD95 (mm)");
  for (const auto& c : *result) {
    auto mm = [](const std::optional<double>& v) {
      char buffer[32];
      if (v) std::snprintf(buffer, sizeof buffer, "%10.2f", *v);
      else std::snprintf(buffer, sizeof buffer, "%10s", "-");
      return std::string(buffer);
    };
    std::printf("%4d  %-24s %8.4f %8.4f %12.3f %s %s\n", c.id, nameOf(c.id).c_str(), c.dice, c.jaccard,
                c.volumeDifferenceMl, mm(c.hausdorffMm).c_str(), mm(c.hausdorff95Mm).c_str());
  }
  return 0;
}

}  // namespace delineo::app
