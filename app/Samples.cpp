#include "app/Samples.h"

#include <filesystem>

#include "core/io/ImageIO.h"
#include "core/io/MricronLabels.h"

namespace delineo::app {

namespace {
const char* kMricronDir = "/usr/share/mricron/templates";
}

const std::vector<SampleInfo>& samples() {
  static const std::vector<SampleInfo> kSamples{
      {"ct", "head CT 256x256x108 (HU) with InVesalius bone and skin masks as labels",
       "/usr/share/doc/invesalius-examples/examples/Cranium.inv3", "invesalius-examples"},
      {"mri", "Colin27 T1 MRI 181x217x181 with the AAL atlas (116 regions) as labels",
       std::string(kMricronDir) + "/ch2.nii.gz", "mricron-data"},
  };
  return kSamples;
}

core::Result<io::LoadedImage> loadSample(const std::string& name, const core::TaskControl& control) {
  const SampleInfo* sample = nullptr;
  for (const auto& s : samples())
    if (s.name == name) sample = &s;
  if (!sample) {
    std::string names;
    for (const auto& s : samples()) names += (names.empty() ? "" : ", ") + s.name;
    return core::makeError("no sample named '" + name + "' (samples: " + names + ")");
  }
  if (!std::filesystem::exists(sample->volumePath))
    return core::makeError(sample->volumePath + ": sample not installed (apt-get install " +
                           sample->package + ")");
  auto image = io::readImage(sample->volumePath, {}, control);
  if (!image) return image.error();
  if (name == "mri") {
    std::string atlas = std::string(kMricronDir) + "/aal.nii.gz";
    auto labelmap = io::readLabelmap(atlas);
    if (!labelmap) return labelmap.error();
    auto table = io::readMricronLabels(std::string(kMricronDir) + "/aal.nii.txt",
                                       std::string(kMricronDir) + "/aal.nii.lut");
    if (!table) return table.error();
    labelmap->labels() = std::move(table).value();
    labelmap->addMissingLabels();
    if (auto r = labelmap->checkMatches(image->volume.geometry(), atlas); !r) return r.error();
    image->labels = std::move(labelmap).value();
  }
  return image;
}

}  // namespace delineo::app
