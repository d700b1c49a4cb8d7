#pragma once
// `delineo info PATH [--json]`: for a DICOM file or folder, the series it holds (and the
// geometry of the one it would load); for a volume, dims, spacing, origin, direction (LPS),
// modality, scalar type and value range; labels with voxel counts when the input has them.
// Never prints patient identity.

#include <iosfwd>
#include <string>

#include <CLI/CLI.hpp>

#include "core/io/LoadedImage.h"

namespace delineo::app {

struct InfoOptions {
  std::string path;       // file or folder to describe
  std::string seriesUid;  // DICOM: the series to describe in detail
  bool json = false;      // machine-readable output on stdout
};

void addInfoCommand(CLI::App& cli, InfoOptions& options);
int runInfo(const InfoOptions& options);

// Prints the description of an already loaded image (used by `info` and the sample launch).
void printImageInfo(std::ostream& out, const std::string& source, const io::LoadedImage& image);

}  // namespace delineo::app
