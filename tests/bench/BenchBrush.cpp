// Brush and undo on a 512^3 CT-sized labelmap: microseconds per dab, bytes of dirty bricks,
// undo memory per step against a full-copy baseline (what 3D Slicer and OHIF keep), and the
// journal's append latency (fsync included). Run on demand: build/tests/bench/bench_brush [dir]

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <vector>

#include "tools/Brush.h"
#include "tools/History.h"
#include "tools/Journal.h"
#include "tools/LabelmapHash.h"

using namespace delineo;
using Clock = std::chrono::steady_clock;

namespace {

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  std::filesystem::path dir = argc > 1 ? argv[1] : std::filesystem::temp_directory_path() / "delineo-bench-brush";
  std::filesystem::create_directories(dir);
  core::Geometry g;
  g.dims = {512, 512, 512};
  g.spacingMm = {0.7, 0.7, 0.7};
  core::Labelmap labelmap(g);
  (void)labelmap.labels().add("Liver");
  const double fullCopyBytes = double(labelmap.voxels().size());

  std::mt19937 rng(1);
  std::uniform_real_distribution<double> pos(60, 300);
  std::printf("Brush on a 512^3 labelmap (0.7 mm voxels)\n");
  std::printf("%-10s %14s %14s %16s %14s %18s %10s\n", "radius", "dab us (med)", "voxels/dab", "dirty bricks KiB",
              "undo B/step", "full copy B/step", "ratio");
  for (double radius : {5.0, 10.0, 20.0}) {
    std::vector<double> dabUs, commitUs;
    double dirtyBytes = 0, undoBytes = 0, voxels = 0;
    const int kDabs = 40;
    for (int d = 0; d < kDabs; ++d) {
      core::Vec3 c{pos(rng), pos(rng), pos(rng)};
      tools::BrushParams p;
      p.radiusMm = radius;
      auto t0 = Clock::now();
      tools::LabelEdit edit(labelmap, nullptr, {});
      voxels += double(tools::paintDab(edit, c, p));
      auto t1 = Clock::now();
      dirtyBytes += double(edit.touchedBricks().size()) * 32 * 32 * 32;
      tools::Step step;
      step.voxels = edit.finish();
      auto t2 = Clock::now();
      undoBytes += double(step.byteSize());
      dabUs.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
      commitUs.push_back(std::chrono::duration<double, std::micro>(t2 - t1).count());
    }
    std::printf("%-10s %14.1f %14.0f %16.1f %14.0f %18.0f %9.0fx\n", (std::to_string(int(radius)) + " mm").c_str(),
                median(dabUs), voxels / kDabs, dirtyBytes / kDabs / 1024, undoBytes / kDabs, fullCopyBytes,
                fullCopyBytes / (undoBytes / kDabs));
    std::printf("%-10s %14s commit (compress the step): %.1f us median\n", "", "", median(commitUs));
  }

  // Journal append latency: one 10 mm dab per record, fsync'ed.
  std::string path = (dir / "bench.journal").string();
  auto journal = tools::Journal::create(path, labelmap, tools::LabelmapHash::of(labelmap));
  if (!journal) {
    std::fprintf(stderr, "%s\n", journal.message().c_str());
    return 1;
  }
  std::vector<double> appendUs;
  for (int d = 0; d < 50; ++d) {
    tools::LabelEdit edit(labelmap, nullptr, {});
    tools::BrushParams p;
    p.radiusMm = 10;
    tools::paintDab(edit, {pos(rng), pos(rng), pos(rng)}, p);
    tools::JournalRecord r;
    r.step.voxels = edit.finish();
    r.step.name = "Brush 10 mm";
    auto t0 = Clock::now();
    if (auto ok = journal->append(r); !ok) {
      std::fprintf(stderr, "%s\n", ok.message().c_str());
      return 1;
    }
    appendUs.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
  }
  std::printf("journal append (10 mm dab, fdatasync): %.0f us median, %.0f us max  [%s]\n", median(appendUs),
              *std::max_element(appendUs.begin(), appendUs.end()), path.c_str());
  std::filesystem::remove(path);
  return 0;
}
