#include "app/cli/ReplayCommand.h"
#include "app/cli/CliError.h"

#include <cstdio>
#include <ctime>
#include <iostream>

#include "core/io/ImageIO.h"
#include "tools/Journal.h"

namespace delineo::app {

void addReplayCommand(CLI::App& cli, ReplayOptions& options) {
  auto* cmd = cli.add_subcommand("replay", "Rebuild a labelmap from its journal");
  cmd->add_option("journal", options.journal, "The <labelmap>.journal file")->required();
  cmd->add_option("--volume", options.volume, "The study the labelmap lies on")->required();
  cmd->add_option("--out", options.out, "Labelmap to write (.seg.nrrd, .nii.gz, .nrrd, .mha)")->required();
  cmd->add_option("--series", options.seriesUid, "DICOM SeriesInstanceUID when the folder holds several");
  cmd->add_flag("--list", options.list, "Print each step as it is replayed");
}

int runReplay(const ReplayOptions& options) {
  const auto fail = failWith;
  auto contents = tools::Journal::read(options.journal);
  if (!contents) return fail(contents.message());
  for (const auto& w : contents->warnings) std::cerr << "warning: " << w << "\n";
  io::ReadOptions read;
  read.seriesUid = options.seriesUid;
  auto image = io::readImage(options.volume, read);
  if (!image) return fail(image.message());
  std::string difference = contents->geometry.describeDifference(image->volume.geometry());
  if (!difference.empty())
    return fail(options.journal + ": the journal's labelmap does not lie on " + options.volume + "'s grid: " + difference);
  core::Labelmap labelmap(image->volume.geometry());
  tools::History history(SIZE_MAX);
  if (!tools::replayRecords(contents->records, 0, labelmap, history))
    return fail(options.journal + ": a step does not fit the labelmap (corrupt journal)");
  if (options.list) {
    for (const auto& r : contents->records) {
      static const char* kKinds[] = {"", "base", "step", "undo", "redo", "save"};
      std::time_t t = static_cast<std::time_t>(r.step.timeMs / 1000);
      char when[32];
      std::strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", std::gmtime(&t));
      std::printf("%s  %-5s %s (%lld voxels)\n", when, kKinds[static_cast<int>(r.kind)], r.step.name.c_str(),
                  static_cast<long long>(r.step.voxels.changedVoxels));
    }
  }
  if (auto r = io::writeLabelmap(labelmap, options.out); !r) return fail(r.message());
  std::cerr << "replayed " << contents->records.size() << " record(s); wrote " << options.out << "\n";
  return 0;
}

}  // namespace delineo::app
