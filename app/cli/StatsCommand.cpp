#include "app/cli/StatsCommand.h"
#include "app/cli/CliError.h"

#include <cstdio>
#include <iostream>

#include <nlohmann/json.hpp>

#include "core/io/ImageIO.h"
#include "tools/Statistics.h"

namespace delineo::app {

void addStatsCommand(CLI::App& cli, StatsOptions& options) {
  auto* cmd = cli.add_subcommand("stats", "Statistics per label: volume, intensity, bounding box, centroid");
  cmd->add_option("volume", options.volume, "The study")->required();
  cmd->add_option("labels", options.labels, "The labelmap")->required();
  cmd->add_option("--series", options.seriesUid, "DICOM SeriesInstanceUID when the folder holds several");
  auto* json = cmd->add_flag("--json", options.json, "JSON on stdout");
  cmd->add_flag("--csv", options.csv, "CSV on stdout")->excludes(json);
}

int runStats(const StatsOptions& options) {
  const auto fail = failWith;
  io::ReadOptions read;
  read.seriesUid = options.seriesUid;
  auto image = io::readImage(options.volume, read);
  if (!image) return fail(image.message());
  auto labelmap = io::readLabelmap(options.labels);
  if (!labelmap) return fail(labelmap.message());
  if (auto r = labelmap->checkMatches(image->volume.geometry(), options.labels); !r) return fail(r.message());
  auto stats = tools::computeStatistics(*labelmap, &image->volume);
  auto nameOf = [&](std::uint8_t id) {
    const core::Label* l = labelmap->labels().find(id);
    return l ? l->name : "Label " + std::to_string(id);
  };
  auto v3 = [](core::Vec3 v) { return nlohmann::json::array({v.x, v.y, v.z}); };
  if (options.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& s : stats)
      out.push_back({{"id", s.id}, {"name", nameOf(s.id)}, {"voxels", s.voxels}, {"volume_ml", s.volumeMl},
                     {"mean", s.mean}, {"stddev", s.stddev}, {"min", s.min}, {"max", s.max},
                     {"centroid_lps_mm", v3(s.centroidMm)},
                     {"bounds_lps_mm", {v3(s.boundsMinMm), v3(s.boundsMaxMm)}},
                     {"bounds_ijk", {{s.ijkMin[0], s.ijkMin[1], s.ijkMin[2]}, {s.ijkMax[0], s.ijkMax[1], s.ijkMax[2]}}}});
    std::cout << out.dump(2) << "\n";
  } else if (options.csv) {
    std::printf("id,name,voxels,volume_ml,mean,stddev,min,max,centroid_x_mm,centroid_y_mm,centroid_z_mm,"
                "min_x_mm,min_y_mm,min_z_mm,max_x_mm,max_y_mm,max_z_mm\n");
    for (const auto& s : stats) {
      std::string name = nameOf(s.id);
      for (auto& c : name)
        if (c == '"') c = '\'';
      std::printf("%d,\"%s\",%lld,%.4f,%.3f,%.3f,%g,%g,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f\n", s.id,
                  name.c_str(), static_cast<long long>(s.voxels), s.volumeMl, s.mean, s.stddev, s.min, s.max,
                  s.centroidMm.x, s.centroidMm.y, s.centroidMm.z, s.boundsMinMm.x, s.boundsMinMm.y,
                  s.boundsMinMm.z, s.boundsMaxMm.x, s.boundsMaxMm.y, s.boundsMaxMm.z);
    }
  } else {
    std::printf("%4s  %-24s %10s %10s %9s %9s %9s %9s  %s\n", "id", "name", "voxels", "mL", "mean", "sd", "min",
                "max", "centroid (LPS mm)");
    for (const auto& s : stats)
      std::printf("%4d  %-24s %10lld %10.3f %9.1f %9.1f %9g %9g  %s\n", s.id, nameOf(s.id).c_str(),
                  static_cast<long long>(s.voxels), s.volumeMl, s.mean, s.stddev, s.min, s.max,
                  s.voxels ? core::toString(s.centroidMm, 1).c_str() : "-");
  }
  return 0;
}

}  // namespace delineo::app
