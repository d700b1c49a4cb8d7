#pragma once
// Shared by bench_render and bench_render_vtk: the 512^3 upsampling of the head CT and the
// timing loop of our renderer (median ms per frame over an orbit, optional stereo and PNG).

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include <sys/resource.h>

#include "core/Volume.h"
#include "core/io/InVesalius.h"
#include "renderer/Camera.h"
#include "renderer/Device.h"
#include "renderer/Instance.h"
#include "renderer/OffscreenTarget.h"
#include "renderer/RgbaImage.h"
#include "renderer/VolumeRenderer.h"

namespace delineo::bench {

using namespace delineo::renderer;

// CPU seconds this process (every thread: lavapipe's workers too) has used so far.
inline double processCpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + 1e-6 * double(u.ru_utime.tv_usec + u.ru_stime.tv_usec);
}

// CPU ms per frame of the last medianMs() call's timed frames: on a CPU driver this is steadier
// than wall time when other work shares the machine (the device's work counts, wherever it runs).
inline double& lastCpuMsPerFrame() {
  static double value = 0;
  return value;
}


// Nearest-neighbour resampling of `src` onto `dims` covering the same extent.
inline core::Volume upsample(const core::Volume& src, const core::Dims& dims) {
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

// Median ms per frame over `frames` frames turning about the volume (after one warm-up frame:
// pipeline compilation and the empty-space map are not frame costs). With `stereo`, each frame
// renders two eyes 64 mm apart into the two layers of one target in one dispatch.
inline double medianMs(Device& device, VolumeRenderer& renderer, FrameParams frame, const core::Geometry& g,
                uint32_t size, int frames, bool stereo = false, const std::string& savePng = {}) {
  auto target = OffscreenTarget::create(device, size, size, stereo ? 2 : 1);
  if (!target) {
    std::fprintf(stderr, "%s\n", target.message().c_str());
    return -1;
  }
  std::vector<double> ms;
  double cpuStart = 0;
  for (int f = -1; f < frames; ++f) {
    View view;
    view.camera = orbitCamera(g, {NamedView::Anterior, 360.0 * std::max(f, 0) / frames, 10, 1, false}, size, size);
    frame.views = {view};
    if (stereo) {
      View right = view;
      view.camera.eyeMm = view.camera.eyeMm - view.camera.right * 32.0;
      right.camera.eyeMm = right.camera.eyeMm + right.camera.right * 32.0;
      frame.views = {view, right};
    }
    frame.frameIndex = static_cast<uint32_t>(f + 1);
    if (f == 0) cpuStart = processCpuSeconds();
    auto start = std::chrono::steady_clock::now();
    auto value = renderer.render(frame, **target);
    if (!value || !device.wait(*value)) return -1;
    if (f >= 0) ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
    // The warm-up frame (azimuth 0, frame index 0: the same jitter everywhere) is the picture
    // that --save keeps, to compare devices.
    if (f < 0 && !savePng.empty()) {
      auto image = (*target)->readColor(device, 0);
      if (!image) return std::fprintf(stderr, "%s\n", image.message().c_str()), -1;
      if (auto w = writePng(*image, savePng); !w) return std::fprintf(stderr, "%s\n", w.message().c_str()), -1;
    }
  }
  lastCpuMsPerFrame() = (processCpuSeconds() - cpuStart) * 1000.0 / frames;
  std::sort(ms.begin(), ms.end());
  return ms[ms.size() / 2];
}

// What both render benchmarks run on: a device (DELINEO_GPU or the best one), the ct-bone
// preset, and the head CT with (unless quick) its 512^3 upsampling.
struct BenchVolume {
  std::string name;  // table label
  std::string tag;   // file names of --save
  core::Volume volume;
};
struct BenchSetup {
  std::unique_ptr<Instance> instance;
  std::unique_ptr<Device> device;
  TransferFunction preset;
  std::vector<BenchVolume> volumes;
};

inline core::Result<BenchSetup> openBench(const std::string& input, bool quick) {
  auto image = io::readInVesalius(input);
  if (!image) return image.error();
  BenchSetup setup;
  auto instance = Instance::create({});
  if (!instance) return instance.error();
  setup.instance = std::move(instance).value();
  DeviceOptions deviceOptions;
  deviceOptions.gpuIndex = resolveGpuIndex(-1);
  auto device = Device::create(*setup.instance, deviceOptions);
  if (!device) return device.error();
  setup.device = std::move(device).value();
  auto preset = loadPreset("ct-bone");
  if (!preset) return preset.error();
  setup.preset = std::move(preset).value();
  setup.volumes.push_back({"head 256x256x108", "head", std::move(image->volume)});
  if (!quick) setup.volumes.push_back({"head up 512^3", "head512", upsample(setup.volumes[0].volume, {512, 512, 512})});
  return setup;
}

}  // namespace delineo::bench
