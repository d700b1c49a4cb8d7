#include "app/cli/RenderCommand.h"

#include <algorithm>
#include <chrono>
#include <iostream>

#include <nlohmann/json.hpp>

#include "core/io/ImageIO.h"
#include "renderer/Camera.h"
#include "renderer/Device.h"
#include "renderer/Instance.h"
#include "renderer/OffscreenTarget.h"
#include "renderer/VolumeRenderer.h"

namespace delineo::app {

namespace {

using namespace delineo::renderer;

core::Result<std::pair<uint32_t, uint32_t>> parseSize(const std::string& text) {
  auto x = text.find('x');
  try {
    if (x != std::string::npos) {
      long w = std::stol(text.substr(0, x)), h = std::stol(text.substr(x + 1));
      if (w > 0 && h > 0 && w <= 16384 && h <= 16384)
        return std::pair{static_cast<uint32_t>(w), static_cast<uint32_t>(h)};
    }
  } catch (...) {
  }
  return core::makeError("--size '" + text + "' is not WxH with 1..16384 pixels each (e.g. 512x512)");
}

core::Result<RenderMode> parseMode(const std::string& mode) {
  if (mode == "dvr") return RenderMode::Dvr;
  if (mode == "mip") return RenderMode::Mip;
  if (mode == "minip") return RenderMode::MinIp;
  if (mode == "iso") return RenderMode::Isosurface;
  if (mode == "labels") return RenderMode::LabelsOnly;
  return core::makeError("unknown --mode '" + mode + "' (dvr, mip, minip, iso, labels)");
}

int fail(const std::string& message) {
  std::cerr << "delineo: error: " << message << "\n";
  return 1;
}

}  // namespace

void addRenderCommand(CLI::App& cli, RenderOptions& o) {
  auto* cmd = cli.add_subcommand("render", "Render a volume or a slice offscreen to a PNG (Vulkan)");
  cmd->add_option("input", o.input, "Volume: DICOM file or folder, NIfTI, NRRD, MetaImage, .inv3")->required();
  cmd->add_option("--labels", o.labels, "Labelmap to show, or 'input' for the labels stored in the input");
  cmd->add_option("--mode", o.mode, "dvr, mip, minip, iso or labels")->capture_default_str();
  cmd->add_option("--preset", o.preset, "Transfer function: ct-bone, ct-soft-tissue, ct-lung, ct-angio, "
                                        "ct-skin, mr-default, mr-t1-brain");
  cmd->add_option("--window", o.window, "Window width (data units) for mip/minip/slices");
  cmd->add_option("--level", o.level, "Window centre (data units)")->each([&o](const std::string&) { o.levelGiven = true; });
  cmd->add_option("--iso", o.iso, "Isosurface value (data units)")->each([&o](const std::string&) { o.isoGiven = true; });
  cmd->add_option("--view", o.view, "anterior, posterior, left, right, superior, inferior")->capture_default_str();
  cmd->add_option("--azimuth", o.azimuthDeg, "Turn about the view's up axis, degrees");
  cmd->add_option("--elevation", o.elevationDeg, "Tilt, degrees (positive: from above)");
  cmd->add_option("--zoom", o.zoom, "Magnification")->capture_default_str();
  cmd->add_flag("--ortho", o.ortho, "Orthographic projection");
  cmd->add_option("--step", o.stepMm, "Distance between ray samples in mm (default: half the smallest spacing)");
  cmd->add_option("--size", o.size, "Image size WxH (default 512x512; slices: one pixel per voxel)");
  cmd->add_option("--slice", o.slice, "Render a slice: axial, sagittal or coronal");
  cmd->add_option("--index", o.index, "Slice index (default: middle)");
  cmd->add_option("--repeat", o.repeat, "Render N frames turning 360/N degrees each; report median ms/frame");
  cmd->add_flag("--json", o.json, "Report as JSON on stdout");
  cmd->add_flag("--no-skip", o.noSkip, "Disable empty-space skipping");
  cmd->add_flag("--validate", o.validate, "Enable the Vulkan validation layer");
  cmd->add_option("--gpu", o.gpu, "GPU index (default: $DELINEO_GPU, else a discrete GPU, else any)");
  cmd->add_option("--out", o.out, "PNG file to write")->required();
}

int runRender(const RenderOptions& o) {
  auto mode = parseMode(o.mode);
  if (!mode) return fail(mode.message());
  std::optional<SliceOrientation> orientation;
  if (!o.slice.empty()) {
    auto s = parseSliceOrientation(o.slice);
    if (!s) return fail(s.message());
    orientation = *s;
  }
  auto named = parseNamedView(o.view);
  if (!named) return fail(named.message());

  auto image = io::readImage(o.input);
  if (!image) return fail(image.message());
  for (const auto& w : image->warnings) std::cerr << "delineo: warning: " << w << "\n";
  const core::Volume& volume = image->volume;
  std::optional<core::Labelmap> labels;
  if (o.labels == "input") {
    if (!image->labels) return fail(o.input + " holds no labels (--labels input)");
    labels = std::move(image->labels);
  } else if (!o.labels.empty()) {
    auto l = io::readLabelmap(o.labels);
    if (!l) return fail(l.message());
    if (auto r = l->checkMatches(volume.geometry(), o.labels); !r) return fail(r.message());
    labels = std::move(l).value();
  }

  std::string presetName = o.preset.empty() ? (volume.modality == "CT" ? "ct-bone" : "mr-default") : o.preset;
  auto preset = loadPreset(presetName);
  if (!preset) return fail(preset.message());

  InstanceOptions instanceOptions;
  instanceOptions.validation = o.validate;
  auto instance = Instance::create(instanceOptions);
  if (!instance) return fail(instance.message());
  DeviceOptions deviceOptions;
  deviceOptions.gpuIndex = resolveGpuIndex(o.gpu);
  auto device = Device::create(**instance, deviceOptions);
  if (!device) return fail(device.message());
  auto renderer = VolumeRenderer::create(**device);
  if (!renderer) return fail(renderer.message());
  if (auto r = (*renderer)->setVolume(volume); !r) return fail(r.message());
  for (const auto& w : (*renderer)->warnings()) std::cerr << "delineo: warning: " << w << "\n";
  if (labels)
    if (auto r = (*renderer)->setLabelmap(*labels); !r) return fail(r.message());

  const core::Geometry& geometry = volume.geometry();
  std::pair<uint32_t, uint32_t> size{512, 512};
  if (!o.size.empty()) {
    auto s = parseSize(o.size);
    if (!s) return fail(s.message());
    size = *s;
  } else if (orientation) {
    size = sliceSize(geometry, *orientation);
  }

  FrameParams frame;
  frame.volume.mode = *mode;
  frame.volume.transfer = *preset;
  frame.volume.windowWidth = o.window > 0 ? o.window : preset->windowWidth;
  frame.volume.windowLevel = o.window > 0 || o.levelGiven ? o.level : preset->windowLevel;
  frame.volume.isoValue = o.isoGiven ? o.iso : preset->isoValue;
  frame.volume.stepMm = o.stepMm;
  frame.volume.emptySpaceSkipping = !o.noSkip;
  View view;
  if (orientation) {
    std::int64_t index = o.index >= 0 ? o.index : sliceCount(geometry, *orientation) / 2;
    auto plane = slicePlane(geometry, *orientation, index, size.first, size.second);
    if (!plane) return fail(plane.message());
    view.kind = View::Kind::Slice;
    view.slice = *plane;
  }
  OrbitView orbit{*named, o.azimuthDeg, o.elevationDeg, o.zoom, o.ortho};
  auto target = OffscreenTarget::create(**device, size.first, size.second);
  if (!target) return fail(target.message());

  int frames = std::max(1, o.repeat);
  std::vector<double> ms;
  for (int f = 0; f < frames; ++f) {
    if (!orientation) {
      OrbitView turned = orbit;
      turned.azimuthDeg += 360.0 * f / frames;
      view.camera = orbitCamera(geometry, turned, size.first, size.second);
    }
    frame.views = {view};
    frame.frameIndex = static_cast<uint32_t>(f);
    auto start = std::chrono::steady_clock::now();
    auto value = (*renderer)->render(frame, **target);
    if (!value) return fail(value.message());
    if (auto r = (*device)->wait(*value); !r) return fail(r.message());
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
    // The written picture is the first frame, the one the options describe.
    if (f == 0) {
      auto pixels = (*target)->readColor(**device);
      if (!pixels) return fail(pixels.message());
      if (auto r = writePng(*pixels, o.out); !r) return fail(r.message());
    }
  }
  std::vector<double> sorted = ms;
  std::sort(sorted.begin(), sorted.end());
  double median = sorted.size() % 2 ? sorted[sorted.size() / 2]
                                    : 0.5 * (sorted[sorted.size() / 2 - 1] + sorted[sorted.size() / 2]);
  if ((*instance)->validationMessageCount() > 0)
    std::cerr << "delineo: warning: " << (*instance)->validationMessageCount() << " validation messages\n";
  if (o.json) {
    nlohmann::json j;
    j["out"] = o.out;
    j["device"] = (*device)->name();
    j["size"] = {size.first, size.second};
    j["frames"] = frames;
    j["ms_per_frame_median"] = median;
    j["validation_messages"] = (*instance)->validationMessageCount();
    std::cout << j.dump(2) << "\n";
  } else if (o.repeat > 0) {
    std::cout << "device " << (*device)->name() << "\n"
              << frames << " frames " << size.first << "x" << size.second << ": median " << median
              << " ms/frame\n";
  }
  return 0;
}

}  // namespace delineo::app
