#include "core/io/InVesalius.h"

#include <algorithm>
#include <bit>
#include <cctype>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <map>
#include <optional>

#include "core/io/Plist.h"
#include "core/io/TarGzReader.h"

namespace delineo::io {

namespace {

constexpr std::uint64_t kMaxPlistBytes = 16u << 20;
// Far above any CT or MR series (a 1024x1024x2000 float32 volume); a header claiming more is
// damaged, and data is only ever allocated as it actually decompresses.
constexpr std::uint64_t kMaxDatBytes = std::uint64_t{8} << 30;
constexpr std::int64_t kMaxDim = 1 << 15;
constexpr std::uint8_t kMaskInside = 127;  // InVesalius writes 255 inside, 0 outside
constexpr double kArchiveShare = 0.85;     // of the progress bar, the rest is decoding masks

std::string baseName(const std::string& memberPath) {
  auto slash = memberPath.find_last_of('/');
  return slash == std::string::npos ? memberPath : memberPath.substr(slash + 1);
}

bool endsWith(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::optional<core::ScalarType> scalarFromDtype(const std::string& dtype) {
  // numpy's dtype names, as InVesalius writes them, and the equivalent little-endian codes.
  if (dtype == "int16" || dtype == "<i2") return core::ScalarType::Int16;
  if (dtype == "uint16" || dtype == "<u2") return core::ScalarType::UInt16;
  if (dtype == "uint8" || dtype == "|u1" || dtype == "u1") return core::ScalarType::UInt8;
  if (dtype == "float32" || dtype == "<f4") return core::ScalarType::Float32;
  return std::nullopt;
}

// Reads an array of three integers (InVesalius's shapes are numpy's: z, y, x).
std::optional<std::array<std::int64_t, 3>> threeIntegers(const PlistValue* v) {
  if (!v || v->kind != PlistValue::Kind::Array || v->array.size() != 3) return std::nullopt;
  std::array<std::int64_t, 3> out{};
  for (int a = 0; a < 3; ++a) {
    const PlistValue& item = v->array[static_cast<std::size_t>(a)];
    if (item.kind != PlistValue::Kind::Integer) return std::nullopt;
    out[static_cast<std::size_t>(a)] = item.integer;
  }
  return out;
}

std::optional<std::array<double, 3>> threeNumbers(const PlistValue* v) {
  if (!v || v->kind != PlistValue::Kind::Array || v->array.size() != 3) return std::nullopt;
  std::array<double, 3> out{};
  for (std::size_t a = 0; a < 3; ++a) {
    auto n = v->array[a].number();
    if (!n || !std::isfinite(*n)) return std::nullopt;
    out[a] = *n;
  }
  return out;
}

std::uint8_t unitToByte(double v) {
  return static_cast<std::uint8_t>(std::lround(std::clamp(v, 0.0, 1.0) * 255.0));
}

// A mask as read from its plist and .dat, before it is painted into the labelmap.
struct Mask {
  std::string name;
  std::array<std::uint8_t, 4> rgba{255, 0, 0, 255};
  bool visible = true;
  const std::vector<std::uint8_t>* data = nullptr;  // (z+1)(y+1)(x+1) bytes, padding first
  std::int64_t voxels = 0;                          // inside the mask, padding excluded
  std::size_t order = 0;                            // position in the project
};

class ProjectReader {
 public:
  ProjectReader(const std::string& path, const core::TaskControl& control) : mPath(path), mControl(control) {}

  core::Result<LoadedImage> read() {
    if (auto r = readArchive(); !r) return r.error();
    auto mainPlist = mFiles.find("main.plist");
    if (mainPlist == mFiles.end())
      return core::makeError(mPath + " is not an InVesalius project: the archive has no main.plist.");
    if (!mMain) {
      auto parsed = parseMember("main.plist", mainPlist->second);
      if (!parsed) return parsed.error();
      mMain = std::move(*parsed);
    }
    auto image = readVolume();
    if (!image) return image;
    if (auto r = readMasks(*image); !r) return r.error();
    mControl.progress(1.0, "done");
    return image;
  }

 private:
  core::Result<PlistValue> parseMember(const std::string& name, const std::vector<std::uint8_t>& bytes) {
    std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    return parsePlist(text, mPath + ": " + name);
  }

  // Keeps the plists and .dat members (by base name: InVesalius puts them in a temporary
  // folder inside the tar); the surfaces (.vtp) are skipped.
  core::Result<void> readArchive() {
    auto reader = TarGzReader::open(mPath);
    if (!reader) return reader.error();
    auto keepGoing = [&] {
      mControl.progress(kArchiveShare * reader->fraction(), "reading archive");
      return !mControl.cancelled();
    };
    while (true) {
      if (!keepGoing()) return core::makeError("cancelled");
      auto member = reader->next();
      if (!member) return member.error();
      if (!*member) break;
      const TarMember& m = **member;
      std::string name = baseName(m.name);
      bool plist = endsWith(name, ".plist");
      if (!m.regularFile || (!plist && !endsWith(name, ".dat"))) continue;
      std::uint64_t limit = plist ? kMaxPlistBytes : kMaxDatBytes;
      if (name == mMatrixFile && mMatrixBytes) {
        // Checked against the header before reading, so a short matrix fails without work.
        if (m.size != *mMatrixBytes) return matrixSizeError(m.size);
        limit = *mMatrixBytes;
      }
      auto data = reader->readData(limit, keepGoing);
      if (!data) return data.error();
      mFiles[name] = std::move(*data);
      if (name == "main.plist") {
        auto parsed = parseMember(name, mFiles[name]);
        if (!parsed) return parsed.error();
        mMain = std::move(*parsed);
        if (auto r = readMatrixHeader(); !r) return r;
      }
    }
    return {};
  }

  core::Error matrixSizeError(std::uint64_t actual) const {
    return core::makeError(mPath + ": " + mMatrixFile + " has " + std::to_string(actual) +
                           " bytes, but main.plist's shape " + core::toString(mDims) + " of " +
                           core::scalarName(mType) + " needs " + std::to_string(mMatrixBytes.value_or(0)) +
                           ".");
  }

  core::Result<void> readMatrixHeader() {
    std::string what = mPath + ": main.plist";
    const PlistValue* matrix = mMain->get("matrix");
    if (!matrix || matrix->kind != PlistValue::Kind::Dict)
      return core::makeError(what + " has no 'matrix' entry describing the volume.");
    auto dtype = matrix->get("dtype") ? matrix->get("dtype")->string() : std::nullopt;
    if (!dtype) return core::makeError(what + " gives no scalar type (matrix/dtype).");
    auto type = scalarFromDtype(*dtype);
    if (!type) return core::makeError(what + ": scalar type '" + *dtype + "' is not supported.");
    auto shape = threeIntegers(matrix->get("shape"));
    if (!shape) return core::makeError(what + " gives no readable shape (matrix/shape, three integers).");
    std::string shapeText =
        std::to_string((*shape)[0]) + "x" + std::to_string((*shape)[1]) + "x" + std::to_string((*shape)[2]);
    for (std::int64_t n : *shape)
      if (n < 1 || n > kMaxDim)
        return core::makeError(what + " gives an impossible shape " + shapeText + " (z, y, x).");
    mDims = {(*shape)[2], (*shape)[1], (*shape)[0]};
    mType = *type;
    auto bytes = static_cast<std::uint64_t>(mDims[0] * mDims[1] * mDims[2]) * core::scalarSize(mType);
    if (bytes > kMaxDatBytes)
      return core::makeError(what + " gives a shape " + shapeText + " too large to be a real volume.");
    mMatrixBytes = bytes;
    auto file = matrix->get("filename") ? matrix->get("filename")->string() : std::nullopt;
    mMatrixFile = baseName(file.value_or("matrix.dat"));
    return {};
  }

  core::Result<LoadedImage> readVolume() {
    if (!mMatrixBytes)
      if (auto r = readMatrixHeader(); !r) return r.error();
    auto matrix = mFiles.find(mMatrixFile);
    if (matrix == mFiles.end())
      return core::makeError(mPath + " is damaged: main.plist names " + mMatrixFile +
                             ", which the archive lacks.");
    if (matrix->second.size() != *mMatrixBytes) return matrixSizeError(matrix->second.size());

    std::string what = mPath + ": main.plist";
    auto spacing = threeNumbers(mMain->get("spacing"));
    if (!spacing || !((*spacing)[0] > 0 && (*spacing)[1] > 0 && (*spacing)[2] > 0))
      return core::makeError(what + " gives no valid spacing (three positive numbers).");

    core::Geometry g;
    g.dims = mDims;
    g.spacingMm = {(*spacing)[0], (*spacing)[1], (*spacing)[2]};  // x, y, z (VTK's order)
    // InVesalius records no orientation, so it was read off the anatomy of Cranium.inv3
    // (an axial CT, main.plist orientation 1), where matrix.dat is numpy z-major (x fastest):
    //  - k: the skull vault is at high k (bone per slice falls from ~6000 voxels to 0 over the
    //    last slices, a dome) and the teeth (enamel > 1800 HU) all lie in k < 10, so +k is
    //    superior.
    //  - j: the dental arch and the nasal cavity are at high j (enamel centroid j = 192, all
    //    bone j = 103) and the head holder arcs around low j, so +j is anterior: InVesalius
    //    flipped the DICOM rows (VTK's bottom-up image origin).
    //  - i: a head is nearly symmetric, so left/right cannot be read off this anatomy. The
    //    columns keep DICOM's order (+i patient left for an axial slice) as the rows were only
    //    flipped, which also makes InVesalius's axial view radiological (patient left on the right).
    g.direction = core::Mat3::fromColumns({1, 0, 0}, {0, -1, 0}, {0, 0, 1});
    if (auto r = g.validate(mPath); !r) return r.error();

    LoadedImage image;
    image.format = "InVesalius";
    image.volume = core::Volume(g, mType);
    std::memcpy(image.volume.bytes().data(), matrix->second.data(), matrix->second.size());
    // numpy wrote the host's order, little-endian on x86: Cranium's first voxel, bytes 1a fc,
    // is -998 HU (air) that way and 6908 the other.
    if constexpr (std::endian::native == std::endian::big) {
      auto bytes = image.volume.bytes();
      std::size_t width = core::scalarSize(mType);
      for (std::size_t at = 0; width > 1 && at + width <= bytes.size(); at += width)
        std::reverse(bytes.begin() + static_cast<std::ptrdiff_t>(at),
                     bytes.begin() + static_cast<std::ptrdiff_t>(at + width));
    }
    mFiles.erase(matrix);

    auto modality = mMain->get("modality") ? mMain->get("modality")->string() : std::nullopt;
    image.volume.modality = modality.value_or("");
    // main.plist's "name" is InVesalius's project name, which it fills from the DICOM patient
    // name; the file's stem is the only description safe to show.
    image.volume.description = std::filesystem::path(mPath).stem().string();
    image.warnings.push_back(std::filesystem::path(mPath).filename().string() +
                             " records no patient orientation; its axes are taken as InVesalius "
                             "stores an axial series (left, anterior, superior).");
    if (const PlistValue* o = mMain->get("orientation");
        o && o->kind == PlistValue::Kind::Integer && o->integer != 1)
      image.warnings.push_back("The series was acquired in a non-axial plane (InVesalius orientation " +
                               std::to_string(o->integer) +
                               "); its left/right, anterior/posterior and "
                               "superior/inferior axes may be permuted.");
    return image;
  }

  core::Result<void> readMasks(LoadedImage& image) {
    const PlistValue* masks = mMain->get("masks");
    if (!masks || masks->kind != PlistValue::Kind::Dict || masks->dict.empty()) return {};

    // InVesalius keys the masks by their index ("0", "1", ...): that is their order.
    std::vector<std::pair<long long, std::string>> entries;
    for (const auto& [key, value] : masks->dict) {
      char* stop = nullptr;
      long long index = std::strtoll(key.c_str(), &stop, 10);
      if (key.empty() || *stop != '\0') index = static_cast<long long>(entries.size());
      if (auto file = value.string()) entries.emplace_back(index, baseName(*file));
    }
    std::stable_sort(entries.begin(), entries.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });

    const core::Dims d = mDims;
    const std::array<std::int64_t, 3> padded{d[2] + 1, d[1] + 1, d[0] + 1};
    const auto paddedBytes = static_cast<std::size_t>(padded[0] * padded[1] * padded[2]);
    std::vector<Mask> read;
    for (const auto& [index, plistName] : entries) {
      if (read.size() == 255) {
        image.warnings.push_back(
            "Only the first 255 InVesalius masks were loaded; a labelmap holds no more.");
        break;
      }
      std::string skipped = "InVesalius mask " + std::to_string(index) + " (" + plistName + ") was skipped: ";
      auto plistData = mFiles.find(plistName);
      if (plistData == mFiles.end()) {
        image.warnings.push_back(skipped + "the archive lacks it.");
        continue;
      }
      auto plist = parseMember(plistName, plistData->second);
      if (!plist) {
        image.warnings.push_back(skipped + plist.message());
        continue;
      }
      Mask mask;
      mask.order = read.size();
      auto name = plist->get("name") ? plist->get("name")->string() : std::nullopt;
      mask.name = name && !name->empty() ? *name : "Mask " + std::to_string(index + 1);
      if (auto colour = threeNumbers(plist->get("colour"))) {
        mask.rgba = {unitToByte((*colour)[0]), unitToByte((*colour)[1]), unitToByte((*colour)[2]), 255};
      } else {
        mask.rgba = core::LabelTable::defaultColor(static_cast<std::uint8_t>(read.size() + 1));
      }
      if (auto opacity = plist->get("opacity") ? plist->get("opacity")->number() : std::nullopt)
        mask.rgba[3] = unitToByte(*opacity);
      if (const PlistValue* v = plist->get("visible"); v && v->kind == PlistValue::Kind::Boolean)
        mask.visible = v->boolean;
      auto file = plist->get("mask_file") ? plist->get("mask_file")->string() : std::nullopt;
      auto shape = threeIntegers(plist->get("mask_shape"));
      if (!file) {
        image.warnings.push_back(skipped + "its plist names no mask_file.");
        continue;
      }
      if (shape && *shape != padded) {
        image.warnings.push_back(skipped +
                                 "its shape does not match the volume's plus one voxel of padding.");
        continue;
      }
      auto data = mFiles.find(baseName(*file));
      if (data == mFiles.end()) {
        image.warnings.push_back(skipped + "the archive lacks " + baseName(*file) + ".");
        continue;
      }
      if (data->second.size() != paddedBytes) {
        image.warnings.push_back(skipped + baseName(*file) + " has " + std::to_string(data->second.size()) +
                                 " bytes instead of " + std::to_string(paddedBytes) + ".");
        continue;
      }
      mask.data = &data->second;
      read.push_back(std::move(mask));
    }
    if (read.empty()) return {};

    // The first slice, row and column of a mask are padding where InVesalius keeps flags of
    // which slices it has edited (values 1); the voxel (i, j, k) is at (k+1, j+1, i+1).
    auto forEachInside = [&](const Mask& mask, auto&& visit) {
      const std::uint8_t* src = mask.data->data();
      for (std::int64_t k = 0; k < d[2]; ++k)
        for (std::int64_t j = 0; j < d[1]; ++j) {
          const std::uint8_t* row = src + ((k + 1) * padded[1] + (j + 1)) * padded[2] + 1;
          std::int64_t base = (k * d[1] + j) * d[0];
          for (std::int64_t i = 0; i < d[0]; ++i)
            if (row[i] >= kMaskInside) visit(base + i);
        }
    };
    for (Mask& mask : read) forEachInside(mask, [&](std::int64_t) { ++mask.voxels; });

    core::Labelmap labels = core::Labelmap::forVolume(image.volume);
    for (const Mask& mask : read) {
      core::Label label;
      label.id = static_cast<std::uint8_t>(mask.order + 1);
      label.name = mask.name;
      label.rgba = mask.rgba;
      label.visible = mask.visible;
      if (auto r = labels.labels().set(label); !r) return r;
    }

    // InVesalius masks may overlap, a labelmap cannot. Larger masks are painted first so a
    // smaller one nested inside (Cranium's bone inside its whole-head mask) keeps its voxels;
    // painting in project order instead would leave the bone label empty.
    std::vector<const Mask*> paintOrder;
    for (const Mask& mask : read) paintOrder.push_back(&mask);
    std::stable_sort(paintOrder.begin(), paintOrder.end(),
                     [](const Mask* a, const Mask* b) { return a->voxels > b->voxels; });
    auto out = labels.voxels();
    std::int64_t overlapping = 0;
    for (std::size_t n = 0; n < paintOrder.size(); ++n) {
      if (mControl.cancelled()) return core::makeError("cancelled");
      mControl.progress(kArchiveShare + (1 - kArchiveShare) * static_cast<double>(n) /
                                            static_cast<double>(paintOrder.size()),
                        "decoding masks");
      auto id = static_cast<std::uint8_t>(paintOrder[n]->order + 1);
      forEachInside(*paintOrder[n], [&](std::int64_t v) {
        std::uint8_t& voxel = out[static_cast<std::size_t>(v)];
        overlapping += voxel != 0;
        voxel = id;
      });
    }
    if (overlapping > 0)
      image.warnings.push_back(std::to_string(overlapping) +
                               " voxels lie in more than one InVesalius mask; each "
                               "keeps the label of the smallest mask containing it.");
    image.labels = std::move(labels);
    return {};
  }

  std::string mPath;
  const core::TaskControl& mControl;
  std::map<std::string, std::vector<std::uint8_t>> mFiles;  // by base name
  std::optional<PlistValue> mMain;
  core::Dims mDims{0, 0, 0};
  core::ScalarType mType = core::ScalarType::Int16;
  std::optional<std::uint64_t> mMatrixBytes;
  std::string mMatrixFile = "matrix.dat";
};

}  // namespace

bool isInVesaliusPath(const std::string& path) {
  std::string lower = path;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return endsWith(lower, ".inv3");
}

core::Result<LoadedImage> readInVesalius(const std::string& path, const core::TaskControl& control) {
  return ProjectReader(path, control).read();
}

}  // namespace delineo::io
