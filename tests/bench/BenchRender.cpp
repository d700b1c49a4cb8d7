// Benchmark: ms/frame of the Vulkan raymarcher on the head CT (256x256x108) and a 512^3
// upsampling of it, at 512^2 and 1024^2, DVR (ct-bone) / MIP / isosurface, with and without
// empty-space skipping, and headset-style stereo (both eyes in one dispatch). Step: half the
// smallest spacing. Prints a table; run on demand:
//   bench_render [--quick] [--ess-only] [--stereo] [--frames N] [--input FILE.inv3] [--save DIR]
//   --quick: head CT at 512^2 only; --ess-only: skip the runs without empty-space skipping;
//   --stereo: add DVR/ISO at 2x(2000x2000), eyes 64 mm apart, the volume filling each eye;
//   --frames N: timed frames per run (default 5); --input: another InVesalius study;
//   cpu-ms: CPU time per frame of the whole process (steadier than wall time on a busy CPU).
//   --save DIR: each run's first frame as DIR/<volume>-<size>-<mode>.png (compare devices).
// Links no ITK or DCMTK (only the .inv3 reader), so it runs on a bare GPU machine.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "RenderBenchCommon.h"

using namespace delineo;
using namespace delineo::renderer;
using delineo::bench::medianMs;

int main(int argc, char** argv) {
  bool quick = false, essOnly = false, stereo = false;
  int frames = 5;
  std::string saveDir;  // --save DIR: the first frame of each run with skipping, as PNG
  std::string input = "/usr/share/doc/invesalius-examples/examples/Cranium.inv3";
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--quick") quick = true;
    else if (a == "--ess-only") essOnly = true;
    else if (a == "--stereo") stereo = true;
    else if (a == "--frames" && i + 1 < argc) frames = std::max(1, std::atoi(argv[++i]));
    else if (a == "--input" && i + 1 < argc) input = argv[++i];
    else if (a == "--save" && i + 1 < argc) saveDir = argv[++i];
    else return std::fprintf(stderr, "bench_render: unknown argument %s\n", a.c_str()), 2;
  }
  auto setup = bench::openBench(input, quick);
  if (!setup) return std::fprintf(stderr, "bench_render: %s\n", setup.message().c_str()), 1;
  Device* device = setup->device.get();
  const TransferFunction* preset = &setup->preset;
  std::printf("device: %s\n", device->name().c_str());
  std::printf("%-14s %-9s %-5s %12s %12s %8s %10s\n", "volume", "image", "mode", "ESS ms", "no-ESS ms", "speedup",
              "ESS cpu-ms");

  for (auto& d : setup->volumes) {
    auto renderer = VolumeRenderer::create(*device);
    if (!renderer) return std::fprintf(stderr, "bench_render: %s\n", renderer.message().c_str()), 1;
    auto upload = std::chrono::steady_clock::now();
    if (auto r = (*renderer)->setVolume(d.volume); !r) return std::fprintf(stderr, "bench_render: %s\n", r.message().c_str()), 1;
    std::printf("# %s uploaded in %.0f ms (%s gradients)\n", d.name.c_str(),
                std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - upload).count(),
                (*renderer)->volume()->packedGradients() ? "precomputed" : "on-the-fly");
    for (uint32_t size : {512u, 1024u}) {
      if (quick && size > 512) continue;
      for (RenderMode mode : {RenderMode::Dvr, RenderMode::Mip, RenderMode::Isosurface}) {
        FrameParams frame;
        frame.volume.mode = mode;
        frame.volume.transfer = *preset;
        frame.volume.windowWidth = preset->windowWidth;
        frame.volume.windowLevel = preset->windowLevel;
        frame.volume.isoValue = preset->isoValue;
        frame.volume.emptySpaceSkipping = true;
        const char* name = mode == RenderMode::Dvr ? "dvr" : mode == RenderMode::Mip ? "mip" : "iso";
        std::string png = saveDir.empty() ? std::string() : saveDir + "/" + d.tag + "-" + std::to_string(size) + "-" + name + ".png";
        double skip = medianMs(*device, **renderer, frame, d.volume.geometry(), size, frames, false, png);
        double skipCpu = bench::lastCpuMsPerFrame();
        frame.volume.emptySpaceSkipping = false;
        double full = essOnly ? 0.0 : medianMs(*device, **renderer, frame, d.volume.geometry(), size, size > 512 ? 1 : 3);
        std::printf("%-14s %4ux%-4u %-5s %12.1f %12.1f %7.2fx %10.1f\n", d.name.c_str(), size, size, name, skip, full,
                    full / skip, skipCpu);
        std::fflush(stdout);
      }
    }
    if (!stereo) continue;
    for (RenderMode mode : {RenderMode::Dvr, RenderMode::Isosurface}) {
      FrameParams frame;
      frame.volume.mode = mode;
      frame.volume.transfer = *preset;
      frame.volume.isoValue = preset->isoValue;
      std::string png = saveDir.empty() ? std::string()
                                        : saveDir + "/" + d.tag + "-stereo-" + (mode == RenderMode::Dvr ? "dvr" : "iso") + ".png";
      double ms = medianMs(*device, **renderer, frame, d.volume.geometry(), 2000, frames, true, png);
      std::printf("%-14s %-9s %-5s %12.1f %12s %8s  (%.0f stereo frames/s)\n", d.name.c_str(), "2x2000^2",
                  mode == RenderMode::Dvr ? "dvr" : "iso", ms, "-", "-", 1000.0 / ms);
      std::fflush(stdout);
    }
  }
  return 0;
}
