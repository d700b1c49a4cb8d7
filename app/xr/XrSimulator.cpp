#include "app/xr/XrSimulator.h"

#include <chrono>
#include <cmath>
#include <iostream>
#include <memory>

#include <GLFW/glfw3.h>

#include "app/Samples.h"
#include "app/Session.h"
#include "app/StudyOpener.h"
#include "app/desktop/Window.h"
#include "app/xr/SimulatedEyes.h"
#include "app/xr/XrScene.h"
#include "app/xr/XrScript.h"
#include "core/io/ImageIO.h"
#include "renderer/Device.h"
#include "renderer/Instance.h"
#include "renderer/OffscreenTarget.h"
#include "renderer/SwapchainTarget.h"
#include "renderer/VolumeRenderer.h"

namespace delineo::app::xr {

namespace {

// Mouse and keyboard as a head and two hands. The mouse moves the right hand in front of the
// head; left button: trigger, right button: grip; wheel: brush size; W/A/S/D and Q/E: walk and
// turn; Space: left grip (with the right grip: two-hand scale as the mouse moves); Z / Y: undo /
// redo; Tab: next label; T: next tool; Enter / Backspace: accept / discard a grow; C: clip
// plane; M: panel.
class KeyboardHands : public InputSink {
 public:
  void onCursor(double x, double y) override { mX = x, mY = y; }
  void onButton(int button, bool pressed, int) override {
    if (button == GLFW_MOUSE_BUTTON_LEFT) mTrigger = pressed;
    if (button == GLFW_MOUSE_BUTTON_RIGHT) mGrip = pressed;
  }
  void onScroll(double, double dy) override { mWheel += dy; }
  void onKey(int key, bool pressed, int) override {
    if (key >= 0 && key < 512) mKeys[key] = pressed;
  }

  FrameInput input(double timeS, double dtS, int width, int height) {
    FrameInput in = mBase;
    auto key = [&](int k) { return mKeys[k]; };
    double walk = 0.8 * dtS;
    Vec3 fwd = mHeadYaw.rotate({0, 0, -1}), right = mHeadYaw.rotate({1, 0, 0});
    if (key(GLFW_KEY_W)) mHead = mHead + fwd * walk;
    if (key(GLFW_KEY_S)) mHead = mHead - fwd * walk;
    if (key(GLFW_KEY_A)) mHead = mHead - right * walk;
    if (key(GLFW_KEY_D)) mHead = mHead + right * walk;
    if (key(GLFW_KEY_Q)) mHeadYaw = (Quat::axisAngle({0, 1, 0}, 1.2 * dtS) * mHeadYaw).normalized();
    if (key(GLFW_KEY_E)) mHeadYaw = (Quat::axisAngle({0, 1, 0}, -1.2 * dtS) * mHeadYaw).normalized();
    in.timeS = timeS;
    in.head = {mHead, mHeadYaw};
    double fx = width > 0 ? mX / width - 0.5 : 0, fy = height > 0 ? mY / height - 0.5 : 0;
    HandInput& r = in.hand(Hand::Right);
    r.grip = {in.head.apply({fx * 0.6, -0.2 - fy * 0.5, -0.4}), mHeadYaw * Quat::axisAngle({1, 0, 0}, -0.3)};
    r.aim = r.grip;
    r.trigger = mTrigger ? 1 : 0;
    r.squeeze = mGrip ? 1 : 0;
    r.thumbY = std::clamp(mWheel, -1.0, 1.0);
    mWheel *= 0.8;  // the wheel's notches decay like a released thumbstick
    r.thumbX = key(GLFW_KEY_TAB) ? 1 : 0;
    r.primary = key(GLFW_KEY_T) || key(GLFW_KEY_ENTER);
    r.secondary = key(GLFW_KEY_BACKSPACE);
    HandInput& l = in.hand(Hand::Left);
    l.grip = {in.head.apply({-0.2, -0.25, -0.35}), mHeadYaw * Quat::axisAngle({1, 0, 0}, -0.5)};
    l.aim = l.grip;
    l.squeeze = key(GLFW_KEY_SPACE) ? 1 : 0;
    l.primary = key(GLFW_KEY_Z);
    l.secondary = key(GLFW_KEY_Y);
    l.trigger = key(GLFW_KEY_C) ? 1 : 0;
    l.menu = key(GLFW_KEY_M);
    return in;
  }

