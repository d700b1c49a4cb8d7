#pragma once
// `delineo convert IN OUT [--series UID] [--labelmap] [--labels-out FILE] [--reference SERIES]`:
// any readable input to any writable format, chosen by OUT's extension; a DICOM SEG becomes a
// labelmap on its source series' grid (--reference) or on its own. Writes are atomic: a failure leaves no
// partial OUT and an existing OUT untouched.

#include <string>

#include <CLI/CLI.hpp>

namespace delineo::app {

struct ConvertOptions {
  std::string input;      // file or DICOM folder
  std::string output;     // .nii, .nii.gz, .nrrd, .mha, .seg.nrrd
  std::string seriesUid;  // DICOM: which series, when the folder holds several
  bool labelmap = false;  // treat IN as a labelmap (implied when OUT or IN is .seg.nrrd)
  std::string labelsOut;  // also write the labels that came with IN (e.g. .inv3 masks)
  std::string reference;  // IN is a DICOM SEG: the series it was drawn on (else the SEG's own grid)
  std::string uidMap;     // IN is a de-identified SEG: the map it was exported with (needs reference)
  bool quiet = false;     // no progress on stderr
};

void addConvertCommand(CLI::App& cli, ConvertOptions& options);
int runConvert(const ConvertOptions& options);

}  // namespace delineo::app
