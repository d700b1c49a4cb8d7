#include "app/cli/VrCommand.h"

#include <csignal>
#include <iomanip>
#include <iostream>

#include "app/Samples.h"
#include "app/Session.h"
#include "app/StudyOpener.h"
#include "app/xr/XrMirror.h"
#include "app/xr/XrRuntime.h"
#include "app/xr/XrScene.h"
#include "app/xr/XrSession.h"
#include "app/xr/XrSimulator.h"
#include "core/io/ImageIO.h"
#include "renderer/RgbaImage.h"
#include "renderer/VolumeRenderer.h"

namespace delineo::app {

namespace {

volatile std::sig_atomic_t gInterrupted = 0;
void onInterrupt(int) { gInterrupted = 1; }

int fail(const std::string& message) {
  std::cerr << "delineo: error: " << message << "\n";
  return 1;
}

// Options the headset path cannot honour: refused before the runtime is looked for, so the
// user hears about the option rather than about a missing headset. Empty: none.
std::string headsetOptionError(const VrOptions& o) {
  if (!o.script.empty()) return "--input drives the simulator: add --simulate";
  if (!o.eyeSize.empty())
    return "--eye-size applies to the simulator: a headset renders at its runtime's recommended size "
           "(adaptive quality lowers it when frames run late)";
  if (o.gpu >= 0)
    return "--gpu applies to the simulator: with a headset the OpenXR runtime picks the GPU it drives";
  return {};
}

void printHeadsetTiming(const xr::XrHeadset& headset) {
  const xr::HeadsetTiming& t = headset.timing();
  VkExtent2D eye = headset.recommendedEyeSize();
  std::cout << std::fixed << std::setprecision(2);
  if (t.workMs.count() == 0)
    std::cout << "headset: no frame was timed (" << headset.renderedFrames() << " rendered; the first is not timed)";
  else
    std::cout << "headset frame " << eye.width << "x" << eye.height << " x2: Delineo's work " << t.workMs.meanMs()
              << " ms mean, " << t.workMs.medianMs() << " ms median over " << t.workMs.count() << " frames";
  if (t.periodMs.count() > 0)
    std::cout << "; runtime frame period " << t.periodMs.meanMs() << " ms mean, " << t.periodMs.medianMs()
              << " ms median (predicted), " << t.intervalMs.meanMs() << " ms mean, " << t.intervalMs.medianMs()
              << " ms median (measured)";
  std::cout << "\n" << std::defaultfloat;
}

// The headset path: runtime first (a missing runtime is the common case and costs nothing),
// then Vulkan through the runtime, the study, the session and the frame loop.
int runHeadset(const VrOptions& o) {
  auto runtime = xr::XrRuntime::create();
  if (!runtime) return fail(runtime.message());
  // The mirror's window first: Vulkan is created with what its surface needs.
  std::unique_ptr<Window> mirrorWindow;
  if (o.mirror) {
    auto w = xr::XrMirror::createWindow({});
    if (!w) return fail("--mirror: " + w.message());
    mirrorWindow = std::move(w).value();
  }
  renderer::InstanceOptions instanceOptions = (*runtime)->vulkanInstanceOptions(o.validate);
  std::vector<std::string> deviceExtensions;
  if (o.mirror) {
    for (const auto& e : Window::requiredInstanceExtensions()) instanceOptions.extensions.push_back(e);
    deviceExtensions.push_back(VK_KHR_SWAPCHAIN_EXTENSION_NAME);
  }
  auto instance = renderer::Instance::create(instanceOptions);
  if (!instance) return fail(instance.message());
  auto deviceOptions = (*runtime)->vulkanDeviceOptions((*instance)->handle());
  if (!deviceOptions) return fail(deviceOptions.message());
  auto device = renderer::Device::create(**instance, *deviceOptions, deviceExtensions);
  if (!device) return fail(device.message());

  SessionOptions so;
  so.annotator = o.annotator;
  auto session = openStudySession(o.input, o.sample, o.labels, so);
  if (!session) return fail(session.message());
  for (const auto& n : session->notices()) std::cerr << "delineo: " << n << "\n";
  auto renderer = renderer::VolumeRenderer::create(**device);
  if (!renderer) return fail(renderer.message());
  auto scene = xr::XrScene::create(*session, **device, **renderer);
  if (!scene) return fail(scene.message());
  auto headset = xr::XrHeadset::create(**runtime, (*instance)->handle(), **device);
  if (!headset) return fail(headset.message());
  std::unique_ptr<xr::XrMirror> mirror;
  if (mirrorWindow) {
    auto m = xr::XrMirror::create(std::move(mirrorWindow), **device, (*instance)->handle(), {});
    if (!m) return fail("--mirror: " + m.message());
    mirror = std::move(m).value();
    (*headset)->setMirror(mirror.get());
  }
  std::cerr << "delineo: " << (*runtime)->runtimeName() << " / " << (*runtime)->systemName() << ", "
            << (*headset)->recommendedEyeSize().width << "x" << (*headset)->recommendedEyeSize().height
            << " per eye, " << (*headset)->spaceName() << " space\n";
  std::signal(SIGINT, onInterrupt);
  auto ran = (*headset)->run(**scene, o.frames, [] { return gInterrupted != 0; });
  if (!(*headset)->mirrorMessage().empty()) std::cerr << "delineo: " << (*headset)->mirrorMessage() << "\n";
  if (ran && o.timing) printHeadsetTiming(**headset);
  if (ran && !o.screenshot.empty()) {
    // Every frame's work is already finished (each frame waits for its copy); the read waits anyway.
    if (auto idle = (*device)->waitIdle(); !idle) return fail(idle.message());
    auto eye = (*headset)->readLeftEye();
    if (!eye) return fail("--screenshot: " + eye.message());
    if (auto w = renderer::writePng(*eye, o.screenshot); !w) return fail(w.message());
  }
  mirror.reset();
  headset->reset();
  scene->reset();
  if (!ran) return fail(ran.message());
  if ((*instance)->validationMessageCount() > 0) {
    std::cerr << "delineo: error: " << (*instance)->validationMessageCount() << " Vulkan validation message(s)\n";
    return 3;
  }
  return 0;
}

}  // namespace

void addVrCommand(CLI::App& cli, VrOptions& o) {
  auto* cmd = cli.add_subcommand("vr", "Immersive mode on an OpenXR headset, or the XR simulator (--simulate)");
  cmd->add_option("input", o.input, "Volume: DICOM file or folder, NIfTI, NRRD, MetaImage, .inv3 (default: the sample)");
  cmd->add_option("--labels", o.labels, "Labelmap to edit (default: <study>-labels.nii.gz)");
  cmd->add_flag("--simulate", o.simulate, "No headset: simulated head and hands (mouse and keyboard, or --input)");
  cmd->add_option("--input", o.script, "Simulator: scripted head and hand input, one JSON object per line");
  cmd->add_option("--frames", o.frames, "Stop after N frames");
  cmd->add_option("--screenshot", o.screenshot,
                  "Save the last frame's left eye as PNG at the end (simulator with --mirror: the mirror window)");
  cmd->add_flag("--mirror", o.mirror, "Show the left eye in a desktop window for the audience");
  cmd->add_option("--eye-size", o.eyeSize,
                  "Simulator only: per-eye size WxH (default 720x800); a headset uses its runtime's size");
  cmd->add_flag("--validate", o.validate, "Enable the Vulkan validation layer (exit code 3 on any message)");
  cmd->add_flag("--timing", o.timing,
                "Print the stereo frame time (headset: Delineo's work per frame and the runtime's frame period)");
  cmd->add_flag("--adaptive", o.adaptive,
                "Simulator: adaptive resolution and sample distance (a headset always adapts, to its display rate)");
  cmd->add_option("--gpu", o.gpu,
                  "Simulator only: GPU index (default: $DELINEO_GPU, else a discrete GPU, else any); "
                  "a headset's runtime picks its GPU");
}

int runVr(const VrOptions& o) {
  if (!o.simulate) {
    if (std::string e = headsetOptionError(o); !e.empty()) return fail(e);
    return runHeadset(o);
  }
  xr::SimulatorOptions s;
  s.input = o.input;
  s.sample = o.sample;
  s.labels = o.labels;
  s.script = o.script;
  s.frames = o.frames;
  s.screenshot = o.screenshot;
  s.mirror = o.mirror;
  s.validate = o.validate;
  s.gpu = o.gpu;
  s.annotator = o.annotator;
  s.adaptive = o.adaptive;
  s.printTiming = o.timing;
  if (!o.eyeSize.empty()) {
    auto x = o.eyeSize.find('x');
    try {
      if (x == std::string::npos) throw std::invalid_argument("size");
      s.eyeWidth = std::stoi(o.eyeSize.substr(0, x));
      s.eyeHeight = std::stoi(o.eyeSize.substr(x + 1));
    } catch (...) {
      return fail("--eye-size '" + o.eyeSize + "' is not WxH (e.g. 1440x1600)");
    }
    if (s.eyeWidth < 16 || s.eyeHeight < 16 || s.eyeWidth > 8192 || s.eyeHeight > 8192)
      return fail("--eye-size must be between 16x16 and 8192x8192");
  }
  return xr::runSimulator(s);
}

}  // namespace delineo::app
