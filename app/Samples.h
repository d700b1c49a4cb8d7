#pragma once
// The studies that ship with the setup (Debian packages): the head CT with its InVesalius
// masks as labels (the default), and the Colin27 T1 MRI with the AAL atlas as labels.

#include <string>
#include <vector>

#include "core/Result.h"
#include "core/TaskControl.h"
#include "core/io/LoadedImage.h"

namespace delineo::app {

struct SampleInfo {
  std::string name;         // what --sample takes: "ct", "mri"
  std::string description;  // one line for --help and the README
  std::string volumePath;   // the file opened
  std::string package;      // Debian package that installs it
};

const std::vector<SampleInfo>& samples();

// Loads a sample by name with its labels; the error says which package to install when the
// files are missing.
core::Result<io::LoadedImage> loadSample(const std::string& name, const core::TaskControl& control = {});

}  // namespace delineo::app