 private:
  FrameInput mBase = defaultSimulatedInput();
  Vec3 mHead{0, 1.6, 0};
  Quat mHeadYaw;
  double mX = 0, mY = 0, mWheel = 0;
  bool mTrigger = false, mGrip = false;
  bool mKeys[512] = {};
};

// Turns the hand's aim towards the panel point (u, v).
void pointAt(const PanelQuad& panel, double u, double v, HandInput& hand) {
  Vec3 target = panel.pose.apply({(u - 0.5) * panel.widthM, (0.5 - v) * panel.heightM, 0});
  Vec3 dir = core::normalize(target - hand.aim.position);
  hand.aim.orientation = rotationBetween({0, 0, -1}, dir);
}

int fail(const std::string& message) {
  std::cerr << "delineo: error: " << message << "\n";
  return 1;
}

}  // namespace

int runSimulator(const SimulatorOptions& o) {
  std::optional<XrScript> script;
  if (!o.script.empty()) {
    auto s = XrScript::load(o.script);
    if (!s) return fail(s.message());
    script = std::move(s).value();
  }
  const bool windowed = o.mirror || !script;
  std::unique_ptr<Window> window;
  if (windowed) {
    WindowOptions wo;
    wo.width = o.eyeWidth;
    wo.height = o.eyeHeight;
    wo.title = "Delineo VR (simulated) — left eye";
    auto w = Window::create(wo);
    if (!w) return fail(w.message());
    window = std::move(w).value();
  }

  renderer::InstanceOptions io;
  io.validation = o.validate;
  if (windowed) io.extensions = Window::requiredInstanceExtensions();
  auto instance = renderer::Instance::create(io);
  if (!instance) return fail(instance.message());
  renderer::DeviceOptions dopt;
  dopt.gpuIndex = renderer::resolveGpuIndex(o.gpu);
  std::vector<std::string> deviceExtensions;
  if (windowed) deviceExtensions.push_back(VK_KHR_SWAPCHAIN_EXTENSION_NAME);
  auto device = renderer::Device::create(**instance, dopt, deviceExtensions);
  if (!device) return fail(device.message());

  SessionOptions so;
  so.annotator = o.annotator;
  auto session = openStudySession(o.input, o.sample, o.labels, so);
  if (!session) return fail(session.message());
  for (const auto& n : session->notices()) std::cerr << "delineo: " << n << "\n";

  auto renderer = renderer::VolumeRenderer::create(**device);
  if (!renderer) return fail(renderer.message());
  XrSceneOptions sceneOptions;
  sceneOptions.adaptive.enabled = o.adaptive;
  auto scene = XrScene::create(*session, **device, **renderer, sceneOptions);
  if (!scene) return fail(scene.message());

  const VkExtent2D eye{static_cast<uint32_t>(o.eyeWidth), static_cast<uint32_t>(o.eyeHeight)};
  std::unique_ptr<renderer::SwapchainTarget> mirror;
  std::unique_ptr<renderer::OffscreenTarget> offscreen;
  if (windowed) {
    auto surface = window->createSurface((*instance)->handle());
    if (!surface) return fail(surface.message());
    auto sc = renderer::SwapchainTarget::create(**device, (*instance)->handle(), *surface, window->framebufferSize(), {});
    if (!sc) return fail(sc.message());
    mirror = std::move(sc).value();
  } else {
    auto t = renderer::OffscreenTarget::create(**device, eye.width, eye.height, 2);
    if (!t) return fail(t.message());
    offscreen = std::move(t).value();
  }

  KeyboardHands keyboard;
  if (window) window->setInputSink(&keyboard);
  ScriptFrame last;
  last.input = defaultSimulatedInput();
  int frame = 0;
  double lastMs = 0, totalMs = 0;
  int timed = 0;
  auto start = std::chrono::steady_clock::now();
  int code = 0;
  while (true) {
    if (window) {
      window->pollEvents();
      if (window->closeRequested()) break;
    }
    bool scriptDone = false;
    if (script) {
      if (auto next = script->next()) last = *next;
      else scriptDone = true;
      if (scriptDone && o.frames <= 0) break;
    } else {
      double t = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      VkExtent2D fb = window->framebufferSize();
      last.input = keyboard.input(t, lastMs > 0 ? lastMs / 1000 : 1.0 / 60, int(fb.width), int(fb.height));
    }
    if (script && scriptDone) last.input.timeS += 1.0 / 90;
    FrameInput in = last.input;
    for (int h = 0; h < 2; ++h)
      if (last.pointAtPanel[h]) pointAt((*scene)->panelQuad(), last.pointAtPanel[h]->first, last.pointAtPanel[h]->second, in.hands[h]);

    auto t0 = std::chrono::steady_clock::now();
    (*scene)->update(in, lastMs);
    auto eyes = simulatedEyes(in.head);
    renderer::RenderTarget* target = offscreen.get();
    renderer::FrameState state = renderer::FrameState::Ready;
    if (mirror) {
      mirror->resize(window->framebufferSize());
      auto acquired = mirror->acquire();
      if (!acquired) return fail(acquired.message());
      state = *acquired;
      if (state == renderer::FrameState::Ready)
        if (auto r = mirror->setViewExtent(eye, 2); !r) return fail(r.message());
      target = mirror.get();
    }
    const bool lastFrame = o.frames > 0 ? frame + 1 >= o.frames : (script && script->frameCount() == static_cast<size_t>(frame + 1));
    if (state == renderer::FrameState::Ready) {
      auto rendered = (*scene)->render(eyes, *target);
      if (!rendered) return fail(rendered.message());
      if (mirror) {
        VkExtent2D w = mirror->windowExtent();
        renderer::SwapchainTarget::Blit blit{0, VkRect2D{{0, 0}, w}};
        renderer::RgbaImage capture;
        bool wantCapture = lastFrame && !o.screenshot.empty();
        auto presented = mirror->present({&blit, 1}, [](VkCommandBuffer) {}, wantCapture ? &capture : nullptr);
        if (!presented) return fail(presented.message());
        if (wantCapture && capture.width > 0)
          if (auto r = renderer::writePng(capture, o.screenshot); !r) return fail(r.message());
      } else {
        if (auto r = (*device)->wait(*rendered); !r) return fail(r.message());
        if (lastFrame && !o.screenshot.empty()) {
          auto color = offscreen->readColor(**device, 0);
          if (!color) return fail(color.message());
          if (auto r = renderer::writePng(*color, o.screenshot); !r) return fail(r.message());
        }
      }
    }
    (void)(*device)->waitIdle();
    lastMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    if (frame > 0) totalMs += lastMs, ++timed;  // the first frame builds pipelines
    ++frame;
    if (lastFrame) break;
  }
  (*scene)->finish();
  if (!(*scene)->message().empty()) std::cerr << "delineo: " << (*scene)->message() << "\n";
  if (o.printTiming && timed > 0)
    std::cout << "stereo frame " << eye.width << "x" << eye.height << " x2: " << totalMs / timed << " ms mean over "
              << timed << " frames\n";
  scene->reset();
  renderer->reset();
  int messages = (*instance)->validationMessageCount();
  if (messages > 0) {
    std::cerr << "delineo: error: " << messages << " Vulkan validation message(s)\n";
    code = 3;
  }
  return code;
}

}  // namespace delineo::app::xr
