// delineo: immersive volumetric annotation of medical images. Command-line entry point.

#include <iostream>

#include <CLI/CLI.hpp>

#include "app/Samples.h"
#include "app/cli/AgreeCommand.h"
#include "app/cli/ApplyCommand.h"
#include "app/cli/AuditCommand.h"
#include "app/cli/CompareCommand.h"
#include "app/cli/GrowCommand.h"
#include "app/cli/ConvertCommand.h"
#include "app/cli/ExportSegCommand.h"
#include "app/cli/InfoCommand.h"
#include "app/cli/PacsCommand.h"
#include "app/cli/Progress.h"
#include "app/cli/RenderCommand.h"
#include "app/cli/ReplayCommand.h"
#include "app/cli/StatsCommand.h"

namespace {

// Opens a sample study. Until the desktop viewer lands, "opening" prints what was loaded.
int openSample(const std::string& name) {
  delineo::app::ProgressPrinter progress(true);
  auto image = delineo::app::loadSample(name, progress.control());
  progress.finish();
  if (!image) {
    std::cerr << "delineo: error: " << image.message() << "\n";
    return 1;
  }
  std::string path;
  for (const auto& s : delineo::app::samples())
    if (s.name == name) path = s.volumePath;
  delineo::app::printImageInfo(std::cout, "sample '" + name + "': " + path, *image);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"Delineo: volumetric annotation of CT and MR studies"};
  cli.set_version_flag("--version", DELINEO_VERSION);
  std::string sample = "ct";
  std::string sampleHelp = "Sample study to open when no command is given:";
  for (const auto& s : delineo::app::samples()) sampleHelp += "\n  " + s.name + ": " + s.description;
  cli.add_option("--sample", sample, sampleHelp)->capture_default_str();
  std::string annotator;
  cli.add_option("--annotator", annotator, "Name recorded with every edit (default: the OS user)");
  cli.fallthrough();  // global options may follow the command

  delineo::app::InfoOptions info;
  delineo::app::addInfoCommand(cli, info);
  delineo::app::ConvertOptions convert;
  delineo::app::addConvertCommand(cli, convert);
  delineo::app::ExportSegOptions exportSeg;
  delineo::app::addExportSegCommand(cli, exportSeg);
  delineo::app::PacsOptions pacs;
  delineo::app::addPacsCommand(cli, pacs);

  delineo::app::ApplyOptions apply;
  delineo::app::addApplyCommand(cli, apply);
  delineo::app::StatsOptions stats;
  delineo::app::addStatsCommand(cli, stats);
  delineo::app::CompareOptions compare;
  delineo::app::addCompareCommand(cli, compare);
  delineo::app::AgreeOptions agree;
  delineo::app::addAgreeCommand(cli, agree);
  delineo::app::AuditOptions audit;
  delineo::app::addAuditCommand(cli, audit);
  delineo::app::ReplayOptions replay;
  delineo::app::addReplayCommand(cli, replay);
  delineo::app::GrowOptions grow;
  delineo::app::addGrowCommand(cli, grow);

  delineo::app::RenderOptions render;
  delineo::app::addRenderCommand(cli, render);
  CLI11_PARSE(cli, argc, argv);

  if (cli.got_subcommand("info")) return delineo::app::runInfo(info);
  if (cli.got_subcommand("convert")) return delineo::app::runConvert(convert);
  if (cli.got_subcommand("export-seg")) return delineo::app::runExportSeg(exportSeg);
  if (cli.got_subcommand("pacs")) return delineo::app::runPacs(cli, pacs);
  apply.annotator = annotator;
  if (cli.got_subcommand("apply")) return delineo::app::runApply(apply);
  if (cli.got_subcommand("stats")) return delineo::app::runStats(stats);
  if (cli.got_subcommand("compare")) return delineo::app::runCompare(compare);
  if (cli.got_subcommand("render")) return delineo::app::runRender(render);
  if (cli.got_subcommand("agree")) return delineo::app::runAgree(agree);
  if (cli.got_subcommand("audit")) return delineo::app::runAudit(audit);
  if (cli.got_subcommand("replay")) return delineo::app::runReplay(replay);
  if (cli.got_subcommand("grow")) return delineo::app::runGrow(grow);
  return openSample(sample);
}
