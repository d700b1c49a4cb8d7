#include "core/io/ItkImageIO.h"

#include <fstream>

#include <nlohmann/json.hpp>

#include "core/LabelTableJson.h"

#include <itkImage.h>
#include <itkImageFileReader.h>
#include <itkImageFileWriter.h>
#include <itkImageIOBase.h>
#include <itkImageIOFactory.h>
#include <itkNiftiImageIO.h>
#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <sstream>
#include <type_traits>

#include "core/io/AtomicFile.h"
#include "core/io/ItkSupport.h"
#include "core/io/ItkSnapLabels.h"

namespace delineo::io {

namespace fs = std::filesystem;
using IOComponent = itk::IOComponentEnum;
using detail::itkReason;

namespace detail {

// ITK's descriptions run over several lines (location, "Tried to create one of the
// following:" lists); the first meaningful line is what a user can act on.
std::string itkReason(const itk::ExceptionObject& e) {
  std::istringstream in(e.GetDescription() ? e.GetDescription() : "");
  std::string reason;
  for (std::string line; std::getline(in, line);) {
    std::size_t b = line.find_first_not_of(" \t\r");
    if (b == std::string::npos) continue;
    std::size_t end = line.find_last_not_of(" \t\r");
    line = line.substr(b, end - b + 1);
    // "ITK ERROR: NiftiImageIO(0x55ba4d0b8490): ..." - the object address means nothing to a user.
    if (line.rfind("ITK ERROR: ", 0) == 0) {
      std::size_t close = line.find("): ");
      line = close == std::string::npos ? line.substr(11) : line.substr(close + 3);
    }
    reason += reason.empty() ? line : " " + line;
    // A line ending in ':' introduces the detail on the next line.
    if (reason.back() != ':') break;
  }
  if (reason.empty()) reason = "unknown ITK error";
  constexpr std::size_t kMaxLength = 300;
  if (reason.size() > kMaxLength) reason = reason.substr(0, kMaxLength) + "...";
  return reason;
}

core::Result<core::Geometry> geometryFromImageIO(const itk::ImageIOBase& io, const std::string& path) {
  const unsigned n = io.GetNumberOfDimensions();
  if (n < 2) return core::makeError(path + ": is a " + std::to_string(n) + "-D image; only 2-D and 3-D images are supported");
  std::string dimsText;
  for (unsigned a = 0; a < n; ++a) dimsText += (a ? "x" : "") + std::to_string(io.GetDimensions(a));
  for (unsigned a = 3; a < n; ++a)
    if (io.GetDimensions(a) != 1)
      return core::makeError(path + ": is a " + std::to_string(n) + "-D image (" + dimsText +
                             "); only 3-D images are supported (a time series or multi-channel image "
                             "must be split first)");

  core::Geometry g;
  const unsigned spatial = std::min(n, 3u);
  for (unsigned a = 0; a < spatial; ++a) {
    g.dims[a] = static_cast<std::int64_t>(io.GetDimensions(a));
    g.spacingMm[static_cast<int>(a)] = io.GetSpacing(a);
    g.originMm[static_cast<int>(a)] = io.GetOrigin(a);
    std::vector<double> column = io.GetDirection(a);
    core::Vec3 c;
    for (unsigned r = 0; r < std::min<std::size_t>(column.size(), 3); ++r) c[static_cast<int>(r)] = column[r];
    g.direction.setColumn(static_cast<int>(a), c);
  }
  if (spatial == 2) {
    // A single slice: k is the normal of the slice plane.
    g.dims[2] = 1;
    g.direction.setColumn(2, core::normalize(core::cross(g.direction.column(0), g.direction.column(1))));
  }
  if (auto valid = g.validate(path); !valid) return valid.error();
  return g;
}

}  // namespace detail

namespace {

template <typename T>
using Image3 = itk::Image<T, 3>;

const char* componentName(IOComponent c) {
  switch (c) {
    case IOComponent::UCHAR: return "uint8";
    case IOComponent::CHAR: return "int8";
    case IOComponent::USHORT: return "uint16";
    case IOComponent::SHORT: return "int16";
    case IOComponent::UINT: return "uint32";
    case IOComponent::INT: return "int32";
    case IOComponent::ULONG: return "uint64";
    case IOComponent::LONG: return "int64";
    case IOComponent::ULONGLONG: return "uint64";
    case IOComponent::LONGLONG: return "int64";
    case IOComponent::FLOAT: return "float32";
    case IOComponent::DOUBLE: return "float64";
    default: return "unknown";
  }
}

std::string formatName(const std::string& path) {
  std::string ext = fileExtension(path);
  if (ext == ".nii" || ext == ".nii.gz" || ext == ".hdr" || ext == ".img" || ext == ".img.gz") return "NIfTI";
  if (ext == ".nrrd" || ext == ".nhdr" || ext == ".seg.nrrd") return "NRRD";
  if (ext == ".mha" || ext == ".mhd") return "MetaImage";
  return "ITK";
}

// The file's header, read and checked for what we can represent: one scalar component,
// 2-D or 3-D (a 4-D file whose extra axes have size 1 counts as 3-D).
struct OpenedImage {
  itk::ImageIOBase::Pointer io;
  core::Geometry geometry;
  IOComponent component = IOComponent::UNKNOWNCOMPONENTTYPE;
};

// NIfTI-2 starts with sizeof_hdr 540 (either byte order, possibly gzip'd). ITK 5.2 reads
// NIfTI-1 only and would call such a file an unknown format.
bool isNifti2(const std::string& path) {
  gzFile f = gzopen(path.c_str(), "rb");
  if (!f) return false;
  unsigned char b[4] = {};
  int n = gzread(f, b, 4);
  gzclose(f);
  if (n != 4) return false;
  std::uint32_t little = b[0] | (b[1] << 8) | (b[2] << 16) | (std::uint32_t(b[3]) << 24);
  std::uint32_t big = b[3] | (b[2] << 8) | (b[1] << 16) | (std::uint32_t(b[0]) << 24);
  return little == 540 || big == 540;
}

core::Result<OpenedImage> openImage(const std::string& path, std::vector<std::string>* warnings = nullptr) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return core::makeError(path + ": file not found");
  if (fs::is_directory(path, ec)) return core::makeError(path + ": is a folder, not an image file");
  if (isNifti2(path))
    return core::makeError(path + ": is a NIfTI-2 file, which this version cannot read; save it as NIfTI-1 "
                           "(e.g. nibabel or 3D Slicer) or as NRRD");
  std::string ext = fileExtension(path);
  if (ext == ".hdr") {
    fs::path stem = fs::path(path).replace_extension();
    if (!fs::exists(stem.string() + ".img", ec) && !fs::exists(stem.string() + ".img.gz", ec))
      return core::makeError(path + ": the header's data file " + stem.filename().string() + ".img is missing");
  }
  OpenedImage opened;
  try {
    opened.io = itk::ImageIOFactory::CreateImageIO(path.c_str(), itk::IOFileModeEnum::ReadMode);
    if (!opened.io)
      return core::makeError(path + ": not a NIfTI, NRRD or MetaImage file that can be read (unknown format or corrupt header)");
    if (auto* nifti = dynamic_cast<itk::NiftiImageIO*>(opened.io.GetPointer())) {
      if (nifti->DetermineFileType(path.c_str()) == itk::NiftiImageIO::Analyze75) {
        // ITK's default flavour prints a deprecation notice to stderr; the user hears it from us.
        nifti->SetLegacyAnalyze75Mode(itk::NiftiImageIOEnums::Analyze75Flavor::AnalyzeITK4);
        if (warnings)
          warnings->push_back(fs::path(path).filename().string() +
                              ": an Analyze 7.5 file; its orientation is not reliable (check left and right)");
      }
    }
    opened.io->SetFileName(path);
    opened.io->ReadImageInformation();
  } catch (const itk::ExceptionObject& e) {
    return core::makeError(path + ": cannot read the image header: " + itkReason(e));
  } catch (const std::exception& e) {
    return core::makeError(path + ": cannot read the image header: " + e.what());
  }
  itk::ImageIOBase& io = *opened.io;
  opened.component = io.GetComponentType();
  if (io.GetNumberOfComponents() != 1)
    return core::makeError(path + ": has " + std::to_string(io.GetNumberOfComponents()) +
                           " components per voxel (" + io.GetPixelTypeAsString(io.GetPixelType()) +
                           "); only scalar images are supported");
  if (std::string(componentName(opened.component)) == "unknown")
    return core::makeError(path + ": unsupported voxel type " + io.GetComponentTypeAsString(opened.component));

