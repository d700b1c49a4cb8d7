// Region grow, ours vs ITK's ConnectedThresholdImageFilter (single-threaded in ITK), on the head
// CT and on a 512^3 nearest-neighbour upsampling of it; identical output is checked for every
// row. Then grow from seeds (competitive, multi-label), up to the size of issue #5 (400x400x1500,
// 20 labels; goal < 10 s initial, < 2 s per update): the whole operation as the user waits for
// it, compute + write through a LabelEdit + its undo delta, initially and after adding seeds.
// Run on demand: build/tests/bench/bench_grow [seeds [threads [max Mvoxels]]]
//   seeds: grow from seeds only; threads: 0 = one per hardware thread; max Mvoxels: skip larger sizes
// or: build/tests/bench/bench_grow region [CASE [REPEATS [flood|label|parallel]]]
//   region grow only, the rows whose name contains CASE, at most REPEATS runs each (default 7;
//   more to profile one row), by one way alone instead of the automatic choice

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <itkConnectedThresholdImageFilter.h>
#include <itkImage.h>

#include "core/io/ImageIO.h"
#include "tools/GrowFromSeeds.h"
#include "tools/LabelEdit.h"
#include "tools/Parallel.h"
#include "tools/RegionGrow.h"

using namespace delineo;
using Clock = std::chrono::steady_clock;

