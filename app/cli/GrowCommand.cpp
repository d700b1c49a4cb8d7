#include "app/cli/GrowCommand.h"
#include "app/cli/CliError.h"

#include <cmath>
#include <cstdio>
#include <iostream>
#include <sstream>

#include "app/cli/Progress.h"
#include "core/io/ImageIO.h"
#include "tools/RegionGrow.h"

namespace delineo::app {

namespace {

// "a,b,c" -> three numbers; nullopt when malformed.
std::optional<core::Vec3> parseTriple(const std::string& text) {
  std::istringstream in(text);
  core::Vec3 v;
  char c1 = 0, c2 = 0;
  if (!(in >> v.x >> c1 >> v.y >> c2 >> v.z) || c1 != ',' || c2 != ',') return std::nullopt;
  in >> std::ws;
  if (!in.eof() || !std::isfinite(v.x) || !std::isfinite(v.y) || !std::isfinite(v.z)) return std::nullopt;
  return v;
}

}  // namespace

void addGrowCommand(CLI::App& cli, GrowOptions& options) {
  auto* cmd = cli.add_subcommand("grow", "Region growing (connected threshold) from seeds into a labelmap");
  cmd->add_option("volume", options.volume, "The study (DICOM folder, NIfTI, NRRD, MetaImage, .inv3)")->required();
  cmd->add_option("--seed", options.seedsMm, "Seed at X,Y,Z in LPS mm (repeatable)");
  cmd->add_option("--seed-ijk", options.seedsIjk, "Seed at voxel I,J,K (repeatable)");
  cmd->add_option("--lower", options.lower, "Lowest intensity included (HU for CT)")->required();
  cmd->add_option("--upper", options.upper, "Highest intensity included")->required();
  cmd->add_option("--connectivity", options.connectivity, "6, 18 or 26")->capture_default_str();
  cmd->add_option("--label", options.label, "Label id to paint, 1..255")->capture_default_str();
  cmd->add_option("--into", options.into, "Grow into this labelmap (default: an empty one)");
  cmd->add_option("--max-voxels", options.maxVoxels, "Leak guard: fail when the region exceeds this (0 = none)");
  cmd->add_flag("--timing", options.timing, "Print grow_ms=<milliseconds of the algorithm alone> to stderr");
  cmd->add_option("--out", options.out, "Write the labelmap here")->required();
  cmd->add_option("--series", options.seriesUid, "DICOM SeriesInstanceUID when the folder holds several");
}

int runGrow(const GrowOptions& options) {
  const auto fail = failWith;
  if (options.seedsMm.empty() && options.seedsIjk.empty()) return fail("give at least one --seed or --seed-ijk");
  if (options.label < 1 || options.label > 255) return fail("--label must be 1..255");
  if (!io::isWritablePath(options.out)) return fail(options.out + ": cannot write a labelmap in this format");
  io::ReadOptions read;
  read.seriesUid = options.seriesUid;
  auto image = io::readImage(options.volume, read);
  if (!image) return fail(image.message());
  const core::Volume& volume = image->volume;
  const core::Geometry& g = volume.geometry();

  tools::RegionGrowParams params;
  params.lower = options.lower;
  params.upper = options.upper;
  params.connectivity = options.connectivity;
  params.maxVoxels = options.maxVoxels;
  for (const auto& s : options.seedsMm) {
    auto p = parseTriple(s);
    if (!p) return fail("--seed '" + s + "' must be X,Y,Z in mm");
    core::Vec3 ijk = g.patientToIjk(*p);
    tools::Ijk seed{std::llround(ijk.x), std::llround(ijk.y), std::llround(ijk.z)};
    if (!g.contains(seed[0], seed[1], seed[2]))
      return fail("--seed " + s + " mm lies outside the volume (" + core::toString(g.dims) + ")");
    params.seeds.push_back(seed);
  }
  for (const auto& s : options.seedsIjk) {
    auto p = parseTriple(s);
    if (!p || p->x != std::floor(p->x) || p->y != std::floor(p->y) || p->z != std::floor(p->z))
      return fail("--seed-ijk '" + s + "' must be I,J,K voxel indices");
    params.seeds.push_back({std::llround(p->x), std::llround(p->y), std::llround(p->z)});
  }
  if (auto v = tools::validateRegionGrow(g, params); !v) return fail(v.message());

  core::Labelmap labelmap;
  if (!options.into.empty()) {
    auto loaded = io::readLabelmap(options.into);
    if (!loaded) return fail(loaded.message());
    if (auto r = loaded->checkMatches(g, options.into); !r) return fail(r.message());
    labelmap = std::move(loaded).value();
  } else {
    labelmap = core::Labelmap::forVolume(volume);
  }
  const auto label = static_cast<std::uint8_t>(options.label);
  if (!labelmap.labels().find(label)) {
    core::Label entry;
    entry.id = label;
    entry.name = "Grow " + std::to_string(options.label);
    entry.rgba = core::LabelTable::defaultColor(label);
    if (auto r = labelmap.labels().set(entry); !r) return fail(r.message());
  }

  ProgressPrinter progress(true);
  tools::LabelEdit edit(labelmap, &volume, {});
  auto grown = tools::regionGrow(volume, edit, params, label, {}, progress.control());
  progress.finish();
  if (!grown) return fail(grown.message());
  tools::EditDelta delta = edit.finish();
  if (options.timing) std::cerr << "grow_ms=" << grown->region.algorithmMs << "\n";
  if (grown->region.seedsInRange == 0)
    std::cerr << "delineo: warning: no seed lies in [" << options.lower << ", " << options.upper
              << "]: nothing was grown\n";
  if (auto w = io::writeLabelmap(labelmap, options.out); !w) return fail(w.message());
  std::fprintf(stderr, "grown %lld voxels (%.2f mL), %lld changed; saved %s\n",
               static_cast<long long>(grown->region.voxels),
               double(grown->region.voxels) * g.voxelVolumeMm3() / 1000.0, static_cast<long long>(delta.changedVoxels),
               options.out.c_str());
  return 0;
}

}  // namespace delineo::app
