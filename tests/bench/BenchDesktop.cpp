// Desktop viewer benchmark (needs a display: run under xvfb-run on a headless machine): the
// four-up layout's frame time on the head CT and on a 512^3 upsampling of it, and how many
// label bytes an edit sends to the GPU (only the dirty 32^3 bricks) compared with the whole
// labelmap. Prints a table; not a timed test.
//   xvfb-run -a --server-args="-screen 0 1600x1000x24" build/tests/bench/bench_desktop [WxH]

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "app/Samples.h"
#include "app/desktop/DesktopApp.h"
#include "core/io/ImageIO.h"

namespace {

namespace fs = std::filesystem;
using namespace delineo;

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

struct Row {
  std::string name;
  double frameMs = 0, editFrameMs = 0;
  std::uint64_t uploaded = 0, labelmapBytes = 0;
};

bool measure(const std::string& name, const std::string& input, std::uint64_t labelmapBytes, int width, int height,
             const fs::path& dir, Row& row) {
  // Six idle frames, then a stroke on the axial view, then four more frames.
  fs::path script = dir / (name + ".jsonl");
  std::ofstream(script) << R"({"ui":"wait","frames":6})" << "\n"
                        << R"({"ui":"tool","name":"brush"})" << "\n"
                        << R"({"ui":"stroke","view":"axial","from":[0.4,0.5],"to":[0.6,0.5],"steps":8})" << "\n"
                        << R"({"ui":"wait","frames":4})" << "\n";
  app::DesktopOptions o;
  o.input = input;
  o.labels = (dir / (name + "-labels.nii.gz")).string();
  o.script = script.string();
  o.frames = 1;
  o.width = width;
  o.height = height;
  o.vsync = false;
  auto viewer = app::DesktopApp::create(o);
  if (!viewer) {
    std::fprintf(stderr, "bench_desktop: %s\n", viewer.message().c_str());
    return false;
  }
  if ((*viewer)->run() != 0) return false;
  auto times = (*viewer)->frameTimesMs();
  const auto& uploads = (*viewer)->frameUploads();
  row.name = name;
  // The frame that shows the stroke is the one that uploaded its bricks.
  for (size_t f = 0; f < uploads.size(); ++f)
    if (uploads[f] > 0) {
      row.editFrameMs = times[f];
      break;
    }
  if (times.size() > 3) times.erase(times.begin(), times.begin() + 2);  // warm-up
  row.frameMs = median(times);
  row.uploaded = (*viewer)->uploadedLabelBytes();
  row.labelmapBytes = labelmapBytes;
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  int width = 1280, height = 800;
  if (argc > 1) std::sscanf(argv[1], "%dx%d", &width, &height);
  fs::path dir = fs::temp_directory_path() / "delineo-bench-desktop";
  fs::remove_all(dir);
  fs::create_directories(dir);
  auto ct = app::loadSample("ct");
  if (!ct) {
    std::fprintf(stderr, "bench_desktop: %s\n", ct.message().c_str());
    return 1;
  }
  // 512^3 by nearest-neighbour upsampling of the head CT (same field of view).
  const core::Geometry& g = ct->volume.geometry();
  core::Geometry big = g;
  big.dims = {512, 512, 512};
  for (int a = 0; a < 3; ++a) big.spacingMm[a] = g.spacingMm[a] * double(g.dims[a]) / 512.0;
  if (ct->volume.scalarType() != core::ScalarType::Int16) {
    std::fprintf(stderr, "bench_desktop: the head CT sample is expected as int16 HU\n");
    return 1;
  }
  core::Volume up(big, ct->volume.scalarType());
  up.modality = "CT";
  auto src = ct->volume.voxels<std::int16_t>();
  auto dst = up.voxels<std::int16_t>();
  for (std::int64_t k = 0; k < 512; ++k)
    for (std::int64_t j = 0; j < 512; ++j)
      for (std::int64_t i = 0; i < 512; ++i)
        dst[size_t(i + 512 * (j + 512 * k))] =
            src[size_t(g.linearIndex(i * g.dims[0] / 512, j * g.dims[1] / 512, k * g.dims[2] / 512))];
  std::string bigPath = (dir / "ct512.nii.gz").string();
  if (auto r = io::writeVolume(up, bigPath); !r) {
    std::fprintf(stderr, "bench_desktop: %s\n", r.message().c_str());
    return 1;
  }

  std::vector<Row> rows(2);
  std::string ctPath;
  for (const auto& s : app::samples())
    if (s.name == "ct") ctPath = s.volumePath;
  if (!measure("head-ct", ctPath, std::uint64_t(g.voxelCount()), width, height, dir, rows[0])) return 1;
  if (!measure("ct-512", bigPath, std::uint64_t(512) * 512 * 512, width, height, dir, rows[1])) return 1;
  std::printf("four-up %dx%d window, lavapipe or GPU as chosen by the renderer\n", width, height);
  std::printf("%-10s %12s %14s %16s %16s %8s\n", "volume", "ms/frame", "edit frame ms", "label bytes up", "labelmap bytes",
              "ratio");
  for (const auto& r : rows)
    std::printf("%-10s %12.1f %14.1f %16llu %16llu %8.4f\n", r.name.c_str(), r.frameMs, r.editFrameMs,
                static_cast<unsigned long long>(r.uploaded), static_cast<unsigned long long>(r.labelmapBytes),
                double(r.uploaded) / double(r.labelmapBytes));
  return 0;
}
