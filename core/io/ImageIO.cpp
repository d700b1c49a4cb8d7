#include "core/io/ImageIO.h"

#include <filesystem>
#include <system_error>

#include "core/io/AtomicFile.h"
#include "core/io/DicomSeries.h"
#include "core/io/InVesalius.h"
#include "core/io/ItkImageIO.h"
#include "core/io/SegNrrd.h"

namespace delineo::io {

namespace fs = std::filesystem;

namespace {

core::Result<void> checkExists(const std::string& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return core::makeError(path + ": no such file or folder");
  return {};
}

// A labelmap seen as an image: uint8 voxels of label ids, with its table alongside.
LoadedImage labelmapAsImage(core::Labelmap labelmap, const std::string& format) {
  LoadedImage image;
  image.volume = core::Volume(labelmap.geometry(), core::ScalarType::UInt8);
  auto src = labelmap.voxels();
  std::copy(src.begin(), src.end(), image.volume.voxels<std::uint8_t>().begin());
  image.labels = std::move(labelmap);
  image.format = format;
  return image;
}

}  // namespace

core::Result<LoadedImage> readImage(const std::string& path, const ReadOptions& options,
                                    const core::TaskControl& control) {
  if (auto r = checkExists(path); !r) return r.error();
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    DicomLoadOptions dicom;
    dicom.seriesUid = options.seriesUid;
    return loadDicomSeries(path, dicom, control);
  }
  if (isSegNrrdPath(path)) {
    std::vector<std::string> warnings;
    auto labelmap = readSegNrrd(path, &warnings);
    if (!labelmap) return labelmap.error();
    auto image = labelmapAsImage(std::move(labelmap).value(), "Slicer segmentation");
    image.warnings = std::move(warnings);
    return image;
  }
  if (isInVesaliusPath(path)) return readInVesalius(path, control);
  if (isItkImagePath(path)) return readItkImage(path, control);
  if (isDicomFile(path)) {
    DicomLoadOptions dicom;
    dicom.seriesUid = options.seriesUid;
    return loadDicomSeries(path, dicom, control);
  }
  return core::makeError(path +
                         ": not a format Delineo reads (DICOM, NIfTI .nii/.nii.gz, NRRD "
                         ".nrrd/.nhdr, MetaImage .mha/.mhd, InVesalius .inv3, Slicer .seg.nrrd)");
}

core::Result<core::Labelmap> readLabelmap(const std::string& path) {
  if (auto r = checkExists(path); !r) return r.error();
  if (isSegNrrdPath(path)) return readSegNrrd(path);
  if (isItkImagePath(path)) return readItkLabelmap(path);
  if (isInVesaliusPath(path)) {
    auto image = readInVesalius(path);
    if (!image) return image.error();
    if (!image->labels) return core::makeError(path + ": the InVesalius project holds no masks");
    return std::move(*image->labels);
  }
  return core::makeError(path +
                         ": not a labelmap format Delineo reads (.seg.nrrd, or an integer "
                         "NIfTI/NRRD/MetaImage image)");
}

bool isWritablePath(const std::string& path) { return isSegNrrdPath(path) || isItkImagePath(path); }

core::Result<void> writeVolume(const core::Volume& volume, const std::string& path) {
  if (isSegNrrdPath(path))
    return core::makeError(path + ": .seg.nrrd holds labelmaps; write the volume as .nrrd, "
                                  ".nii.gz or .mha");
  if (isItkImagePath(path)) return writeItkVolume(volume, path);
  return core::makeError(path + ": cannot write this format (use .nii, .nii.gz, .nrrd, .mha)");
}

core::Result<void> writeLabelmap(const core::Labelmap& labelmap, const std::string& path) {
  if (isSegNrrdPath(path)) return writeSegNrrd(labelmap, path);
  if (isItkImagePath(path)) return writeItkLabelmap(labelmap, path);
  return core::makeError(path +
                         ": cannot write a labelmap in this format (use .seg.nrrd, .nii.gz, "
                         ".nrrd or .mha)");
}

}  // namespace delineo::io
