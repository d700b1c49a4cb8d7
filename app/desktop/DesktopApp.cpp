#include "app/desktop/DesktopApp.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <utility>
#include <thread>

#include <unistd.h>

#include <imgui.h>
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>

#include "app/Samples.h"
#include "app/StudyOpener.h"
#include "app/desktop/PacsBrowser.h"
#include "app/ui/CampaignPanel.h"
#include "app/ui/ImGuiLayer.h"
#include "app/ui/Panels.h"
#include "core/io/ImageIO.h"
#include "renderer/Device.h"
#include "renderer/Instance.h"
#include "renderer/SwapchainTarget.h"
#include "renderer/VolumeRenderer.h"

namespace delineo::app {

namespace fs = std::filesystem;

DesktopApp::DesktopApp(const DesktopOptions& options) : mOptions(options) {
  mState.layout = options.layout;
}

DesktopApp::~DesktopApp() {
  mJob.finish();
  mEdits.reset();
  mUi.reset();
  mRenderer.reset();
  mSwapchain.reset();
  mDevice.reset();
  mInstance.reset();
  mWindow.reset();
}

core::Result<std::unique_ptr<DesktopApp>> DesktopApp::create(const DesktopOptions& options) {
  std::unique_ptr<DesktopApp> app(new DesktopApp(options));
  if (auto r = app->init(); !r) return r.error();
  return app;
}

core::Result<void> DesktopApp::init() {
  if (!mOptions.script.empty()) {
    auto script = ViewerScript::load(mOptions.script);
    if (!script) return script.error();
    mScript = std::move(script).value();
  }
  WindowOptions wo;
  wo.width = mOptions.width;
  wo.height = mOptions.height;
  auto window = Window::create(wo);
  if (!window) return window.error();
  mWindow = std::move(window).value();

  renderer::InstanceOptions io;
  io.validation = mOptions.validate;
  io.extensions = Window::requiredInstanceExtensions();
  auto instance = renderer::Instance::create(io);
  if (!instance) return instance.error();
  mInstance = std::move(instance).value();
  renderer::DeviceOptions dopt;
  dopt.gpuIndex = renderer::resolveGpuIndex(mOptions.gpu);
  auto device = renderer::Device::create(*mInstance, dopt, {VK_KHR_SWAPCHAIN_EXTENSION_NAME});
  if (!device) return device.error();
  mDevice = std::move(device).value();
  auto surface = mWindow->createSurface(mInstance->handle());
  if (!surface) return surface.error();
  renderer::SwapchainOptions so;
  so.vsync = mOptions.vsync;
  auto swapchain = renderer::SwapchainTarget::create(*mDevice, mInstance->handle(), *surface,
                                                     mWindow->framebufferSize(), so);
  if (!swapchain) return swapchain.error();
  mSwapchain = std::move(swapchain).value();
  auto rend = renderer::VolumeRenderer::create(*mDevice);
  if (!rend) return rend.error();
  mRenderer = std::move(rend).value();

  // Our callbacks first: ImGui chains to them after its own.
  mInput = std::make_unique<InputMapper>(mViews.layout());
  mWindow->setInputSink(mInput.get());
  auto uiLayer = ui::ImGuiLayer::create(mWindow->handle(), mInstance->handle(), *mDevice, *mSwapchain);
  if (!uiLayer) return uiLayer.error();
  mUi = std::move(uiLayer).value();
  mDataPanel = std::make_unique<ui::DataPanel>();
  mPanels = std::make_unique<ui::PanelState>();
  mPacs = std::make_unique<PacsBrowser>();
  if (auto settings = loadPacsSettings(defaultSettingsPath()); settings)
    mPacs->connection() = *settings;
  else
    mNotices.push_back(settings.message());
  updateTitle();

  if (!mOptions.campaign.empty()) {
    auto campaign = Campaign::load(mOptions.campaign);
    if (!campaign) return campaign.error();
    mCampaign = std::move(campaign).value();
    if (mOptions.annotator.empty()) mOptions.annotator = defaultAnnotator();
    mCampaignPanel = std::make_unique<ui::CampaignPanel>();
    if (!openNextCase())
      return core::makeError(mOptions.campaign + ": no case left for annotator '" + mOptions.annotator +
                             "' (see `delineo campaign status`)");
    return {};
  }
  std::string input = mOptions.input;
  if (input.empty())
    for (const auto& s : samples())
      if (s.name == mOptions.sample) input = s.volumePath;
  openStudy(input, mOptions.labels);
  return {};
}

int DesktopApp::validationMessages() const { return mInstance ? mInstance->validationMessageCount() : 0; }

void DesktopApp::updateTitle() {
  // The file stem only: screenshots and screen shares never carry the patient's name.
  std::string title = "Delineo";
  if (!mTitle.empty()) title += " — " + mTitle + (mSession && mSession->unsavedChanges() ? " *" : "");
  mWindow->setTitle(title);
}

bool DesktopApp::openNextCase() {
  auto next = nextCase(*mCampaign, mOptions.annotator);
  if (!next) return false;
  const std::string labels = mCampaign->labelmapPath(*next, mOptions.annotator);
  std::error_code ec;
  fs::create_directories(fs::path(labels).parent_path(), ec);
  // A case id and a file path: no patient identity.
  std::cout << "campaign " << mCampaign->name << ": case " << next->id << " for " << mOptions.annotator << ", labelmap "
            << labels << std::endl;
  mCampaignCase = next->id;
  mNewLabelTable = mCampaign->labels;
  openStudy(mCampaign->volumePath(*next), labels);
  return true;
}

void DesktopApp::openStudy(const std::string& path, const std::string& labelsPath) {
  if (mJob.busy() || (mEdits && mEdits->busy())) return;
  std::string sampleName;
  for (const auto& s : samples())
    if (s.volumePath == path) sampleName = s.name;
  std::string labels = labelsPath.empty() ? defaultLabelmapPath(path) : labelsPath;
  auto opened = std::make_shared<std::unique_ptr<Session>>();
  std::string annotator = mOptions.annotator;
  std::optional<core::LabelTable> newTable = std::exchange(mNewLabelTable, std::nullopt);
  mJob.start(
      "Loading " + fs::path(path).filename().string(),
      [path, sampleName, labels, annotator, opened, newTable](const core::TaskControl& control) -> core::Result<void> {
        SessionOptions so;
        so.annotator = annotator;
        std::error_code ec;
        const bool created = !fs::exists(labels, ec);
        auto session = openStudySession(sampleName.empty() ? path : "", sampleName, labels, so, control);
        if (!session) return session.error();
        // A campaign case starts from the campaign's label table.
        if (created && newTable && session->labelmap().labels().empty()) session->labelmapForEdit().labels() = *newTable;
        *opened = std::make_unique<Session>(std::move(session).value());
        return {};
      },
      [this, path, opened](const core::Result<void>& outcome) {
        if (!outcome) {
          mNotices.push_back("Could not open " + path + ": " + outcome.message());
          if (mOptions.frames > 0) mExitCode = 1;
          return;
        }
        std::string stem = fs::path(path).filename().string();
        adoptSession(std::move(*opened), stem);
        mRecent.erase(std::remove(mRecent.begin(), mRecent.end(), path), mRecent.end());
        mRecent.insert(mRecent.begin(), path);
        if (mRecent.size() > 8) mRecent.resize(8);
      });
}

void DesktopApp::adoptSession(std::unique_ptr<Session> session, std::string title) {
  mEdits.reset();
  mSession = std::move(session);
  mEdits = std::make_unique<EditController>(*mSession, mJob);
  mTitle = std::move(title);
  for (const auto& n : mSession->notices()) mNotices.push_back(n);
  for (const auto& w : mSession->image().warnings) mNotices.push_back("Warning: " + w);
  const core::Volume& volume = mSession->volume();
  if (auto r = mRenderer->setVolume(volume); !r) mNotices.push_back("Cannot show the volume: " + r.message());
  if (auto r = mRenderer->setLabelmap(mSession->labelmap()); !r) mNotices.push_back(r.message());
  (void)mSession->takeDirtyBricks();
  const core::Geometry& g = volume.geometry();
  mState.crosshairMm = g.ijkToPatient({double(g.dims[0] - 1) / 2, double(g.dims[1] - 1) / 2, double(g.dims[2] - 1) / 2});
  std::string preset = mOptions.preset.empty() ? (volume.modality == "CT" ? "ct-bone" : "mr-default") : mOptions.preset;
  applyPreset(preset);
  if (volume.modality == "CT") {
    mState.tools.thresholdLow = 150;
    mState.tools.thresholdHigh = 3000;
  } else {
    auto [lo, hi] = volume.valueRange();
    mState.tools.thresholdLow = lo + 0.3 * (hi - lo);
    mState.tools.thresholdHigh = hi;
  }
  if (const auto& labels = mSession->labelmap().labels().labels(); !labels.empty()) mState.tools.label = labels.front().id;
  // Histogram of the values for the transfer-function editor (every 7th voxel is plenty).
  auto [lo, hi] = volume.valueRange();
  mHistogram.assign(128, 0);
  std::int64_t n = g.voxelCount();
  for (std::int64_t i = 0; i < n; i += 7) {
    double v = volume.valueAtIndex(i);
    int bin = hi > lo ? std::clamp(int((v - lo) / (hi - lo) * 127.999), 0, 127) : 0;
    mHistogram[size_t(bin)] += 1;
  }
  for (float& h : mHistogram) h = std::log1p(h);
  mViews.volume().reset();
  for (ViewId v : {ViewId::Axial, ViewId::Sagittal, ViewId::Coronal}) mViews.slice(v).reset();
  updateTitle();
}

void DesktopApp::applyPreset(const std::string& name) {
  auto preset = renderer::loadPreset(name);
  if (!preset) {
    mNotices.push_back(preset.message());
    return;
  }
  mState.presetName = name;
  mState.display.transfer = *preset;
  mState.display.windowWidth = preset->windowWidth;
  mState.display.windowLevel = preset->windowLevel;
  mState.display.isoValue = preset->isoValue;
}

void DesktopApp::uploadEdits() {
  if (!mEdits) return;
  auto bricks = mEdits->takeDirtyBricks();
  if (bricks.empty()) return;
  if (auto r = mRenderer->updateLabelBricks(mSession->labelmap(), bricks); !r) mNotices.push_back(r.message());
  const std::uint64_t brickBytes = std::uint64_t(core::Labelmap::kBrickSize) * core::Labelmap::kBrickSize *
                                   core::Labelmap::kBrickSize;
  mUploadedBytes += bricks.size() * brickBytes;
  updateTitle();
}

void DesktopApp::requestClose() {
  if (mSession && mSession->unsavedChanges() && mOptions.frames <= 0) {
    mWindow->setCloseRequested(false);
    mConfirmClose = true;
    return;
  }
  mClosing = true;
}

std::string DesktopApp::screenshotPath() const {
  auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  char name[64];
  std::strftime(name, sizeof(name), "delineo-%Y%m%d-%H%M%S.png", std::localtime(&now));
  return name;
}

int DesktopApp::run() {
  using Clock = std::chrono::steady_clock;
  while (!mClosing) {
    ImGuiIO& io = ImGui::GetIO();
    mInput->setUiCapture(io.WantCaptureMouse, io.WantCaptureKeyboard);
    bool idle = mOptions.frames <= 0 && !mJob.busy() && !mScript && mWindow->minimised();
    mWindow->pollEvents(idle);
    if (mWindow->closeRequested()) requestClose();
    mJob.poll();
    if (mExitCode != 0) break;

    // The script advances one line per frame once the document is open and no work runs.
    if (mScript && mSession && !mJob.busy()) {
      ScriptTarget target;
      target.input = mInput.get();
      target.layout = &mViews.layout();
      target.state = &mState;
      target.window = mWindow.get();
      target.applyOperation = [this](const nlohmann::json& op) { return mEdits->apply(op); };
      target.save = [this](const std::string& path) { mEdits->save(path); };
      target.screenshot = [this](const std::string& path) {
        mScreenshotRequested = true;
        mScreenshotTarget = path;
      };
      mInput->setUiCapture(false, false);
      if (auto r = mScript->step(target); !r) {
        std::cerr << "delineo: error: " << r.message() << "\n";
        mExitCode = 1;
        break;
      }
      if (mScript->done()) mScript.reset();
    }
    for (const InputAction& a : mInput->take()) handle(a);

    auto start = Clock::now();
    const std::uint64_t uploadedBefore = mUploadedBytes;
    auto drawn = frame();
    if (!drawn) {
      std::cerr << "delineo: error: " << drawn.message() << "\n";
      return 1;
    }
    if (!*drawn) {
      // Minimised or the swapchain was rebuilt: nothing to draw this time round.
      if (mWindow->minimised()) std::this_thread::sleep_for(std::chrono::milliseconds(10));
      continue;
    }
    mLastFrameMs = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    if (mSession && mFrameTimesMs.size() < 100000) {
      mFrameTimesMs.push_back(mLastFrameMs);
      mFrameUploads.push_back(mUploadedBytes - uploadedBefore);
    }
    if (mSession && !mScript && !mJob.busy()) ++mFramesRendered;
    if (mOptions.frames > 0 && mFramesRendered >= mOptions.frames && !mScreenshotRequested) break;
  }
  mJob.finish();
  return mExitCode;
}

core::Result<bool> DesktopApp::frame() {
  mSwapchain->resize(mWindow->framebufferSize());
  auto state = mSwapchain->acquire();
  if (!state) return state.error();
  if (*state == renderer::FrameState::Skip) return false;
  VkExtent2D window = mSwapchain->windowExtent();
  // Layout in framebuffer pixels; GLFW cursor positions are in the same units on X11.
  LayoutMargins margins;
  margins.top = static_cast<int>(std::ceil(ImGui::GetFrameHeight()));
  mViews.layout().update(mState.layout, int(window.width), int(window.height), margins);
  uploadEdits();
  updateHover();

  std::vector<renderer::SwapchainTarget::Blit> blits;
  if (mSession) {
    renderer::FrameParams params;
    params.views = mViews.frameViews(mSession->volume().geometry(), mState);
    params.volume = mState.display;
    params.slice = mState.slice;
    params.labels = &mSession->labelmap().labels();
    params.frameIndex = static_cast<uint32_t>(mFramesRendered);
    params.overlays = mViews.overlays(mState, mOverlay);
    auto& layout = mViews.layout();
    if (auto r = mSwapchain->setViewExtent({uint32_t(layout.viewWidth()), uint32_t(layout.viewHeight())},
                                           uint32_t(params.views.size()));
        !r)
      return r.error();
    if (auto r = mRenderer->render(params, *mSwapchain); !r) return r.error();
    for (ViewId id : layout.visible()) {
      auto rect = *layout.rect(id);
      blits.push_back({uint32_t(layout.layerOf(id)),
                       VkRect2D{{rect.x, rect.y}, {uint32_t(rect.width), uint32_t(rect.height)}}});
    }
  }

  mUi->beginFrame(*mSwapchain);
  drawUi();
  mUi->endFrame();
  const bool last = mOptions.frames > 0 && mFramesRendered + 1 >= mOptions.frames && !mOptions.screenshot.empty() &&
                    mSession && !mScript && !mJob.busy();
  renderer::RgbaImage capture;
  bool wantCapture = mScreenshotRequested || last;
  auto presented = mSwapchain->present(blits, [this](VkCommandBuffer cb) { mUi->draw(cb); },
                                       wantCapture ? &capture : nullptr);
  if (!presented) return presented.error();
  if (wantCapture && capture.width > 0) {
    std::string path = mScreenshotRequested ? (mScreenshotTarget.empty() ? screenshotPath() : mScreenshotTarget)
                                            : mOptions.screenshot;
    if (auto r = renderer::writePng(capture, path); !r) mNotices.push_back(r.message());
    else if (mEdits) mEdits->setMessage("Screenshot saved: " + path);
    if (last && mScreenshotRequested && !mOptions.screenshot.empty())
      if (auto r = renderer::writePng(capture, mOptions.screenshot); !r) mNotices.push_back(r.message());
    mScreenshotRequested = false;
    mScreenshotTarget.clear();
  }
  return true;
}

}  // namespace delineo::app
