#include "app/cli/AgreeCommand.h"
#include "app/cli/CliError.h"

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>

#include <nlohmann/json.hpp>

#include "core/io/ImageIO.h"
#include "tools/Compare.h"
#include "tools/Staple.h"

namespace delineo::app {

void addAgreeCommand(CLI::App& cli, AgreeOptions& options) {
  auto* cmd = cli.add_subcommand("agree", "Agreement between annotators: pairwise Dice/HD95 and a STAPLE consensus");
  cmd->add_option("volume", options.volume, "The study the annotations lie on")->required();
  cmd->add_option("annotations", options.annotations, "Two or more labelmaps of the same study")->required()->expected(2, -1);
  cmd->add_flag("--json", options.json, "JSON on stdout");
  cmd->add_option("--consensus", options.consensus, "Write the STAPLE consensus labelmap here");
  cmd->add_option("--series", options.seriesUid, "DICOM SeriesInstanceUID when the folder holds several");
}

int runAgree(const AgreeOptions& options) {
  const auto fail = failWith;
  if (options.annotations.size() < 2) return fail("agree needs at least two annotations");
  if (!options.consensus.empty() && !io::isWritablePath(options.consensus))
    return fail(options.consensus + ": cannot write a labelmap in this format");
  io::ReadOptions read;
  read.seriesUid = options.seriesUid;
  auto image = io::readImage(options.volume, read);
  if (!image) return fail(image.message());
  std::vector<core::Labelmap> maps;
  for (const auto& path : options.annotations) {
    auto m = io::readLabelmap(path);
    if (!m) return fail(m.message());
    if (auto r = m->checkMatches(image->volume.geometry(), path); !r) return fail(r.message());
    maps.push_back(std::move(m).value());
  }
  // Label tables should agree: the same id meaning the same structure.
  for (std::size_t a = 1; a < maps.size(); ++a)
    for (const auto& l : maps[a].labels().labels())
      if (const core::Label* ref = maps[0].labels().find(l.id); ref && ref->name != l.name)
        std::cerr << "warning: label " << int(l.id) << " is '" << ref->name << "' in " << options.annotations[0]
                  << " but '" << l.name << "' in " << options.annotations[a] << "\n";

  const std::size_t n = maps.size();
  struct Matrices {
    std::vector<std::vector<double>> dice;
    std::vector<std::vector<std::optional<double>>> hd95;
  };
  std::map<std::uint8_t, Matrices> perLabel;
  auto matricesFor = [&](std::uint8_t id) -> Matrices& {
    auto [it, inserted] = perLabel.try_emplace(id);
    if (inserted) {
      it->second.dice.assign(n, std::vector<double>(n, 1.0));
      it->second.hd95.assign(n, std::vector<std::optional<double>>(n, 0.0));
    }
    return it->second;
  };
  for (std::size_t a = 0; a < n; ++a)
    for (std::size_t b = a + 1; b < n; ++b) {
      auto result = tools::compareLabelmaps(maps[a], maps[b]);
      if (!result) return fail(result.message());
      for (const auto& c : *result) {
        Matrices& m = matricesFor(c.id);
        m.dice[a][b] = m.dice[b][a] = c.dice;
        m.hd95[a][b] = m.hd95[b][a] = c.hausdorff95Mm;
      }
    }
  std::vector<const core::Labelmap*> raters;
  for (const auto& m : maps) raters.push_back(&m);
  auto consensus = tools::staple(raters);
  if (!consensus) return fail(consensus.message());

  auto nameOf = [&](std::uint8_t id) {
    for (const auto& m : maps)
      if (const core::Label* l = m.labels().find(id)) return l->name;
    return "Label " + std::to_string(id);
  };
  auto labelIndex = [&](std::uint8_t id) {
    for (std::size_t i = 0; i < consensus->labelIds.size(); ++i)
      if (consensus->labelIds[i] == id) return i;
    return std::size_t{0};
  };
  if (options.json) {
    nlohmann::json labels = nlohmann::json::array();
    for (const auto& [id, m] : perLabel) {
      nlohmann::json hd = nlohmann::json::array();
      for (const auto& row : m.hd95) {
        nlohmann::json r = nlohmann::json::array();
        for (const auto& v : row) r.push_back(v ? nlohmann::json(*v) : nlohmann::json(nullptr));
        hd.push_back(r);
      }
      nlohmann::json stapleJson = nlohmann::json::array();
      for (std::size_t r = 0; r < n; ++r)
        stapleJson.push_back({{"annotator", options.annotations[r]},
                              {"sensitivity", consensus->sensitivity[r][labelIndex(id)]},
                              {"specificity", consensus->specificity[r][labelIndex(id)]}});
      labels.push_back({{"id", id}, {"name", nameOf(id)}, {"dice", m.dice}, {"hausdorff95_mm", hd}, {"staple", stapleJson}});
    }
    std::cout << nlohmann::json{{"annotators", options.annotations}, {"labels", labels},
                                {"staple_iterations", consensus->iterations}}.dump(2)
              << "\n";
  } else {
    for (std::size_t r = 0; r < n; ++r) std::printf("annotator %zu: %s\n", r + 1, options.annotations[r].c_str());
    for (const auto& [id, m] : perLabel) {
      std::printf("\nlabel %d %s\n  Dice / HD95 (mm)\n", id, nameOf(id).c_str());
      for (std::size_t a = 0; a < n; ++a) {
        std::printf("  %zu:", a + 1);
        for (std::size_t b = 0; b < n; ++b) {
          if (m.hd95[a][b]) std::printf("  %.3f/%6.2f", m.dice[a][b], *m.hd95[a][b]);
          else std::printf("  %.3f/%6s", m.dice[a][b], "-");
        }
        std::printf("\n");
      }
      std::printf("  STAPLE sensitivity/specificity:");
      for (std::size_t r = 0; r < n; ++r)
        std::printf("  %zu: %.3f/%.4f", r + 1, consensus->sensitivity[r][labelIndex(id)],
                    consensus->specificity[r][labelIndex(id)]);
      std::printf("\n");
    }
  }
  if (!options.consensus.empty()) {
    if (auto r = io::writeLabelmap(consensus->consensus, options.consensus); !r) return fail(r.message());
    std::cerr << "wrote STAPLE consensus to " << options.consensus << " (" << consensus->iterations << " iterations)\n";
  }
  return 0;
}

}  // namespace delineo::app
