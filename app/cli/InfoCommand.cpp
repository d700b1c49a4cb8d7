#include "app/cli/InfoCommand.h"

#include <filesystem>
#include <iomanip>
#include <iostream>

#include <nlohmann/json.hpp>

#include "core/io/DicomSeries.h"
#include "core/io/ImageIO.h"
#include "core/io/ItkImageIO.h"

namespace delineo::app {

namespace {

using nlohmann::json;

json vecJson(core::Vec3 v) { return json::array({v.x, v.y, v.z}); }

json imageJson(const io::LoadedImage& image) {
  const core::Volume& v = image.volume;
  const core::Geometry& g = v.geometry();
  auto [lo, hi] = v.valueRange();
  json j;
  j["format"] = image.format;
  j["dims"] = json::array({g.dims[0], g.dims[1], g.dims[2]});
  j["spacing_mm"] = vecJson(g.spacingMm);
  j["origin_lps_mm"] = vecJson(g.originMm);
  // Direction as the LPS unit vectors of the i, j and k axes.
  j["direction_lps"] = json::array({vecJson(g.direction.column(0)), vecJson(g.direction.column(1)),
                                    vecJson(g.direction.column(2))});
  j["orientation"] = g.orientationCode();
  j["modality"] = v.modality;
  j["description"] = v.description;
  j["scalar_type"] = core::scalarName(v.scalarType());
  j["value_range"] = json::array({lo, hi});
  j["warnings"] = image.warnings;
  if (image.labels) {
    auto histogram = image.labels->histogram();
    json labels = json::array();
    for (const auto& l : image.labels->labels().labels()) {
      labels.push_back({{"id", l.id},
                        {"name", l.name},
                        {"rgba", json::array({l.rgba[0], l.rgba[1], l.rgba[2], l.rgba[3]})},
                        {"voxels", histogram[l.id]},
                        {"volume_ml", double(histogram[l.id]) * g.voxelVolumeMm3() / 1000.0}});
    }
    j["labels"] = labels;
  }
  return j;
}

json seriesJson(const std::vector<io::SeriesSummary>& series) {
  json list = json::array();
  for (const auto& s : series)
    list.push_back({{"series_instance_uid", s.seriesInstanceUid},
                    {"modality", s.modality},
                    {"description", s.description},
                    {"images", s.imageCount},
                    {"frames", s.frameCount},
                    {"rows", s.rows},
                    {"columns", s.columns}});
  return list;
}

void printSeries(std::ostream& out, const std::vector<io::SeriesSummary>& series) {
  out << series.size() << " DICOM series:\n";
  for (const auto& s : series) {
    out << "  " << s.seriesInstanceUid << "  " << std::left << std::setw(3) << s.modality << " "
        << std::right << std::setw(5) << s.imageCount << " images";
    if (s.frameCount != s.imageCount) out << " (" << s.frameCount << " frames)";
    out << "  " << s.columns << "x" << s.rows;
    if (!s.description.empty()) out << "  \"" << s.description << "\"";
    out << "\n";
  }
}

}  // namespace

void addInfoCommand(CLI::App& cli, InfoOptions& options) {
  auto* cmd = cli.add_subcommand("info", "Describe a study: DICOM series, or volume geometry and values");
  cmd->add_option("path", options.path, "DICOM file or folder, .nii/.nii.gz, .nrrd/.nhdr, .mha/.mhd, .inv3, .seg.nrrd")
      ->required();
  cmd->add_option("--series", options.seriesUid, "DICOM SeriesInstanceUID to describe in detail");
  cmd->add_flag("--json", options.json, "Stable machine-readable JSON on stdout");
}

void printImageInfo(std::ostream& out, const std::string& source, const io::LoadedImage& image) {
  const core::Volume& v = image.volume;
  const core::Geometry& g = v.geometry();
  auto [lo, hi] = v.valueRange();
  out << source << "\n";
  out << "  format       " << image.format << "\n";
  if (!v.modality.empty()) out << "  modality     " << v.modality << "\n";
  if (!v.description.empty()) out << "  description  " << v.description << "\n";
  out << "  dims         " << core::toString(g.dims) << "\n";
  out << "  spacing      " << core::toString(g.spacingMm) << " mm\n";
  out << "  origin       " << core::toString(g.originMm) << " mm (LPS)\n";
  out << "  direction    i " << core::toString(g.direction.column(0), 6) << "\n"
      << "               j " << core::toString(g.direction.column(1), 6) << "\n"
      << "               k " << core::toString(g.direction.column(2), 6) << "  ("
      << g.orientationCode() << ")\n";
  out << "  scalar type  " << core::scalarName(v.scalarType()) << "\n";
  out << "  value range  " << lo << " .. " << hi << (v.modality == "CT" ? " HU" : "") << "\n";
  if (image.labels) {
    auto histogram = image.labels->histogram();
    out << "  labels       " << image.labels->labels().size() << "\n";
    for (const auto& l : image.labels->labels().labels()) {
      out << "    " << std::setw(3) << int(l.id) << "  " << std::left << std::setw(24) << l.name
          << std::right << std::setw(10) << histogram[l.id] << " voxels  " << std::fixed
          << std::setprecision(2) << double(histogram[l.id]) * g.voxelVolumeMm3() / 1000.0
          << " mL\n";
      out.unsetf(std::ios::floatfield);
    }
  }
  for (const auto& w : image.warnings) out << "  warning: " << w << "\n";
}

int runInfo(const InfoOptions& options) {
  std::error_code ec;
  bool isDicom = std::filesystem::is_directory(options.path, ec) ||
                 (!io::isItkImagePath(options.path) && io::isDicomFile(options.path));
  json j;
  j["path"] = options.path;
  std::vector<io::SeriesSummary> series;
  if (isDicom) {
    auto scanned = io::scanDicom(options.path);
    if (!scanned) {
      std::cerr << "delineo: error: " << scanned.message() << "\n";
      return 1;
    }
    series = std::move(scanned).value();
    if (series.empty()) {
      std::cerr << "delineo: error: " << options.path << ": no DICOM images found\n";
      return 1;
    }
    j["kind"] = "dicom";
    j["series"] = seriesJson(series);
    if (!options.json) printSeries(std::cout, series);
    // Describe a volume only when it is clear which series is meant.
    if (series.size() > 1 && options.seriesUid.empty()) {
      if (options.json) std::cout << j.dump(2) << "\n";
      return 0;
    }
  }
  io::ReadOptions read;
  read.seriesUid = options.seriesUid;
  auto image = io::readImage(options.path, read);
  if (!image) {
    std::cerr << "delineo: error: " << image.message() << "\n";
    return 1;
  }
  if (options.json) {
    if (!isDicom) j["kind"] = "volume";
    j["volume"] = imageJson(*image);
    std::cout << j.dump(2) << "\n";
  } else {
    printImageInfo(std::cout, options.path, *image);
  }
  return 0;
}

}  // namespace delineo::app