  auto geometry = detail::geometryFromImageIO(io, path);
  if (!geometry) return geometry.error();
  opened.geometry = *geometry;
  return opened;
}

template <typename T>
core::Result<typename Image3<T>::Pointer> readPixels(const OpenedImage& opened, const std::string& path) {
  using Reader = itk::ImageFileReader<Image3<T>>;
  auto reader = Reader::New();
  reader->SetFileName(path);
  reader->SetImageIO(opened.io);
  try {
    reader->Update();
  } catch (const itk::ExceptionObject& e) {
    return core::makeError(path + ": cannot read the voxels: " + itkReason(e));
  } catch (const std::exception& e) {
    return core::makeError(path + ": cannot read the voxels: " + e.what());
  }
  typename Image3<T>::Pointer image = reader->GetOutput();
  auto size = image->GetLargestPossibleRegion().GetSize();
  for (unsigned a = 0; a < 3; ++a)
    if (static_cast<std::int64_t>(size[a]) != opened.geometry.dims[a])
      return core::makeError(path + ": ITK returned an image of unexpected size");
  return image;
}

template <typename T>
core::Result<void> readInto(const OpenedImage& opened, const std::string& path, core::Volume& volume) {
  auto image = readPixels<T>(opened, path);
  if (!image) return image.error();
  std::memcpy(volume.bytes().data(), (*image)->GetBufferPointer(), volume.byteSize());
  return {};
}

// Types we do not keep are read as double and narrowed to float32; the user hears about it
// only when a value actually changed.
core::Result<void> readNarrowed(const OpenedImage& opened, const std::string& path, core::Volume& volume,
                                std::vector<std::string>& warnings) {
  auto image = readPixels<double>(opened, path);
  if (!image) return image.error();
  const double* src = (*image)->GetBufferPointer();
  std::span<float> dst = volume.voxels<float>();
  std::size_t changed = 0;
  double worst = 0;
  for (std::size_t i = 0; i < dst.size(); ++i) {
    dst[i] = static_cast<float>(src[i]);
    double error = std::abs(static_cast<double>(dst[i]) - src[i]);
    if (error > 0 || !std::isfinite(dst[i]) != !std::isfinite(src[i])) {
      ++changed;
      worst = std::max(worst, error);
    }
  }
  if (changed) {
    std::ostringstream w;
    w << fs::path(path).filename().string() << ": voxels stored as " << componentName(opened.component)
      << " were converted to float32; " << changed << " values lost precision (largest change " << worst << ")";
    warnings.push_back(w.str());
  }
  return {};
}

core::ScalarType scalarTypeFor(IOComponent c) {
  switch (c) {
    case IOComponent::UCHAR: return core::ScalarType::UInt8;
    case IOComponent::CHAR:
    case IOComponent::SHORT: return core::ScalarType::Int16;
    case IOComponent::USHORT: return core::ScalarType::UInt16;
    default: return core::ScalarType::Float32;
  }
}

template <typename T>
core::Result<void> writeImage(const core::Geometry& g, const T* voxels, const std::string& path,
                              const std::string& finalPath) {
  auto image = detail::wrapVoxels<T>(g, voxels);
  auto writer = itk::ImageFileWriter<Image3<T>>::New();
  writer->SetFileName(path);
  writer->SetInput(image);
  writer->SetUseCompression(true);
  try {
    writer->Update();
  } catch (const itk::ExceptionObject& e) {
    return core::makeError(finalPath + ": cannot write the image: " + itkReason(e));
  } catch (const std::exception& e) {
    return core::makeError(finalPath + ": cannot write the image: " + e.what());
  }
  return {};
}

bool hasDetachedData(const std::string& path) {
  std::string ext = fileExtension(path);
  return ext == ".nhdr" || ext == ".mhd";
}

template <typename T>
core::Result<void> writeAtomicImage(const core::Geometry& g, const T* voxels, const std::string& path) {
  if (!isItkImagePath(path))
    return core::makeError(path + ": cannot write this format (use .nii, .nii.gz, .nrrd, .nhdr, .mha or .mhd)");
  auto write = [&](const std::string& temp) { return writeImage<T>(g, voxels, temp, path); };
  return hasDetachedData(path) ? writeAtomicallyWithCompanions(path, write) : writeAtomically(path, write);
}

}  // namespace

