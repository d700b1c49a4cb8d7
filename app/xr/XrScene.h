#pragma once
// XrScene: the immersive scene, independent of where poses come from and where pixels go:
// the open Session's volume floating in the world, the manipulator, the tools (interaction ->
// editor -> Session), the panel, and the overlays. update() takes one frame of input;
// render() draws any number of eyes (2 for a headset or the simulator) in one raymarch
// dispatch into a layered RenderTarget with the overlays (FrameParams::overlays), then the
// panel. OpenXR and the simulator both drive
// exactly this. Valid while the Session, Device and VolumeRenderer it was given live.

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "app/Session.h"
#include "app/xr/AdaptiveQuality.h"
#include "app/xr/VolumeManipulator.h"
#include "app/xr/XrEditor.h"
#include "app/xr/XrInteraction.h"
#include "app/xr/XrPanel.h"
#include "app/xr/XrPanelPass.h"
#include "core/Result.h"
#include "renderer/FrameParams.h"

namespace delineo::renderer {
class Device;
class RenderTarget;
class VolumeRenderer;
}  // namespace delineo::renderer

namespace delineo::app::xr {

// One eye: where it is and its (asymmetric) field of view, as OpenXR's XrView.
struct EyeView {
  Pose pose;                                   // tracking space
  double tanLeft = -1, tanRight = 1, tanUp = 1, tanDown = -1;  // XrFovf as tangents
};

struct XrSceneOptions {
  std::string preset;               // transfer function; empty: by modality (ct-bone, mr-default)
  AdaptiveOptions adaptive;         // frame-rate keeping
  InteractionOptions interaction;   // trigger thresholds, tip offset, thumbstick rates
  std::array<float, 3> background{0.08f, 0.08f, 0.1f};  // behind the volume
};

class XrScene {
 public:
  static core::Result<std::unique_ptr<XrScene>> create(Session& session, renderer::Device& device,
                                                       renderer::VolumeRenderer& renderer,
                                                       const XrSceneOptions& options = {});
  ~XrScene();

  // One frame of input: manipulation, tools and panel; edits are committed to the Session and
  // their bricks uploaded. The first call places the volume in front of the head.
  // `lastFrameMs`: Delineo's own work on the previous frame, which adaptive quality holds
  // within the frame budget.
  void update(const FrameInput& input, double lastFrameMs);
  // The frame time adaptive quality holds: a headset's display period (XrFrameState's
  // predictedDisplayPeriod; see AdaptiveQuality::setDisplayPeriodMs).
  void setDisplayPeriodMs(double periodMs) { mQuality.setDisplayPeriodMs(periodMs); }
  // The eyes' views (patient-space cameras) for `eyes` at this scene's placement.
  std::vector<renderer::View> views(std::span<const EyeView> eyes) const;
  // Raymarches every eye (one layer each) and draws the overlays; returns the timeline value.
  core::Result<uint64_t> render(std::span<const EyeView> eyes, renderer::RenderTarget& target);
  // Ends an open stroke (committed) and drops a preview: before the session closes.
  void finish() { mEditor.finish(); }

  const VolumePlacement& placement() const { return mManipulator.placement(); }
  XrInteraction& interaction() { return mInteraction; }
  const XrEditor& editor() const { return mEditor; }
  const AdaptiveQuality& quality() const { return mQuality; }
  const PanelQuad& panelQuad() const { return mPanelQuad; }
  renderer::VolumeDisplay& display() { return mDisplay; }
  const std::string& message() const { return mEditor.message(); }
  // What render() draws over the volume: cursor, controllers, rays, planes, the contour.
  renderer::Overlays overlays() const;

 private:
  XrScene(Session& session, renderer::Device& device, renderer::VolumeRenderer& renderer, XrPanelPass panelPass,
          const XrSceneOptions& options);
  void applyPanel(const std::vector<PanelAction>& actions);
  PanelRect panelRect() const;
  PanelModel panelModel() const;

  Session& mSession;
  renderer::VolumeRenderer& mRenderer;
  XrPanelPass mPanelPass;
  XrSceneOptions mOptions;
  VolumeManipulator mManipulator;
  XrInteraction mInteraction;
  XrEditor mEditor;
  XrPanel mPanel;
  PanelQuad mPanelQuad;
  AdaptiveQuality mQuality;
  renderer::VolumeDisplay mDisplay;
  core::LabelTable mShownLabels;     // the session's table with the panel's visibility toggles
  std::vector<std::uint8_t> mHidden; // label ids hidden from the panel
  std::array<HandInput, 2> mHands;   // last input (for drawing the controllers)
  bool mPlaced = false;
  double mLastTimeS = -1;
  double mPanelU = -1, mPanelV = -1;
  bool mPanelPressed = false;
  Pose mLastHead;
  std::uint32_t mFrame = 0;
  std::string mPanelError;           // why the panel texture could not be uploaded
};

}  // namespace delineo::app::xr
