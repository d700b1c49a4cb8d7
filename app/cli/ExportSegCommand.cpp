#include "app/cli/ExportSegCommand.h"
#include "app/cli/CliError.h"

#include <iostream>

#include "app/cli/Progress.h"
#include "core/io/DicomSeg.h"
#include "core/io/ImageIO.h"

namespace delineo::app {

void addExportSegCommand(CLI::App& cli, ExportSegOptions& options) {
  auto* cmd = cli.add_subcommand("export-seg", "Write a labelmap as a DICOM SEG referencing its source series");
  cmd->add_option("source", options.source, "DICOM folder or file of the series the labelmap was drawn on")
      ->required();
  cmd->add_option("labels", options.labels, "The labelmap (.seg.nrrd, .nii.gz, .nrrd, .mha)")->required();
  cmd->add_option("--out", options.output, "DICOM SEG file to write")->required();
  cmd->add_option("--series", options.seriesUid, "DICOM SeriesInstanceUID when the folder holds several");
  cmd->add_option("--description", options.description, "SeriesDescription of the new SEG series")
      ->capture_default_str();
  cmd->add_option("--creator", options.creator, "ContentCreatorName (DICOM person name, Family^Given)")
      ->capture_default_str();
  auto* deid = cmd->add_flag("--deidentify", options.deidentify,
                             "De-identify (DICOM PS3.15 basic profile): pseudonymous patient, new UIDs, dates "
                             "shifted or removed");
  cmd->add_option("--uid-map", options.uidMap,
                  "JSON map of source UIDs to new ones (created or extended), so later exports of the same "
                  "study get the same pseudonym and UIDs; keep it private, it re-identifies")
      ->needs(deid);
  auto* shift = cmd->add_option("--date-shift", options.dateShiftDays, "Shift every date by DAYS (may be negative)")
                    ->needs(deid);
  cmd->add_flag("--remove-dates", options.removeDates, "Remove dates instead of shifting them (the default "
                                                       "unless the map recorded a shift)")
      ->needs(deid)
      ->excludes(shift);
  cmd->add_flag("-q,--quiet", options.quiet, "No progress output");
}

int runExportSeg(const ExportSegOptions& options) {
  const auto fail = failWith;
  ProgressPrinter progress(!options.quiet);
  io::ReadOptions read;
  read.seriesUid = options.seriesUid;
  auto source = io::readImage(options.source, read, progress.control());
  progress.finish();
  if (!source) return fail(source.message());
  auto labelmap = io::readLabelmap(options.labels);
  if (!labelmap) return fail(labelmap.message());
  if (auto r = labelmap->checkMatches(source->volume.geometry(), options.labels); !r)
    return fail(r.message() + "; export the labelmap on the series it was drawn on");

  io::SegWriteOptions write;
  write.seriesDescription = options.description;
  write.contentCreatorName = options.creator;
  write.deidentify.enabled = options.deidentify;
  write.deidentify.mapPath = options.uidMap;
  write.deidentify.dateShiftDays = options.dateShiftDays;
  write.deidentify.removeDates = options.removeDates;
  auto report = io::writeDicomSeg(*labelmap, *source, options.output, write, progress.control());
  progress.finish();
  if (!report) return fail(report.message());
  for (const auto& w : report->warnings) std::cerr << "warning: " << w << "\n";
  if (!options.quiet) {
    std::cerr << "wrote " << options.output << " (" << report->segmentCount << " segments, " << report->frameCount
              << " frames" << (report->deidentified ? ", de-identified" : "") << ")\n";
    for (std::size_t n = 0; n < report->segmentLabelIds.size(); ++n)
      if (report->segmentLabelIds[n] != int(n + 1))
        std::cerr << "note: label " << report->segmentLabelIds[n] << " is segment " << n + 1 << "\n";
  }
  return 0;
}

}  // namespace delineo::app