bool isItkImagePath(const std::string& path) {
  std::string ext = fileExtension(path);
  return ext == ".nii" || ext == ".nii.gz" || ext == ".nrrd" || ext == ".nhdr" || ext == ".mha" || ext == ".mhd";
}

std::string labelSidecarPath(const std::string& imagePath) {
  fs::path p(imagePath);
  std::string name = p.filename().string();
  std::string stem = name.substr(0, name.size() - fileExtension(imagePath).size());
  return (p.parent_path() / (stem + ".labels.txt")).string();
}

core::Result<LoadedImage> readItkImage(const std::string& path, const core::TaskControl& control) {
  control.progress(0.0, "reading header");
  if (control.cancelled()) return core::makeError(path + ": loading cancelled");
  LoadedImage loaded;
  auto opened = openImage(path, &loaded.warnings);
  if (!opened) return opened.error();

  loaded.format = formatName(path);
  core::ScalarType type = scalarTypeFor(opened->component);
  loaded.volume = core::Volume(opened->geometry, type);
  if (control.cancelled()) return core::makeError(path + ": loading cancelled");
  control.progress(0.1, "reading voxels");

  // NIfTI's scl_slope/scl_inter: ITK's NIfTI reader applies them itself and then reports a
  // float component type, so the voxels we receive are already scaled (checked by a test).
  core::Result<void> read;
  switch (opened->component) {
    case IOComponent::UCHAR: read = readInto<std::uint8_t>(*opened, path, loaded.volume); break;
    case IOComponent::CHAR:
    case IOComponent::SHORT: read = readInto<std::int16_t>(*opened, path, loaded.volume); break;
    case IOComponent::USHORT: read = readInto<std::uint16_t>(*opened, path, loaded.volume); break;
    case IOComponent::FLOAT: read = readInto<float>(*opened, path, loaded.volume); break;
    default: read = readNarrowed(*opened, path, loaded.volume, loaded.warnings); break;
  }
  if (!read) return read.error();
  if (opened->io->GetNumberOfDimensions() == 2)
    loaded.warnings.push_back(fs::path(path).filename().string() + ": a 2-D image, loaded as a single slice");
  loaded.volume.description = fs::path(path).filename().string().substr(
      0, fs::path(path).filename().string().size() - fileExtension(path).size());
  control.progress(1.0, "done");
  return loaded;
}