namespace {

const char* kHeadCt = "/usr/share/doc/invesalius-examples/examples/Cranium.inv3";

double msSince(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

using ItkImage = itk::Image<std::int16_t, 3>;

// The voxels of `box` (ITK has no region of interest: one grows in the cropped image).
ItkImage::Pointer toItk(const core::Volume& v, const tools::VoxelBox& box) {
  auto image = ItkImage::New();
  ItkImage::RegionType region;
  region.SetSize({{itk::SizeValueType(box.hi[0] - box.lo[0]), itk::SizeValueType(box.hi[1] - box.lo[1]),
                   itk::SizeValueType(box.hi[2] - box.lo[2])}});
  image->SetRegions(region);
  image->Allocate();
  auto in = v.voxels<std::int16_t>();
  std::int16_t* out = image->GetBufferPointer();
  const std::size_t rowLength = std::size_t(box.hi[0] - box.lo[0]);
  for (std::int64_t k = box.lo[2]; k < box.hi[2]; ++k)
    for (std::int64_t j = box.lo[1]; j < box.hi[1]; ++j, out += rowLength)
      std::memcpy(out, in.data() + v.geometry().linearIndex(box.lo[0], j, k), rowLength * sizeof(std::int16_t));
  return image;
}

core::Volume upsample(const core::Volume& src, core::Dims dims) {
  core::Geometry g = src.geometry();
  const core::Dims s = g.dims;
  for (int a = 0; a < 3; ++a) g.spacingMm[a] *= double(s[a]) / double(dims[a]);
  g.dims = dims;
  core::Volume out(g, core::ScalarType::Int16);
  auto in = src.voxels<std::int16_t>();
  auto o = out.voxels<std::int16_t>();
  std::size_t n = 0;
  for (std::int64_t k = 0; k < dims[2]; ++k)
    for (std::int64_t j = 0; j < dims[1]; ++j)
      for (std::int64_t i = 0; i < dims[0]; ++i)
        o[n++] = in[std::size_t(src.geometry().linearIndex(i * s[0] / dims[0], j * s[1] / dims[1], k * s[2] / dims[2]))];
  return out;
}

struct Case {
  const char* name;
  double lower, upper;
  int connectivity;
  std::vector<tools::Ijk> seeds;  // on the head CT's grid; scaled for the upsampled one
  std::optional<tools::VoxelBox> roi = {};  // likewise; none = the whole volume
};

const char* gCaseFilter = "";
int gRepeats = 7;
tools::detail::GrowStrategy gStrategy = tools::detail::GrowStrategy::Automatic;

void benchRegionGrow(const char* title, const core::Volume& v, const std::vector<Case>& cases, double scale[3]) {
  std::printf("\n%s (%s, %lld voxels)\n", title, core::toString(v.geometry().dims).c_str(),
              static_cast<long long>(v.geometry().voxelCount()));
  std::printf("%-28s %12s %7s %10s %10s %8s %10s\n", "case", "voxels", "% ROI", "ours ms", "ITK ms", "ratio",
              "identical");
  const tools::VoxelBox whole = tools::VoxelBox::whole(v.geometry().dims);
  auto wholeInput = toItk(v, whole);
  for (const Case& c : cases) {
    if (!std::strstr(c.name, gCaseFilter)) continue;
    tools::RegionGrowParams p;
    for (auto s : c.seeds)
      p.seeds.push_back({std::int64_t(double(s[0]) * scale[0]), std::int64_t(double(s[1]) * scale[1]),
                         std::int64_t(double(s[2]) * scale[2])});
    p.lower = c.lower;
    p.upper = c.upper;
    p.connectivity = c.connectivity;
    if (c.roi) {
      tools::VoxelBox box;
      for (int a = 0; a < 3; ++a) {
        box.lo[a] = std::int64_t(double(c.roi->lo[a]) * scale[a]);
        box.hi[a] = std::int64_t(double(c.roi->hi[a]) * scale[a]);
      }
      p.roi = box;
    }
    const tools::VoxelBox box = p.roi.value_or(whole);
    auto itkInput = p.roi ? toItk(v, box) : wholeInput;
    // Ours and ITK's take turns, each result freed before the next run (the allocator then
    // serves both alike); at least 3 runs each, more while under ~2 s, the medians compared.
    using Filter = itk::ConnectedThresholdImageFilter<ItkImage, itk::Image<std::uint8_t, 3>>;
    std::vector<double> ours, theirs;
    bool identical = true;
    std::int64_t voxels = 0;
    std::string error;
    const auto started = Clock::now();
    for (int r = 0; r < gRepeats && (r < 3 || msSince(started) < 2000.0); ++r) {
      auto t0 = Clock::now();
      core::Result<tools::GrowRegion> region = tools::detail::growConnectedThreshold(v, p, gStrategy);
      ours.push_back(msSince(t0));
      if (!region) {
        error = region.message();
        break;
      }
      voxels = region->voxels;
      auto filter = Filter::New();
      filter->SetInput(itkInput);
      filter->SetLower(std::int16_t(c.lower));
      filter->SetUpper(std::int16_t(c.upper));
      filter->SetReplaceValue(1);
      filter->SetConnectivity(c.connectivity == 26 ? Filter::FullConnectivity : Filter::FaceConnectivity);
      for (auto s : p.seeds) filter->AddSeed({{s[0] - box.lo[0], s[1] - box.lo[1], s[2] - box.lo[2]}});
      t0 = Clock::now();
      filter->Update();
      theirs.push_back(msSince(t0));
      if (r > 0) continue;
      // Outside the ROI ours must be empty; inside, voxel for voxel ITK's.
      const tools::VoxelMask mask = region->toMask();
      const std::uint8_t* out = filter->GetOutput()->GetBufferPointer();
      std::int64_t inRoi = 0;
      for (std::int64_t k = box.lo[2]; k < box.hi[2]; ++k)
        for (std::int64_t j = box.lo[1]; j < box.hi[1]; ++j)
          for (std::int64_t i = box.lo[0]; i < box.hi[0]; ++i, ++out) {
            const bool ourVoxel = mask[v.geometry().linearIndex(i, j, k)] != 0;
            identical = identical && ourVoxel == (*out != 0);
            inRoi += ourVoxel;
          }
      identical = identical && inRoi == mask.count() && inRoi == region->voxels;
    }
    if (!error.empty()) {
      std::printf("%-28s error: %s\n", c.name, error.c_str());
      continue;
    }
    std::printf("%-28s %12lld %6.2f%% %10.1f %10.1f %7.1fx %10s\n", c.name, static_cast<long long>(voxels),
                100.0 * double(voxels) / double(box.voxelCount()), median(ours), median(theirs),
                median(theirs) / median(ours), identical ? "yes" : "NO");
  }
}

// Wall and CPU time (all threads: on a shared machine, wall time alone says little) of one part.
struct Timed {
  double ms = 0, cpuMs = 0;
  template <typename F>
  auto time(F&& f) {
    auto t0 = Clock::now();
    const std::clock_t c0 = std::clock();
    auto out = f();
    ms = msSince(t0);
    cpuMs = 1000.0 * double(std::clock() - c0) / CLOCKS_PER_SEC;
    return out;
  }
};

void printParts(const std::string& row, const Timed& compute, const Timed& apply, const Timed& finish,
                const Timed* revert = nullptr) {
  const Timed none;
  const Timed& r = revert ? *revert : none;
  const double ms = compute.ms + r.ms + apply.ms + finish.ms, cpu = compute.cpuMs + r.cpuMs + apply.cpuMs + finish.cpuMs;
  std::printf("%-34s %8.0f %6.0f %8.0f %6.0f %8.0f %6.0f %8.0f %6.0f %8.0f %6.0f\n", row.c_str(), compute.ms,
              compute.cpuMs, r.ms, r.cpuMs, apply.ms, apply.cpuMs, finish.ms, finish.cpuMs, ms, cpu);
}

// Grow from seeds on a synthetic CT-like volume: `segments` blobs of distinct intensity in a
// noisy background, one seed stroke per segment plus background, then a few more seeds.
void benchGrowFromSeeds(core::Dims dims, int segments, int threads) {
  core::Geometry g;
  g.dims = dims;
  core::Volume v(g, core::ScalarType::Int16);
  auto vox = v.voxels<std::int16_t>();
  const std::int64_t cellsZ = segments / 4 + 1;
  // Noise from a hash of the voxel index, so slices can be filled in parallel.
  tools::parallelChunks(dims[2], 0, [&](std::int64_t k0, std::int64_t k1) {
    for (std::int64_t k = k0; k < k1; ++k)
      for (std::int64_t j = 0; j < dims[1]; ++j)
        for (std::int64_t i = 0; i < dims[0]; ++i) {
          std::uint32_t h = std::uint32_t(g.linearIndex(i, j, k)) * 2654435761u;
          h ^= h >> 15;
          h *= 2246822519u;
          h ^= h >> 13;
          std::int64_t cell = (i * 2 / dims[0]) + 2 * (j * 2 / dims[1]) + 4 * (k * cellsZ / dims[2]);
          vox[std::size_t(g.linearIndex(i, j, k))] = std::int16_t(int(cell % segments) * 40 + int(h >> 28));
        }
  });
  core::Labelmap seeds(g);
  auto put = [&](std::int64_t i, std::int64_t j, std::int64_t k, std::uint8_t label) {
    for (std::int64_t d = -3; d <= 3; ++d)
      if (g.contains(i + d, j, k)) seeds.voxels()[std::size_t(g.linearIndex(i + d, j, k))] = label;
  };
  for (int s = 0; s < segments; ++s) {
    std::int64_t cell = s;
    std::int64_t ci = cell % 2, cj = (cell / 2) % 2, ck = cell / 4;
    put(dims[0] / 4 + ci * dims[0] / 2, dims[1] / 4 + cj * dims[1] / 2,
        std::min(dims[2] - 1, (2 * ck + 1) * dims[2] / (2 * cellsZ)), std::uint8_t(s + 1));
  }
  tools::GrowFromSeedsParams params;
  params.threads = threads;
  tools::GrowFromSeeds grow;
  // The user's labelmap; the seeds are kept apart, as in a preview.
  core::Labelmap target(g);
  Timed run, apply, finish;
  auto first = run.time([&] { return grow.run(v, seeds, params); });
  if (!first) {
    std::printf("grow from seeds: %s\n", first.message().c_str());
    return;
  }
  // Initial: the one-shot operation (compute, write through a LabelEdit, its undo delta).
  {
    tools::LabelEdit edit(target, &v, {});
    apply.time([&] { return grow.apply(edit); });
    finish.time([&] { return edit.finish(); });
  }
  const std::string name = core::toString(dims);
  printParts(name + " initial", run, apply, finish);
  // Update: the result stays in an open preview edit while the user adds seeds; then the edit
  // is brought up to date and finished. Either only the bricks the update changed are rewritten
  // (applyUpdate), or the preview is reverted and the whole result applied again.
  core::Labelmap preview(g);
  tools::LabelEdit edit(preview, &v, {});
  grow.apply(edit);
  for (int s = 0; s < 5; ++s) put(dims[0] / 3 + s * 7, dims[1] / 3, dims[2] / 2 + s, std::uint8_t(s + 1));
  Timed update, reapply, refinish;
  auto updated = update.time([&] { return grow.update(v, seeds); });
  if (!updated) {
    std::printf("grow from seeds update: %s\n", updated.message().c_str());
    return;
  }
  reapply.time([&] { return grow.applyUpdate(edit); });
  refinish.time([&] { return edit.finish(); });
  printParts(name + " update, changes", update, reapply, refinish);
  core::Labelmap whole(g);
  tools::LabelEdit old(whole, &v, {});
  grow.apply(old);  // stands in for the result before the update: reverting costs the same
  Timed revert, fullApply, fullFinish;
  revert.time([&] {
    old.revert();
    return 0;
  });
  tools::LabelEdit again(whole, &v, {});
  fullApply.time([&] { return grow.apply(again); });
  fullFinish.time([&] { return again.finish(); });
  printParts(name + " update, revert+apply", update, fullApply, fullFinish, &revert);
  const bool identical = std::equal(preview.voxels().begin(), preview.voxels().end(), whole.voxels().begin());
  // Fingerprint of the result (FNV-1a over the labels), to check that a faster version agrees.
  std::uint64_t hash = 1469598103934665603ull;
  for (std::uint8_t l : preview.voxels()) hash = (hash ^ l) * 1099511628211ull;
  std::printf("  update changed %lld voxels; result hash %llx; both updates identical: %s\n",
              static_cast<long long>(updated->labelled), static_cast<unsigned long long>(hash), identical ? "yes" : "NO");
}

bool benchRegionGrowAll() {
  auto image = io::readImage(kHeadCt);
  if (!image) {
    std::fprintf(stderr, "%s\n", image.message().c_str());
    return false;
  }
  const core::Volume& ct = image->volume;
  std::vector<Case> cases = {
      {"bone [300,3000] 6-conn", 300, 3000, 6, {{60, 128, 54}, {196, 128, 54}, {128, 40, 20}}},
      {"bone [300,3000] 26-conn", 300, 3000, 26, {{60, 128, 54}, {196, 128, 54}, {128, 40, 20}}},
      {"soft tissue [-100,200] 6", -100, 200, 6, {{128, 128, 54}}},
      {"air [-1024,-500] 6-conn", -1024, -500, 6, {{0, 0, 0}}},
      // Fragmented fat and muscle of a few percent of the ROI, around where the flood hands
      // over to labelling the components (1/64 = 1.56% of the ROI).
      {"fat [-100,-20] 6 (0.5%)", -100, -20, 6, {{201, 117, 0}}},
      {"muscle [40,80] 6 (1.4%)", 40, 80, 6, {{138, 49, 0}}},
      {"muscle [40,85] 6 (2%)", 40, 85, 6, {{138, 49, 0}}},
      {"muscle [40,85] 26 (2%)", 40, 85, 26, {{138, 49, 0}}},
      {"fat [-150,-10] 6 (3%)", -150, -10, 6, {{112, 40, 0}}},
      {"muscle [35,90] 6 (3%)", 35, 90, 6, {{138, 49, 0}}},
      {"muscle [28,75] 6 (6%)", 28, 75, 6, {{138, 49, 0}}},
      {"fat [-100,-20] 6, ROI 1/4", -100, -20, 6, {{201, 117, 0}}, tools::VoxelBox{{128, 64, 0}, {256, 192, 108}}},
  };
  // Seeds must lie in range: move each to the first in-range voxel along +i from where it is.
  for (Case& c : cases)
    for (auto& s : c.seeds)
      while (s[0] + 1 < ct.geometry().dims[0] &&
             !(ct.valueAt(s[0], s[1], s[2]) >= c.lower && ct.valueAt(s[0], s[1], s[2]) <= c.upper))
        ++s[0];
  double one[3] = {1, 1, 1};
  benchRegionGrow("Region grow on the head CT", ct, cases, one);
  core::Dims big{512, 512, 512};
  core::Volume up = upsample(ct, big);
  double scale[3] = {2.0, 2.0, 512.0 / 108.0};
  benchRegionGrow("Region grow on the head CT upsampled to 512^3", up, cases, scale);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  const bool seedsOnly = argc > 1 && std::strcmp(argv[1], "seeds") == 0;
  if (argc > 1 && std::strcmp(argv[1], "region") == 0) {
    if (argc > 2) gCaseFilter = argv[2];
    if (argc > 3) gRepeats = std::max(1, std::atoi(argv[3]));
    if (argc > 4) {
      using S = tools::detail::GrowStrategy;
      const std::string way = argv[4];
      gStrategy = way == "flood" ? S::Flood : way == "label" ? S::Labelling : way == "parallel" ? S::ParallelFlood : S::Automatic;
    }
    return benchRegionGrowAll() ? 0 : 1;
  }
  const int threads = argc > 2 ? std::atoi(argv[2]) : 0;
  const double maxMvoxels = argc > 3 ? std::atof(argv[3]) : 1e9;
  if (!seedsOnly && !benchRegionGrowAll()) return 1;
  std::printf("\nGrow from seeds (one seed stroke per segment; update = 5 strokes added; threads %d, 0 = %u here)\n",
              threads, std::thread::hardware_concurrency());
  std::printf("%-34s %15s %15s %15s %15s %15s\n", "", "compute", "revert", "apply", "finish", "total");
  std::printf("%-34s %8s %6s %8s %6s %8s %6s %8s %6s %8s %6s\n", "dims, operation", "ms", "cpu", "ms", "cpu", "ms", "cpu",
              "ms", "cpu", "ms", "cpu");
  for (core::Dims dims : {core::Dims{200, 200, 375}, core::Dims{400, 400, 375}, core::Dims{400, 400, 1500}})
    if (double(dims[0] * dims[1] * dims[2]) / 1e6 <= maxMvoxels) benchGrowFromSeeds(dims, 20, threads);
  return 0;
}
