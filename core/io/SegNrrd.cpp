#include "core/io/SegNrrd.h"

#include <itkImageFileReader.h>
#include <itkImageFileWriter.h>
#include <itkMetaDataObject.h>
#include <itkNrrdImageIO.h>
#include <itkVectorImage.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <optional>
#include <sstream>

#include "core/io/AtomicFile.h"
#include "core/io/ItkImageIO.h"
#include "core/io/ItkSupport.h"

// Multi-layer (4-D) files, which Slicer writes when segments overlap: we flatten them into
// our single layer. Each segment gets id = its index + 1 (layers reuse label values, so the
// file's values cannot be kept), a later segment wins where segments overlap, and the number
// of overwritten voxels is reported as a warning. Refusing such files would lock users out of
// their Slicer work; overlap is rare and the warning says exactly what changed.

namespace delineo::io {

namespace fs = std::filesystem;

namespace {

constexpr const char* kSlicerContext = "Segmentation category and type - 3D Slicer General Anatomy list";
constexpr const char* kAnatomicContext = "Anatomic codes - DICOM master list";

std::string segmentKey(std::size_t index, const char* field) {
  return "Segment" + std::to_string(index) + "_" + field;
}

// Slicer's terminology strings use '~', '^' and '|' as separators and ':' between a tag's
// name and value, without escaping; such characters in a code would corrupt the entry.
std::string cleanCodeText(std::string s) {
  for (char& c : s)
    if (c == '~' || c == '^' || c == '|') c = ' ';
  return s;
}

std::string encodeCode(const core::Code& c) {
  return cleanCodeText(c.scheme) + "^" + cleanCodeText(c.value) + "^" + cleanCodeText(c.meaning);
}

std::vector<std::string> split(const std::string& s, char separator) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    std::size_t at = s.find(separator, start);
    parts.push_back(s.substr(start, at - start));
    if (at == std::string::npos) break;
    start = at + 1;
  }
  return parts;
}

core::Code decodeCode(const std::string& text) {
  std::vector<std::string> parts = split(text, '^');
  core::Code code;
  if (parts.size() >= 1) code.scheme = parts[0];
  if (parts.size() >= 2) code.value = parts[1];
  if (parts.size() >= 3) code.meaning = parts[2];
  return code;
}

// "<context>~<category>~<type>~<type modifier>~<anatomic context>~<region>~<region modifier>"
std::string encodeTerminology(const core::Terminology& t) {
  return std::string(kSlicerContext) + "~" + encodeCode(t.category) + "~" + encodeCode(t.type) + "~" +
         encodeCode(t.typeModifier) + "~" + kAnatomicContext + "~^^~^^";
}

core::Terminology decodeTerminology(const std::string& entry) {
  std::vector<std::string> parts = split(entry, '~');
  core::Terminology t;
  if (parts.size() >= 2) t.category = decodeCode(parts[1]);
  if (parts.size() >= 3) t.type = decodeCode(parts[2]);
  if (parts.size() >= 4) t.typeModifier = decodeCode(parts[3]);
  return t;
}

std::string formatColor(const std::array<std::uint8_t, 4>& rgba) {
  char text[64];
  std::snprintf(text, sizeof text, "%.6g %.6g %.6g", rgba[0] / 255.0, rgba[1] / 255.0, rgba[2] / 255.0);
  return text;
}

// Voxel bounding box per label id, as Slicer's Extent: "i0 i1 j0 j1 k0 k1", inclusive.
std::array<std::string, 256> labelExtents(const core::Labelmap& labelmap) {
  const core::Dims& d = labelmap.geometry().dims;
  std::array<std::array<std::int64_t, 6>, 256> box;
  for (auto& b : box) b = {d[0], -1, d[1], -1, d[2], -1};
  std::span<const std::uint8_t> v = labelmap.voxels();
  std::size_t index = 0;
  for (std::int64_t k = 0; k < d[2]; ++k)
    for (std::int64_t j = 0; j < d[1]; ++j)
      for (std::int64_t i = 0; i < d[0]; ++i, ++index) {
        std::uint8_t id = v[index];
        if (id == 0) continue;
        auto& b = box[id];
        b[0] = std::min(b[0], i), b[1] = std::max(b[1], i);
        b[2] = std::min(b[2], j), b[3] = std::max(b[3], j);
        b[4] = std::min(b[4], k), b[5] = std::max(b[5], k);
      }
  std::array<std::string, 256> text;
  for (int id = 0; id < 256; ++id) {
    const auto& b = box[id];
    // Slicer's own text for an empty segment.
    if (b[1] < 0) {
      text[id] = "0 -1 0 -1 0 -1";
      continue;
    }
    std::ostringstream s;
    s << b[0] << " " << b[1] << " " << b[2] << " " << b[3] << " " << b[4] << " " << b[5];
    text[id] = s.str();
  }
  return text;
}