core::Result<core::Labelmap> readItkLabelVoxels(const std::string& path) {
  auto opened = openImage(path);
  if (!opened) return opened.error();
  core::Labelmap labelmap(opened->geometry);
  std::span<std::uint8_t> dst = labelmap.voxels();
  const core::Geometry& g = opened->geometry;

  auto badVoxel = [&](std::size_t index, double value) {
    std::int64_t i = static_cast<std::int64_t>(index) % g.dims[0];
    std::int64_t j = (static_cast<std::int64_t>(index) / g.dims[0]) % g.dims[1];
    std::int64_t k = static_cast<std::int64_t>(index) / (g.dims[0] * g.dims[1]);
    std::ostringstream s;
    s << path << ": voxel (" << i << "," << j << "," << k << ") has value " << value
      << ", which is not a label id (a labelmap holds integers 0..255)";
    return core::makeError(s.str());
  };

  // Read in a type that holds every value of the file exactly (8-bit and 16-bit integers stay
  // compact), then check each value is a label id.
  auto convert = [&](auto zero) -> core::Result<void> {
    using T = decltype(zero);
    auto image = readPixels<T>(*opened, path);
    if (!image) return image.error();
    const T* src = (*image)->GetBufferPointer();
    for (std::size_t i = 0; i < dst.size(); ++i) {
      T value = src[i];
      bool isId;
      if constexpr (std::is_floating_point_v<T>) isId = value >= 0 && value <= 255 && value == std::floor(value);
      else if constexpr (std::is_signed_v<T>) isId = value >= 0 && value <= 255;
      else isId = value <= 255;
      if (!isId) return badVoxel(i, static_cast<double>(value));
      dst[i] = static_cast<std::uint8_t>(value);
    }
    return {};
  };
  core::Result<void> read;
  switch (opened->component) {
    case IOComponent::UCHAR: read = convert(std::uint8_t{}); break;
    case IOComponent::CHAR:
    case IOComponent::SHORT: read = convert(std::int16_t{}); break;
    case IOComponent::USHORT: read = convert(std::uint16_t{}); break;
    case IOComponent::FLOAT: read = convert(float{}); break;
    case IOComponent::DOUBLE: read = convert(double{}); break;
    // Unsigned 64-bit values beyond int64 do not occur in labelmaps.
    default: read = convert(std::int64_t{}); break;
  }
  if (!read) return read.error();
  return labelmap;
}

