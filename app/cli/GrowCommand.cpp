#include "app/cli/GrowCommand.h"
#include "app/cli/CliError.h"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "app/OpsScript.h"
#include "app/SemiAutoOps.h"
#include "app/Session.h"
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
  std::error_code ec;
  if (!options.into.empty() && !std::filesystem::is_regular_file(options.into, ec))
    return fail(options.into + ": no such labelmap (--into)");
  io::ReadOptions read;
  read.seriesUid = options.seriesUid;
  auto image = io::readImage(options.volume, read);
  if (!image) return fail(image.message());
  const core::Geometry g = image->volume.geometry();

  // The operation as a script would write it: the journal records exactly this.
  nlohmann::json op{{"tool", "grow"}, {"lower", options.lower},   {"upper", options.upper},
                    {"label", options.label}, {"connectivity", options.connectivity}};
  if (options.maxVoxels != 0) op["max_voxels"] = options.maxVoxels;
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
    op["seeds_mm"].push_back({p->x, p->y, p->z});
  }
  for (const auto& s : options.seedsIjk) {
    auto p = parseTriple(s);
    if (!p || p->x != std::floor(p->x) || p->y != std::floor(p->y) || p->z != std::floor(p->z))
      return fail("--seed-ijk '" + s + "' must be I,J,K voxel indices");
    params.seeds.push_back({std::llround(p->x), std::llround(p->y), std::llround(p->z)});
    op["seeds_ijk"].push_back({std::llround(p->x), std::llround(p->y), std::llround(p->z)});
  }
  // Checked before the session opens, so that a bad request leaves no journal behind.
  if (auto v = tools::validateRegionGrow(g, params); !v) return fail(v.message());

  // Without --into the result is a new labelmap (not the image's own labels, not what --out
  // holds now); with it, --into is opened as the application opens it (its journal recovered)
  // and saved to --out, where its journal follows it.
  SessionOptions sessionOptions;
  sessionOptions.annotator = options.annotator;
  sessionOptions.newDocument = options.into.empty();
  if (sessionOptions.newDocument) image->labels.reset();
  auto session = Session::open(std::move(image).value(), options.into.empty() ? options.out : options.into,
                               sessionOptions);
  if (!session) return fail(session.message());
  for (const auto& notice : session->notices()) std::cerr << "delineo: " << notice << "\n";

  bool labelAdded = false;
  if (!session->labelmap().labels().find(static_cast<std::uint8_t>(options.label))) {
    auto added = applyOperation(*session, {{"tool", "label.add"}, {"id", options.label},
                                           {"name", "Grow " + std::to_string(options.label)}});
    if (!added) return fail(added.message());
    labelAdded = added->changed;
  }

  ProgressPrinter progress(true);
  auto grown = applyGrowOperation(*session, op, progress.control());
  progress.finish();
  if (!grown) {
    // Nothing is saved; the label added for the grow is taken back (journaled as an undo).
    if (labelAdded)
      if (auto undone = session->undo(); !undone) std::cerr << "delineo: error: " << undone.message() << "\n";
    // A new document's journal holds only this failed attempt: nothing to recover, so it goes
    // (a journal that was at --out before was moved aside, not touched).
    if (sessionOptions.newDocument) std::filesystem::remove(session->journalPath(), ec);
    return fail(grown.message());
  }
  const tools::GrowRegion& region = grown->grow.region;
  if (options.timing) std::cerr << "grow_ms=" << region.algorithmMs << "\n";
  if (region.seedsInRange == 0)
    std::cerr << "delineo: warning: no seed lies in [" << options.lower << ", " << options.upper
              << "]: nothing was grown\n";
  if (auto w = session->save(options.out); !w) return fail(w.message());
  std::fprintf(stderr, "grown %lld voxels (%.2f mL), %lld changed; saved %s\n", static_cast<long long>(region.voxels),
               double(region.voxels) * g.voxelVolumeMm3() / 1000.0, static_cast<long long>(grown->grow.changed),
               options.out.c_str());
  return 0;
}

}  // namespace delineo::app