struct SegmentInfo {
  core::Label label;
  long labelValue = 0;  // value of the segment's voxels in its layer
  long layer = 0;
  bool hasColor = false;         // else the default colour of the id it gets
  std::optional<double> opacity;  // ours (Delineo_Opacity); Slicer stores none

  core::Label labelWithId(std::uint8_t id) const {
    core::Label l = label;
    l.id = id;
    if (!hasColor) l.rgba = core::LabelTable::defaultColor(id);
    if (opacity) l.rgba[3] = static_cast<std::uint8_t>(std::lround(*opacity * 255.0));
    return l;
  }
};

std::optional<std::string> metaString(const itk::MetaDataDictionary& dict, const std::string& key) {
  std::string value;
  if (!itk::ExposeMetaData<std::string>(dict, key, value)) return std::nullopt;
  return value;
}

bool parseInteger(const std::string& text, long& out) {
  char* end = nullptr;
  errno = 0;
  out = std::strtol(text.c_str(), &end, 10);
  if (errno != 0 || end == text.c_str()) return false;
  while (*end == ' ' || *end == '\t') ++end;
  return *end == '\0';
}

core::Result<std::vector<SegmentInfo>> parseSegments(const itk::MetaDataDictionary& dict, const std::string& path,
                                                     bool multiLayer, unsigned layers) {
  std::vector<SegmentInfo> segments;
  for (std::size_t n = 0;; ++n) {
    auto id = metaString(dict, segmentKey(n, "ID"));
    if (!id) break;
    SegmentInfo s;
    std::string where = path + ": segment " + std::to_string(n) + " (" + *id + ")";
    s.label.name = metaString(dict, segmentKey(n, "Name")).value_or(*id);

    // Defaults for Slicer's files from before LabelValue/Layer existed: 4-D ones hold one
    // binary layer per segment, 3-D ones number the segments from 1.
    s.labelValue = multiLayer ? 1 : static_cast<long>(n + 1);
    s.layer = multiLayer ? static_cast<long>(n) : 0;
    if (auto v = metaString(dict, segmentKey(n, "LabelValue"))) {
      if (!parseInteger(*v, s.labelValue)) return core::makeError(where + ": LabelValue \"" + *v + "\" is not an integer");
    }
    if (auto v = metaString(dict, segmentKey(n, "Layer"))) {
      if (!parseInteger(*v, s.layer)) return core::makeError(where + ": Layer \"" + *v + "\" is not an integer");
    }
    if (!multiLayer) s.layer = 0;
    if (multiLayer && (s.layer < 0 || s.layer >= static_cast<long>(layers)))
      return core::makeError(where + ": layer " + std::to_string(s.layer) + " does not exist (the file has " +
                             std::to_string(layers) + ")");

    if (auto v = metaString(dict, segmentKey(n, "Color"))) {
      std::istringstream in(*v);
      double rgb[3];
      if (!(in >> rgb[0] >> rgb[1] >> rgb[2]))
        return core::makeError(where + ": Color \"" + *v + "\" is not three numbers");
      for (int c = 0; c < 3; ++c)
        s.label.rgba[c] = static_cast<std::uint8_t>(std::lround(std::clamp(rgb[c], 0.0, 1.0) * 255.0));
      s.label.rgba[3] = 255;
      s.hasColor = true;
    }
    if (auto v = metaString(dict, segmentKey(n, "Tags"))) {
      for (const std::string& tag : split(*v, '|')) {
        std::size_t colon = tag.find(':');
        if (colon != std::string::npos && tag.substr(0, colon) == "TerminologyEntry")
          s.label.terminology = decodeTerminology(tag.substr(colon + 1));
      }
    }
    long flag = 0;
    if (auto v = metaString(dict, segmentKey(n, "Delineo_Visible")); v && parseInteger(*v, flag)) s.label.visible = flag != 0;
    if (auto v = metaString(dict, segmentKey(n, "Delineo_Locked")); v && parseInteger(*v, flag)) s.label.locked = flag != 0;
    if (auto v = metaString(dict, segmentKey(n, "Delineo_Review")))
      if (auto state = core::parseReviewState(*v)) s.label.review.state = *state;
    if (auto v = metaString(dict, segmentKey(n, "Delineo_Reviewer"))) s.label.review.reviewer = *v;
    if (auto v = metaString(dict, segmentKey(n, "Delineo_ReviewComment"))) s.label.review.comment = *v;
    if (auto v = metaString(dict, segmentKey(n, "Delineo_Opacity"))) {
      double opacity = std::strtod(v->c_str(), nullptr);
      if (std::isfinite(opacity)) s.opacity = std::clamp(opacity, 0.0, 1.0);
    }
    segments.push_back(std::move(s));
  }
  return segments;
}