namespace {

// "<stem>.labels.json": what the ITK-SNAP sidecar cannot hold (terminology, locks, review).
std::string fullTableSidecarPath(const std::string& imagePath) {
  std::string txt = labelSidecarPath(imagePath);
  return txt.substr(0, txt.size() - 4) + ".json";
}

// Adds terminology, lock and review from the JSON sidecar to labels with the same id and name
// (a table edited in ITK-SNAP since keeps its own names and colours).
void mergeFullTable(core::LabelTable& table, const std::string& jsonPath) {
  std::ifstream in(jsonPath);
  auto j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_discarded()) return;
  auto full = core::labelTableFromJson(j.value("labels", nlohmann::json::array()));
  if (!full) return;
  for (auto& label : table.labelsForEdit())
    if (const core::Label* extra = full->find(label.id); extra && extra->name == label.name) {
      label.terminology = extra->terminology;
      label.locked = extra->locked;
      label.review = extra->review;
    }
}

}  // namespace

core::Result<core::Labelmap> readItkLabelmap(const std::string& path) {
  auto read = readItkLabelVoxels(path);
  if (!read) return read.error();
  core::Labelmap labelmap = std::move(*read);
  std::string sidecar = labelSidecarPath(path);
  std::error_code ec;
  if (fs::exists(sidecar, ec)) {
    auto table = readItkSnapLabels(sidecar);
    if (!table) return table.error();
    labelmap.labels() = std::move(*table);
    if (fs::exists(fullTableSidecarPath(path), ec)) mergeFullTable(labelmap.labels(), fullTableSidecarPath(path));
  }
  labelmap.addMissingLabels();
  return labelmap;
}

core::Result<void> writeItkVolume(const core::Volume& volume, const std::string& path) {
  if (volume.empty()) return core::makeError(path + ": cannot write an empty volume");
  return core::dispatchScalar(volume.scalarType(), [&](auto zero) -> core::Result<void> {
    using T = decltype(zero);
    return writeAtomicImage<T>(volume.geometry(), volume.voxels<T>().data(), path);
  });
}

core::Result<void> writeItkLabelmap(const core::Labelmap& labelmap, const std::string& path) {
  if (labelmap.voxels().empty()) return core::makeError(path + ": cannot write an empty labelmap");
  auto written = writeAtomicImage<std::uint8_t>(labelmap.geometry(), labelmap.voxels().data(), path);
  if (!written) return written;
  // Always written, even for an empty table: a stale sidecar from an earlier file of the same
  // name would otherwise rename this labelmap's labels.
  if (auto r = writeItkSnapLabels(labelmap.labels(), labelSidecarPath(path)); !r) return r;
  nlohmann::json full{{"format", "delineo-labels"}, {"version", 1}, {"labels", core::toJson(labelmap.labels())}};
  return writeFileAtomically(fullTableSidecarPath(path), full.dump(2) + "\n");
}

}  // namespace delineo::io
