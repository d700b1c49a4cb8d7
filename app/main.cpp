// delineo: immersive volumetric annotation of medical images. Command-line entry point.

#include <iostream>

#include <CLI/CLI.hpp>

#include "app/Samples.h"
#include "app/cli/AgreeCommand.h"
#include "app/cli/ApplyCommand.h"
#include "app/cli/AuditCommand.h"
#include "app/cli/CampaignCommand.h"
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
#include "app/cli/VrCommand.h"
#include "app/desktop/ViewCommand.h"

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
  delineo::app::CampaignOptions campaign;
  delineo::app::addCampaignCommand(cli, campaign);
  delineo::app::AuditOptions audit;
  delineo::app::addAuditCommand(cli, audit);
  delineo::app::ReplayOptions replay;
  delineo::app::addReplayCommand(cli, replay);
  delineo::app::GrowOptions grow;
  delineo::app::addGrowCommand(cli, grow);

  delineo::app::RenderOptions render;
  delineo::app::addRenderCommand(cli, render);
  delineo::app::VrOptions vr;
  delineo::app::addVrCommand(cli, vr);
  delineo::app::ViewCommandOptions view;
  delineo::app::addViewCommand(cli, view);
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
  campaign.annotator = annotator;
  if (cli.got_subcommand("campaign")) return delineo::app::runCampaign(campaign);
  if (cli.got_subcommand("audit")) return delineo::app::runAudit(audit);
  if (cli.got_subcommand("replay")) return delineo::app::runReplay(replay);
  grow.annotator = annotator;
  if (cli.got_subcommand("grow")) return delineo::app::runGrow(grow);
  vr.annotator = annotator;
  vr.sample = sample;
  if (cli.got_subcommand("vr")) return delineo::app::runVr(vr);
  view.desktop.annotator = annotator;
  view.desktop.sample = sample;
  // `view`, or no command: the viewer (on the sample when no input is given).
  return delineo::app::runView(view);
}