core::Result<itk::ImageIOBase::Pointer> openNrrd(const std::string& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return core::makeError(path + ": file not found");
  auto io = itk::NrrdImageIO::New();
  try {
    if (!io->CanReadFile(path.c_str())) return core::makeError(path + ": not a NRRD file");
    io->SetFileName(path);
    io->ReadImageInformation();
  } catch (const itk::ExceptionObject& e) {
    return core::makeError(path + ": cannot read the segmentation header: " + detail::itkReason(e));
  }
  itk::ImageIOBase::Pointer base = io.GetPointer();
  return base;
}

// Flattens the layers into `labelmap` (see the comment at the top); returns how many voxels
// belonged to more than one segment. T holds every value of the file (Slicer writes uint8).
template <typename T>
core::Result<std::int64_t> flattenLayers(const itk::ImageIOBase::Pointer& io, const std::string& path,
                                         const std::vector<SegmentInfo>& segments, core::Labelmap& labelmap) {
  using ImageType = itk::VectorImage<T, 3>;
  auto reader = itk::ImageFileReader<ImageType>::New();
  reader->SetFileName(path);
  reader->SetImageIO(io);
  try {
    reader->Update();
  } catch (const itk::ExceptionObject& e) {
    return core::makeError(path + ": cannot read the segmentation voxels: " + detail::itkReason(e));
  }
  typename ImageType::Pointer image = reader->GetOutput();
  const std::size_t layers = image->GetNumberOfComponentsPerPixel();
  std::span<std::uint8_t> dst = labelmap.voxels();
  if (image->GetPixelContainer()->Size() != dst.size() * layers)
    return core::makeError(path + ": voxel count does not match the header");
  const T* data = image->GetBufferPointer();
  std::int64_t overwritten = 0;
  for (std::size_t v = 0; v < dst.size(); ++v) {
    const T* values = data + v * layers;  // layer fastest
    for (std::size_t s = 0; s < segments.size(); ++s) {
      if (static_cast<long>(values[segments[s].layer]) != segments[s].labelValue) continue;
      if (dst[v] != 0) ++overwritten;
      dst[v] = static_cast<std::uint8_t>(s + 1);
    }
  }
  return overwritten;
}

}  // namespace

bool isSegNrrdPath(const std::string& path) { return fileExtension(path) == ".seg.nrrd"; }

core::Result<core::Labelmap> readSegNrrd(const std::string& path, std::vector<std::string>* warnings) {
  auto opened = openNrrd(path);
  if (!opened) return opened.error();
  itk::ImageIOBase::Pointer io = *opened;
  const unsigned layers = io->GetNumberOfComponents();
  const bool multiLayer = layers > 1;
  auto parsed = parseSegments(io->GetMetaDataDictionary(), path, multiLayer, layers);
  if (!parsed) return parsed.error();
  std::vector<SegmentInfo>& segments = *parsed;

  core::Labelmap labelmap;
  if (!multiLayer) {
    auto voxels = readItkLabelVoxels(path);
    if (!voxels) return voxels.error();
    labelmap = std::move(*voxels);
    for (const SegmentInfo& s : segments) {
      if (s.labelValue < 1 || s.labelValue > 255)
        return core::makeError(path + ": segment \"" + s.label.name + "\" has label value " +
                               std::to_string(s.labelValue) + "; labelmaps hold 1..255");
      if (labelmap.labels().find(static_cast<std::uint8_t>(s.labelValue)))
        return core::makeError(path + ": segments \"" + labelmap.labels().find(static_cast<std::uint8_t>(s.labelValue))->name +
                               "\" and \"" + s.label.name + "\" share label value " + std::to_string(s.labelValue));
      (void)labelmap.labels().set(s.labelWithId(static_cast<std::uint8_t>(s.labelValue)));
    }
  } else {
    if (segments.size() > 255)
      return core::makeError(path + ": has " + std::to_string(segments.size()) +
                             " segments in several layers; at most 255 labels fit in one labelmap");
    auto geometry = detail::geometryFromImageIO(*io, path);
    if (!geometry) return geometry.error();
    labelmap = core::Labelmap(*geometry);
    auto flattened = io->GetComponentType() == itk::IOComponentEnum::UCHAR
                         ? flattenLayers<std::uint8_t>(io, path, segments, labelmap)
                         : flattenLayers<std::int64_t>(io, path, segments, labelmap);
    if (!flattened) return flattened.error();
    const std::int64_t overwritten = *flattened;
    for (std::size_t s = 0; s < segments.size(); ++s)
      (void)labelmap.labels().set(segments[s].labelWithId(static_cast<std::uint8_t>(s + 1)));
    if (warnings) {
      std::string name = fs::path(path).filename().string();
      warnings->push_back(name + ": " + std::to_string(layers) + " overlapping layers were merged into one labelmap; "
                          "labels were renumbered 1.." + std::to_string(segments.size()) + " in segment order");
      if (overwritten)
        warnings->push_back(name + ": " + std::to_string(overwritten) +
                            " voxels belonged to more than one segment; each kept the last segment's label");
    }
  }
  labelmap.addMissingLabels();
  return labelmap;
}

