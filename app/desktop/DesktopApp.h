#pragma once
// DesktopApp: the desktop viewer: a window with the 3D view beside the axial, sagittal and
// coronal slices, panels, and the tools acting on the open Session. Owns the Vulkan objects,
// the UI, the document and the worker thread; the frame loop is
// poll events → finished work → script → input → render → UI → present.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/Campaign.h"
#include "app/Session.h"
#include "app/desktop/BackgroundJob.h"
#include "app/desktop/EditController.h"
#include "app/desktop/InputMapper.h"
#include "app/desktop/ViewerScript.h"
#include "app/desktop/ViewerState.h"
#include "app/desktop/Views.h"
#include "app/desktop/Window.h"
#include "core/Result.h"
#include "renderer/RgbaImage.h"

namespace delineo::renderer {
class Device;
class Instance;
class SwapchainTarget;
class VolumeRenderer;
}  // namespace delineo::renderer
namespace delineo::ui {
class CampaignPanel;
class DataPanel;
class ImGuiLayer;
struct PanelContext;
struct PanelState;
}  // namespace delineo::ui

namespace delineo::app {

class PacsBrowser;

struct DesktopOptions {
  std::string input;            // study to open; empty: the sample below
  std::string sample = "ct";    // bundled sample opened when there is no input
  std::string labels;           // labelmap to edit; empty: <stem>-labels.nii.gz (see defaultLabelmapPath)
  LayoutKind layout = LayoutKind::FourUp;  // views at start
  std::string preset;           // transfer function; empty: by modality
  std::string script;           // viewer script (ops and UI events, one JSON per line)
  int frames = 0;               // > 0: exit after this many frames once loaded and scripted
  std::string screenshot;       // with frames: PNG of the window written before exit
  int width = 1600;             // window size (screen coordinates)
  int height = 1000;
  bool validate = false;        // Vulkan validation layer; messages are counted
  int gpu = -1;                 // device index (see resolveGpuIndex)
  std::string annotator;        // recorded with every edit
  std::string campaign;         // campaign file: open the annotator's next case (input/labels unused)
  bool vsync = true;            // FIFO presentation
};

class DesktopApp {
 public:
  static core::Result<std::unique_ptr<DesktopApp>> create(const DesktopOptions& options);
  ~DesktopApp();

  // Runs until the window closes (or the frame count is reached); the process exit code.
  int run();
  int validationMessages() const;
  // Measurements for benchmarks: CPU wall time of each rendered frame (render + UI + present,
  // excluding the wait for events), and label bytes uploaded to the GPU so far.
  const std::vector<double>& frameTimesMs() const { return mFrameTimesMs; }
  // Label bytes uploaded in each of those frames (0: nothing changed).
  const std::vector<std::uint64_t>& frameUploads() const { return mFrameUploads; }
  std::uint64_t uploadedLabelBytes() const { return mUploadedBytes; }

 private:
  explicit DesktopApp(const DesktopOptions& options);
  core::Result<void> init();
  void openStudy(const std::string& path, const std::string& labelsPath);
  // Opens the annotator's next campaign case; false when none is left.
  bool openNextCase();
  void adoptSession(std::unique_ptr<Session> session, std::string title);
  void applyPreset(const std::string& name);
  void handle(const InputAction& action);
  void handlePrimary(const InputAction& action);
  void handleCommand(const InputAction& action);
  void updateHover();
  core::Result<bool> frame();
  void drawUi();
  void drawMenuBar();
  void drawModals();
  void uploadEdits();
  void requestClose();
  void updateTitle();
  std::string screenshotPath() const;

  DesktopOptions mOptions;
  std::unique_ptr<Window> mWindow;
  std::unique_ptr<renderer::Instance> mInstance;
  std::unique_ptr<renderer::Device> mDevice;
  std::unique_ptr<renderer::SwapchainTarget> mSwapchain;
  std::unique_ptr<renderer::VolumeRenderer> mRenderer;
  std::unique_ptr<ui::ImGuiLayer> mUi;
  std::unique_ptr<ui::DataPanel> mDataPanel;
  std::unique_ptr<ui::PanelState> mPanels;  // what the panels remember between frames
  std::optional<Campaign> mCampaign;       // set with --campaign
  std::string mCampaignCase;               // id of the open case
  std::unique_ptr<ui::CampaignPanel> mCampaignPanel;
  std::unique_ptr<PacsBrowser> mPacs;      // the PACS panel's connection, results and work
  std::optional<core::LabelTable> mNewLabelTable;  // labels of a labelmap the next open creates
  Views mViews;
  std::unique_ptr<InputMapper> mInput;
  ViewerState mState;
  BackgroundJob mJob;
  std::unique_ptr<Session> mSession;       // null until a study is open
  std::unique_ptr<EditController> mEdits;  // on mSession
  std::unique_ptr<ViewerScript> mScript;
  std::string mTitle;                      // file stem only: never patient identity
  std::vector<std::string> mRecent;
  std::vector<float> mHistogram;           // of the volume, for the transfer-function editor
  std::vector<std::string> mNotices;       // shown once in a popup (recovery, warnings)
  std::string mStatusHover;                // status bar text for the pointer
  OverlayInput mOverlay;
  std::vector<core::Vec3> mContour;        // contour points being placed
  std::optional<ViewId> mContourView;
  std::vector<std::pair<double, double>> mOutline;  // scissors outline (3D view pixels)
  bool mPrimaryNavigates = false;          // the current left drag orbits / moves the crosshair
  bool mScreenshotRequested = false;
  std::string mScreenshotTarget;
  bool mConfirmClose = false;
  bool mClosing = false;
  int mFramesRendered = 0;
  int mExitCode = 0;
  std::uint64_t mUploadedBytes = 0;        // label bytes sent to the GPU (benchmark, status)
  double mLastFrameMs = 0;
  std::vector<double> mFrameTimesMs;
  std::vector<std::uint64_t> mFrameUploads;
};

}  // namespace delineo::app
