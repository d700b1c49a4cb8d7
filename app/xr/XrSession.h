#pragma once
// XrHeadset: a running OpenXR session on the renderer's device: the reference space (stage,
// else local), the view space, the action set with suggested bindings for every supported
// controller, one stereo swapchain (an array image, one layer per eye) behind an
// XrSwapchainTarget, and the frame loop in hello_xr's shape:
// PollEvents -> if running { PollActions; RenderFrame }. Drives an XrScene; with a mirror, each
// frame's left eye is shown on the desktop after the frame was handed to the runtime.
// Adaptive quality holds the runtime's display period, measured against Delineo's own work
// on a frame (from xrBeginFrame to the GPU finishing the render and the copy into the
// swapchain), never the time the runtime keeps it waiting.

#include <array>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "app/xr/FrameTimes.h"
#include "app/xr/XrInput.h"
#include "app/xr/XrRuntime.h"
#include "app/xr/XrScene.h"
#include "app/xr/XrSessionState.h"
#include "core/Result.h"
#include "renderer/RgbaImage.h"
#include "renderer/XrSwapchainTarget.h"

namespace delineo::app::xr {

class XrMirror;

// What `--timing` reports for a headset run. The first rendered frame (pipelines are built)
// is left out of workMs.
struct HeadsetTiming {
  FrameTimes workMs;      // Delineo's own work per rendered frame (CPU and GPU, not the runtime's waits)
  FrameTimes periodMs;    // the runtime's predicted display period, every frame
  FrameTimes intervalMs;  // between successive xrWaitFrame returns: the pace the runtime kept
};

class XrHeadset {
 public:
  // `vkInstance`: the instance `device` was created from (through the runtime).
  static core::Result<std::unique_ptr<XrHeadset>> create(XrRuntime& runtime, VkInstance vkInstance,
                                                       renderer::Device& device);
  ~XrHeadset();

  // Runs until the runtime ends the session, `stop()` returns true or `frames` (> 0) frames
  // were rendered. A lost session returns an error naming it; edits are already journaled.
  core::Result<void> run(XrScene& scene, int frames, const std::function<bool()>& stop);
  // Shows every rendered frame's eye in `mirror` (null: none) until its window is closed. A
  // mirror that fails is dropped (mirrorMessage() says why); the headset goes on.
  void setMirror(XrMirror* mirror) { mMirror = mirror; }
  const std::string& mirrorMessage() const { return mMirrorMessage; }
  const HeadsetTiming& timing() const { return mTiming; }
  int renderedFrames() const { return mRendered; }
  // The last rendered frame's left eye (at the adaptive render size); waits for the GPU. An
  // error when no frame was rendered (the session never became visible).
  core::Result<renderer::RgbaImage> readLeftEye() const;
  VkExtent2D recommendedEyeSize() const { return mEyeSize; }
  const char* spaceName() const { return mStage ? "stage" : "local"; }

 private:
  XrHeadset(XrRuntime& runtime, VkInstance vkInstance, renderer::Device& device)
      : mRuntime(runtime), mVkInstance(vkInstance), mDevice(device) {}
  core::Result<void> init();
  core::Result<void> createActions();
  core::Result<void> pollEvents();
  core::Result<void> pollActions(XrTime time, FrameInput& input);
  core::Result<void> renderFrame(XrScene& scene, FrameInput& input, double& lastWorkMs);

  XrRuntime& mRuntime;
  VkInstance mVkInstance;
  renderer::Device& mDevice;
  UniqueXrSession mSession;
  UniqueXrSpace mSpace;
  UniqueXrSpace mViewSpace;
  bool mStage = false;
  UniqueXrActionSet mActionSet;
  std::vector<UniqueXrAction> mActions;  // indexed by XrActionId
  std::array<XrPath, 2> mHandPaths{};
  std::array<UniqueXrSpace, 2> mGripSpaces, mAimSpaces;
  UniqueXrSwapchain mSwapchain;
  std::unique_ptr<renderer::XrSwapchainTarget> mTarget;
  VkExtent2D mEyeSize{};
  SessionStateMachine mState;
  int mRendered = 0;
  HeadsetTiming mTiming;
  std::chrono::steady_clock::time_point mLastWaitFrame{};  // when xrWaitFrame last returned
  XrMirror* mMirror = nullptr;
  std::string mMirrorMessage;
};

}  // namespace delineo::app::xr
