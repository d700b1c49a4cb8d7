#include "app/cli/ConvertCommand.h"
#include "app/cli/CliError.h"

#include <iostream>

#include "app/cli/Progress.h"
#include "core/io/DicomSeg.h"
#include "core/io/ImageIO.h"
#include "core/io/SegNrrd.h"

namespace delineo::app {

namespace {

// A DICOM SEG to a labelmap: onto the series it was drawn on, or onto its own grid.
int convertDicomSeg(const ConvertOptions& options) {
  const auto fail = failWith;
  if (!options.uidMap.empty() && options.reference.empty())
    return fail("--uid-map needs --reference: the series the de-identified SEG was exported from");
  ProgressPrinter progress(!options.quiet);
  core::Result<io::SegImport> seg = core::makeError("");
  if (options.reference.empty()) {
    seg = io::readDicomSeg(options.input, progress.control());
  } else {
    io::ReadOptions read;
    read.seriesUid = options.seriesUid;
    auto reference = io::readImage(options.reference, read, progress.control());
    if (!reference) return fail(reference.message() + " (the --reference series of " + options.input + ")");
    if (!options.uidMap.empty())
      if (auto mapped = io::applyDeidentifyMap(*reference, options.uidMap); !mapped) return fail(mapped.message());
    seg = io::readDicomSegOnto(options.input, *reference, progress.control());
  }
  progress.finish();
  if (!seg) return fail(seg.message());
  for (const auto& w : seg->warnings) std::cerr << "warning: " << w << "\n";
  if (auto r = io::writeLabelmap(seg->labelmap, options.output); !r) return fail(r.message());
  if (!options.quiet)
    std::cerr << "wrote " << options.output << " (" << seg->labelmap.labels().size() << " labels"
              << (options.reference.empty() ? ", on the SEG's own grid" : "") << ")\n";
  return 0;
}

}  // namespace

void addConvertCommand(CLI::App& cli, ConvertOptions& options) {
  auto* cmd = cli.add_subcommand("convert", "Convert a study or labelmap to another format (by OUT's extension)");
  cmd->add_option("input", options.input, "DICOM file or folder, .nii/.nii.gz, .nrrd/.nhdr, .mha/.mhd, .inv3, .seg.nrrd")
      ->required();
  cmd->add_option("output", options.output, ".nii, .nii.gz, .nrrd, .mha, or .seg.nrrd for a labelmap")->required();
  cmd->add_option("--series", options.seriesUid, "DICOM SeriesInstanceUID when the folder holds several");
  cmd->add_flag("--labelmap", options.labelmap, "Treat the input as a labelmap (names/colours kept)");
  cmd->add_option("--labels-out", options.labelsOut, "Also write the input's labels (e.g. InVesalius masks) here");
  cmd->add_option("--reference", options.reference, "IN is a DICOM SEG: the DICOM series it was drawn on");
  cmd->add_option("--uid-map", options.uidMap,
                  "IN is a de-identified DICOM SEG: the map it was exported with, to match --reference");
  cmd->add_flag("-q,--quiet", options.quiet, "No progress output");
}

int runConvert(const ConvertOptions& options) {
  const auto fail = failWith;
  if (!io::isWritablePath(options.output))
    return fail(options.output + ": cannot write this format (use .nii, .nii.gz, .nrrd, .mha or .seg.nrrd)");
  if (!options.labelsOut.empty() && !io::isWritablePath(options.labelsOut))
    return fail(options.labelsOut + ": cannot write a labelmap in this format");
  // Only a DICOM file can be a SEG; known image formats are not parsed as DICOM.
  if (!io::isWritablePath(options.input) && io::isDicomSegFile(options.input)) return convertDicomSeg(options);
  if (!options.reference.empty()) return fail(options.input + ": --reference applies to a DICOM SEG input only");

  bool asLabelmap = options.labelmap || io::isSegNrrdPath(options.output) || io::isSegNrrdPath(options.input);
  if (asLabelmap) {
    auto labelmap = io::readLabelmap(options.input);
    if (!labelmap) return fail(labelmap.message());
    if (auto r = io::writeLabelmap(*labelmap, options.output); !r) return fail(r.message());
    if (!options.quiet)
      std::cerr << "wrote " << options.output << " (" << labelmap->labels().size() << " labels)\n";
    return 0;
  }

  ProgressPrinter progress(!options.quiet);
  io::ReadOptions read;
  read.seriesUid = options.seriesUid;
  auto image = io::readImage(options.input, read, progress.control());
  progress.finish();
  if (!image) return fail(image.message());
  for (const auto& w : image->warnings) std::cerr << "warning: " << w << "\n";
  if (auto r = io::writeVolume(image->volume, options.output); !r) return fail(r.message());
  if (!options.quiet) std::cerr << "wrote " << options.output << "\n";
  if (!options.labelsOut.empty()) {
    if (!image->labels) return fail(options.input + ": has no labels to write to " + options.labelsOut);
    if (auto r = io::writeLabelmap(*image->labels, options.labelsOut); !r) return fail(r.message());
    if (!options.quiet) std::cerr << "wrote " << options.labelsOut << "\n";
  }
  return 0;
}

}  // namespace delineo::app
