// Benchmark: ms/frame of the Vulkan raymarcher on the head CT (256x256x108) and a 512^3
// upsampling of it, at 512^2 and 1024^2, DVR (ct-bone) / MIP / isosurface, with and without
// empty-space skipping. Step: half the smallest spacing. Prints a table; run on demand:
//   bench_render [--quick] [--ess-only]   (--quick: head CT at 512^2 only; --ess-only: skip the
//   runs without empty-space skipping)

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "core/io/ImageIO.h"
#include "renderer/Camera.h"
#include "renderer/Device.h"
#include "renderer/Instance.h"
#include "renderer/OffscreenTarget.h"
#include "renderer/VolumeRenderer.h"

using namespace delineo;
using namespace delineo::renderer;

namespace {

// Nearest-neighbour resampling of `src` onto `dims` covering the same extent.
core::Volume upsample(const core::Volume& src, const core::Dims& dims) {
  core::Geometry g = src.geometry();
  core::Geometry s = src.geometry();
  for (int a = 0; a < 3; ++a)
    g.spacingMm[a] = s.spacingMm[a] * double(s.dims[a]) / double(dims[a]);
  g.dims = dims;
  core::Volume out(g, core::ScalarType::Int16);
  auto in = src.voxels<std::int16_t>();
  auto o = out.voxels<std::int16_t>();
  for (std::int64_t k = 0; k < dims[2]; ++k) {
    std::int64_t sk = k * s.dims[2] / dims[2];
    for (std::int64_t j = 0; j < dims[1]; ++j) {
      std::int64_t sj = j * s.dims[1] / dims[1];
      for (std::int64_t i = 0; i < dims[0]; ++i)
        o[static_cast<size_t>(g.linearIndex(i, j, k))] =
            in[static_cast<size_t>(s.linearIndex(i * s.dims[0] / dims[0], sj, sk))];
    }
  }
  out.modality = "CT";
  return out;
}

double medianMs(Device& device, VolumeRenderer& renderer, FrameParams frame, const core::Geometry& g,
                uint32_t size, int frames) {
  auto target = OffscreenTarget::create(device, size, size);
  if (!target) {
    std::fprintf(stderr, "%s\n", target.message().c_str());
    return -1;
  }
  // One warm-up frame: pipeline compilation and the empty-space map are not frame costs.
  std::vector<double> ms;
  for (int f = -1; f < frames; ++f) {
    View view;
    view.camera = orbitCamera(g, {NamedView::Anterior, 360.0 * std::max(f, 0) / frames, 10, 1, false}, size, size);
    frame.views = {view};
    frame.frameIndex = static_cast<uint32_t>(f + 1);
    auto start = std::chrono::steady_clock::now();
    auto value = renderer.render(frame, **target);
    if (!value || !device.wait(*value)) return -1;
    if (f >= 0) ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(ms.begin(), ms.end());
  return ms[ms.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  bool quick = false, essOnly = false;
  for (int i = 1; i < argc; ++i) {
    quick = quick || std::strcmp(argv[i], "--quick") == 0;
    essOnly = essOnly || std::strcmp(argv[i], "--ess-only") == 0;
  }
  auto image = io::readImage("/usr/share/doc/invesalius-examples/examples/Cranium.inv3");
  if (!image) {
    std::fprintf(stderr, "bench_render: %s\n", image.message().c_str());
    return 1;
  }
  auto instance = Instance::create({});
  if (!instance) return std::fprintf(stderr, "bench_render: %s\n", instance.message().c_str()), 1;
  DeviceOptions deviceOptions;
  deviceOptions.gpuIndex = resolveGpuIndex(-1);
  auto device = Device::create(**instance, deviceOptions);
  if (!device) return std::fprintf(stderr, "bench_render: %s\n", device.message().c_str()), 1;
  auto preset = loadPreset("ct-bone");
  if (!preset) return std::fprintf(stderr, "bench_render: %s\n", preset.message().c_str()), 1;
  std::printf("device: %s\n", (*device)->name().c_str());
  std::printf("%-14s %-9s %-5s %12s %12s %8s\n", "volume", "image", "mode", "ESS ms", "no-ESS ms", "speedup");

  struct Data {
    std::string name;
    core::Volume volume;
  };
  std::vector<Data> data;
  data.push_back({"head 256x256x108", std::move(image->volume)});
  if (!quick) data.push_back({"head up 512^3", upsample(data[0].volume, {512, 512, 512})});

  for (auto& d : data) {
    auto renderer = VolumeRenderer::create(**device);
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
        double skip = medianMs(**device, **renderer, frame, d.volume.geometry(), size, 5);
        frame.volume.emptySpaceSkipping = false;
        double full = essOnly ? 0.0 : medianMs(**device, **renderer, frame, d.volume.geometry(), size, size > 512 ? 1 : 3);
        const char* name = mode == RenderMode::Dvr ? "dvr" : mode == RenderMode::Mip ? "mip" : "iso";
        std::printf("%-14s %4ux%-4u %-5s %12.1f %12.1f %7.2fx\n", d.name.c_str(), size, size, name, skip, full,
                    full / skip);
        std::fflush(stdout);
      }
    }
  }
  return 0;
}