core::Result<void> writeSegNrrd(const core::Labelmap& labelmap, const std::string& path) {
  if (labelmap.voxels().empty()) return core::makeError(path + ": cannot write an empty labelmap");
  auto image = detail::wrapVoxels<std::uint8_t>(labelmap.geometry(), labelmap.voxels().data());
  itk::MetaDataDictionary& dict = image->GetMetaDataDictionary();
  auto put = [&](const std::string& key, const std::string& value) { itk::EncapsulateMetaData<std::string>(dict, key, value); };

  put("Segmentation_MasterRepresentation", "Binary labelmap");
  put("Segmentation_ContainedRepresentationNames", "Binary labelmap|");
  put("Segmentation_ReferenceImageExtentOffset", "0 0 0");
  std::array<std::string, 256> extents = labelExtents(labelmap);
  std::size_t n = 0;
  for (const core::Label& l : labelmap.labels().labels()) {
    std::string tags = "Segmentation.Status:inprogress|";
    if (!l.terminology.empty()) tags += "TerminologyEntry:" + encodeTerminology(l.terminology) + "|";
    put(segmentKey(n, "ID"), "Segment_" + std::to_string(l.id));
    put(segmentKey(n, "Name"), l.name);
    put(segmentKey(n, "NameAutoGenerated"), "0");
    put(segmentKey(n, "Color"), formatColor(l.rgba));
    put(segmentKey(n, "ColorAutoGenerated"), "0");
    put(segmentKey(n, "LabelValue"), std::to_string(l.id));
    put(segmentKey(n, "Layer"), "0");
    put(segmentKey(n, "Extent"), extents[l.id]);
    put(segmentKey(n, "Tags"), tags);
    // Slicer has no keys for these; it keeps unknown keys and ignores them.
    put(segmentKey(n, "Delineo_Visible"), l.visible ? "1" : "0");
    put(segmentKey(n, "Delineo_Locked"), l.locked ? "1" : "0");
    char opacity[32];
    std::snprintf(opacity, sizeof opacity, "%.6g", l.rgba[3] / 255.0);
    put(segmentKey(n, "Delineo_Opacity"), opacity);
    if (l.review != core::Review{}) {
      put(segmentKey(n, "Delineo_Review"), core::reviewStateName(l.review.state));
      put(segmentKey(n, "Delineo_Reviewer"), l.review.reviewer);
      put(segmentKey(n, "Delineo_ReviewComment"), l.review.comment);
    }
    ++n;
  }

  return writeAtomically(path, [&](const std::string& temp) -> core::Result<void> {
    auto writer = itk::ImageFileWriter<itk::Image<std::uint8_t, 3>>::New();
    writer->SetImageIO(itk::NrrdImageIO::New());
    writer->SetFileName(temp);
    writer->SetInput(image);
    writer->SetUseCompression(true);  // gzip encoding, as Slicer writes
    try {
      writer->Update();
    } catch (const itk::ExceptionObject& e) {
      return core::makeError(path + ": cannot write the segmentation: " + detail::itkReason(e));
    }
    return {};
  });
}

}  // namespace delineo::io
