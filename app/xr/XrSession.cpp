#include "app/xr/XrSession.h"

#include <chrono>
#include <cmath>
#include <cstring>
#include <thread>

#include "app/xr/XrBindings.h"
#include "app/xr/XrMirror.h"

namespace delineo::app::xr {

namespace {

constexpr int kActionCount = static_cast<int>(XrActionId::Haptic) + 1;

SessionPhase phaseOf(XrSessionState s) {
  switch (s) {
    case XR_SESSION_STATE_IDLE: return SessionPhase::Idle;
    case XR_SESSION_STATE_READY: return SessionPhase::Ready;
    case XR_SESSION_STATE_SYNCHRONIZED: return SessionPhase::Synchronized;
    case XR_SESSION_STATE_VISIBLE: return SessionPhase::Visible;
    case XR_SESSION_STATE_FOCUSED: return SessionPhase::Focused;
    case XR_SESSION_STATE_STOPPING: return SessionPhase::Stopping;
    case XR_SESSION_STATE_LOSS_PENDING: return SessionPhase::LossPending;
    case XR_SESSION_STATE_EXITING: return SessionPhase::Exiting;
    default: return SessionPhase::Unknown;
  }
}

Pose poseOf(const XrPosef& p) {
  return {{p.position.x, p.position.y, p.position.z},
          Quat{p.orientation.x, p.orientation.y, p.orientation.z, p.orientation.w}.normalized()};
}

XrActionType typeOf(XrActionId id) {
  switch (id) {
    case XrActionId::GripPose:
    case XrActionId::AimPose: return XR_ACTION_TYPE_POSE_INPUT;
    case XrActionId::Squeeze:
    case XrActionId::Trigger: return XR_ACTION_TYPE_FLOAT_INPUT;
    case XrActionId::Thumbstick: return XR_ACTION_TYPE_VECTOR2F_INPUT;
    case XrActionId::Haptic: return XR_ACTION_TYPE_VIBRATION_OUTPUT;
    default: return XR_ACTION_TYPE_BOOLEAN_INPUT;
  }
}

}  // namespace

core::Result<std::unique_ptr<XrHeadset>> XrHeadset::create(XrRuntime& runtime, VkInstance vkInstance,
                                                         renderer::Device& device) {
  std::unique_ptr<XrHeadset> h(new XrHeadset(runtime, vkInstance, device));
  if (auto r = h->init(); !r) return r.error();
  return h;
}

XrHeadset::~XrHeadset() {
  // The swapchain's images go with the swapchain: the GPU must be done with them first.
  (void)mDevice.waitIdle();
  mTarget.reset();
}

core::Result<void> XrHeadset::init() {
  XrInstance instance = mRuntime.instance();
  // VkInstance is the one the device was created from (through the runtime).
  XrGraphicsBindingVulkan2KHR binding{XR_TYPE_GRAPHICS_BINDING_VULKAN2_KHR};
  binding.instance = mVkInstance;
  binding.physicalDevice = mDevice.physical();
  binding.device = mDevice.handle();
  binding.queueFamilyIndex = mDevice.queueFamily();
  binding.queueIndex = 0;
  XrSessionCreateInfo info{XR_TYPE_SESSION_CREATE_INFO};
  info.next = &binding;
  info.systemId = mRuntime.system();
  XrSession session = XR_NULL_HANDLE;
  XR_TRY(xrCreateSession(instance, &info, &session));
  mSession = UniqueXrSession(session);

  uint32_t count = 0;
  XR_TRY(xrEnumerateReferenceSpaces(session, 0, &count, nullptr));
  std::vector<XrReferenceSpaceType> spaces(count);
  XR_TRY(xrEnumerateReferenceSpaces(session, count, &count, spaces.data()));
  for (auto s : spaces) mStage |= s == XR_REFERENCE_SPACE_TYPE_STAGE;
  XrReferenceSpaceCreateInfo space{XR_TYPE_REFERENCE_SPACE_CREATE_INFO};
  space.poseInReferenceSpace.orientation.w = 1;
  space.referenceSpaceType = mStage ? XR_REFERENCE_SPACE_TYPE_STAGE : XR_REFERENCE_SPACE_TYPE_LOCAL;
  XrSpace s = XR_NULL_HANDLE;
  XR_TRY(xrCreateReferenceSpace(session, &space, &s));
  mSpace = UniqueXrSpace(s);
  space.referenceSpaceType = XR_REFERENCE_SPACE_TYPE_VIEW;
  XR_TRY(xrCreateReferenceSpace(session, &space, &s));
  mViewSpace = UniqueXrSpace(s);

  XrViewConfigurationView views[2]{{XR_TYPE_VIEW_CONFIGURATION_VIEW}, {XR_TYPE_VIEW_CONFIGURATION_VIEW}};
  XR_TRY(xrEnumerateViewConfigurationViews(instance, mRuntime.system(), XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO, 2,
                                           &count, views));
  mEyeSize = {views[0].recommendedImageRectWidth, views[0].recommendedImageRectHeight};

  XR_TRY(xrEnumerateSwapchainFormats(session, 0, &count, nullptr));
  std::vector<int64_t> formats(count);
  XR_TRY(xrEnumerateSwapchainFormats(session, count, &count, formats.data()));
  VkFormat chosen = VK_FORMAT_UNDEFINED;
  for (VkFormat want : {VK_FORMAT_R8G8B8A8_SRGB, VK_FORMAT_R8G8B8A8_UNORM, VK_FORMAT_B8G8R8A8_UNORM, VK_FORMAT_B8G8R8A8_SRGB})
    for (int64_t f : formats)
      if (chosen == VK_FORMAT_UNDEFINED && f == want) chosen = want;
  if (chosen == VK_FORMAT_UNDEFINED) return core::makeError("the OpenXR runtime offers no 8-bit RGBA swapchain format");
  XrSwapchainCreateInfo sc{XR_TYPE_SWAPCHAIN_CREATE_INFO};
  sc.usageFlags = XR_SWAPCHAIN_USAGE_TRANSFER_DST_BIT | XR_SWAPCHAIN_USAGE_COLOR_ATTACHMENT_BIT;
  sc.format = chosen;
  sc.sampleCount = 1;
  sc.width = mEyeSize.width;
  sc.height = mEyeSize.height;
  sc.faceCount = 1;
  sc.arraySize = 2;  // both eyes in one array image: one raymarch dispatch writes both
  sc.mipCount = 1;
  XrSwapchain swapchain = XR_NULL_HANDLE;
  XR_TRY(xrCreateSwapchain(session, &sc, &swapchain));
  mSwapchain = UniqueXrSwapchain(swapchain);
  XR_TRY(xrEnumerateSwapchainImages(swapchain, 0, &count, nullptr));
  std::vector<XrSwapchainImageVulkan2KHR> images(count, {XR_TYPE_SWAPCHAIN_IMAGE_VULKAN2_KHR});
  XR_TRY(xrEnumerateSwapchainImages(swapchain, count, &count, reinterpret_cast<XrSwapchainImageBaseHeader*>(images.data())));
  std::vector<VkImage> vkImages;
  for (const auto& i : images) vkImages.push_back(i.image);
  auto target = renderer::XrSwapchainTarget::create(mDevice, vkImages, chosen, mEyeSize, 2);
  if (!target) return target.error();
  mTarget = std::move(target).value();
  return createActions();
}

core::Result<void> XrHeadset::createActions() {
  XrInstance instance = mRuntime.instance();
  XrActionSetCreateInfo set{XR_TYPE_ACTION_SET_CREATE_INFO};
  std::strcpy(set.actionSetName, "delineo");
  std::strcpy(set.localizedActionSetName, "Delineo");
  XrActionSet actionSet = XR_NULL_HANDLE;
  XR_TRY(xrCreateActionSet(instance, &set, &actionSet));
  mActionSet = UniqueXrActionSet(actionSet);
  XR_TRY(xrStringToPath(instance, "/user/hand/left", &mHandPaths[0]));
  XR_TRY(xrStringToPath(instance, "/user/hand/right", &mHandPaths[1]));
  for (int a = 0; a < kActionCount; ++a) {
    XrActionCreateInfo ai{XR_TYPE_ACTION_CREATE_INFO};
    std::strcpy(ai.actionName, xrActionName(static_cast<XrActionId>(a)));
    std::strcpy(ai.localizedActionName, xrActionName(static_cast<XrActionId>(a)));
    ai.actionType = typeOf(static_cast<XrActionId>(a));
    ai.countSubactionPaths = 2;
    ai.subactionPaths = mHandPaths.data();
    XrAction action = XR_NULL_HANDLE;
    XR_TRY(xrCreateAction(actionSet, &ai, &action));
    mActions.emplace_back(action);
  }
  // A runtime rejects profiles it does not know: suggest each separately and keep going.
  int accepted = 0;
  for (const XrProfileBindings& p : suggestedBindings()) {
    XrPath profile = XR_NULL_PATH;
    if (XR_FAILED(xrStringToPath(instance, p.profile.c_str(), &profile))) continue;
    std::vector<XrActionSuggestedBinding> bindings;
    for (const XrBinding& b : p.bindings) {
      XrPath path = XR_NULL_PATH;
      XR_TRY(xrStringToPath(instance, b.path.c_str(), &path));
      bindings.push_back({mActions[static_cast<int>(b.action)].get(), path});
    }
    XrInteractionProfileSuggestedBinding suggested{XR_TYPE_INTERACTION_PROFILE_SUGGESTED_BINDING};
    suggested.interactionProfile = profile;
    suggested.countSuggestedBindings = static_cast<uint32_t>(bindings.size());
    suggested.suggestedBindings = bindings.data();
    if (XR_SUCCEEDED(xrSuggestInteractionProfileBindings(instance, &suggested))) ++accepted;
  }
  if (accepted == 0) return core::makeError("the OpenXR runtime accepted none of the controller bindings");
  for (int h = 0; h < 2; ++h) {
    XrActionSpaceCreateInfo si{XR_TYPE_ACTION_SPACE_CREATE_INFO};
    si.subactionPath = mHandPaths[h];
    si.poseInActionSpace.orientation.w = 1;
    XrSpace space = XR_NULL_HANDLE;
    si.action = mActions[static_cast<int>(XrActionId::GripPose)].get();
    XR_TRY(xrCreateActionSpace(mSession.get(), &si, &space));
    mGripSpaces[h] = UniqueXrSpace(space);
    si.action = mActions[static_cast<int>(XrActionId::AimPose)].get();
    XR_TRY(xrCreateActionSpace(mSession.get(), &si, &space));
    mAimSpaces[h] = UniqueXrSpace(space);
  }
  XrSessionActionSetsAttachInfo attach{XR_TYPE_SESSION_ACTION_SETS_ATTACH_INFO};
  attach.countActionSets = 1;
  attach.actionSets = &actionSet;
  XR_TRY(xrAttachSessionActionSets(mSession.get(), &attach));
  return {};
}

core::Result<void> XrHeadset::pollEvents() {
  XrEventDataBuffer event{XR_TYPE_EVENT_DATA_BUFFER};
  while (xrPollEvent(mRuntime.instance(), &event) == XR_SUCCESS) {
    if (event.type == XR_TYPE_EVENT_DATA_INSTANCE_LOSS_PENDING) {
      mState.onInstanceLost();
    } else if (event.type == XR_TYPE_EVENT_DATA_SESSION_STATE_CHANGED) {
      auto* changed = reinterpret_cast<XrEventDataSessionStateChanged*>(&event);
      switch (mState.onState(phaseOf(changed->state))) {
        case SessionAction::Begin: {
          XrSessionBeginInfo begin{XR_TYPE_SESSION_BEGIN_INFO};
          begin.primaryViewConfigurationType = XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO;
          XR_TRY(xrBeginSession(mSession.get(), &begin));
          break;
        }
        case SessionAction::End: XR_TRY(xrEndSession(mSession.get())); break;
        case SessionAction::Exit:
        case SessionAction::None: break;
      }
    }
    event = {XR_TYPE_EVENT_DATA_BUFFER};
  }
  return {};
}

core::Result<void> XrHeadset::pollActions(XrTime time, FrameInput& input) {
  XrActiveActionSet active{mActionSet.get(), XR_NULL_PATH};
  XrActionsSyncInfo sync{XR_TYPE_ACTIONS_SYNC_INFO};
  sync.countActiveActionSets = 1;
  sync.activeActionSets = &active;
  XrResult r = xrSyncActions(mSession.get(), &sync);
  if (r == XR_SESSION_NOT_FOCUSED) return {};  // a state: no input while unfocused
  XR_TRY(r);
  auto action = [&](XrActionId id) { return mActions[static_cast<int>(id)].get(); };
  for (int h = 0; h < 2; ++h) {
    HandInput& hand = input.hands[h];
    XrActionStateGetInfo get{XR_TYPE_ACTION_STATE_GET_INFO};
    get.subactionPath = mHandPaths[h];
    auto floatOf = [&](XrActionId id) {
      get.action = action(id);
      XrActionStateFloat s{XR_TYPE_ACTION_STATE_FLOAT};
      return XR_SUCCEEDED(xrGetActionStateFloat(mSession.get(), &get, &s)) && s.isActive ? double(s.currentState) : 0.0;
    };
    auto boolOf = [&](XrActionId id) {
      get.action = action(id);
      XrActionStateBoolean s{XR_TYPE_ACTION_STATE_BOOLEAN};
      return XR_SUCCEEDED(xrGetActionStateBoolean(mSession.get(), &get, &s)) && s.isActive && s.currentState;
    };
    hand.squeeze = floatOf(XrActionId::Squeeze);
    hand.trigger = floatOf(XrActionId::Trigger);
    hand.primary = boolOf(XrActionId::Primary);
    hand.secondary = boolOf(XrActionId::Secondary);
    hand.menu = boolOf(XrActionId::Menu);
    get.action = action(XrActionId::Thumbstick);
    XrActionStateVector2f stick{XR_TYPE_ACTION_STATE_VECTOR2F};
    if (XR_SUCCEEDED(xrGetActionStateVector2f(mSession.get(), &get, &stick)) && stick.isActive)
      hand.thumbX = stick.currentState.x, hand.thumbY = stick.currentState.y;
    XrSpaceLocation grip{XR_TYPE_SPACE_LOCATION}, aim{XR_TYPE_SPACE_LOCATION};
    XR_TRY(xrLocateSpace(mGripSpaces[h].get(), mSpace.get(), time, &grip));
    XR_TRY(xrLocateSpace(mAimSpaces[h].get(), mSpace.get(), time, &aim));
    const XrSpaceLocationFlags valid = XR_SPACE_LOCATION_POSITION_VALID_BIT | XR_SPACE_LOCATION_ORIENTATION_VALID_BIT;
    hand.tracked = (grip.locationFlags & valid) == valid && (aim.locationFlags & valid) == valid;
    if (hand.tracked) {
      hand.grip = poseOf(grip.pose);
      hand.aim = poseOf(aim.pose);
    }
  }
  return {};
}

core::Result<void> XrHeadset::renderFrame(XrScene& scene, FrameInput& input, double& lastWorkMs) {
  using Clock = std::chrono::steady_clock;
  auto msBetween = [](Clock::time_point from, Clock::time_point to) {
    return std::chrono::duration<double, std::milli>(to - from).count();
  };
  XrFrameState frame{XR_TYPE_FRAME_STATE};
  XR_TRY(xrWaitFrame(mSession.get(), nullptr, &frame));
  const Clock::time_point woke = Clock::now();
  if (mLastWaitFrame != Clock::time_point{}) mTiming.intervalMs.add(msBetween(mLastWaitFrame, woke));
  mLastWaitFrame = woke;
  const double periodMs = static_cast<double>(frame.predictedDisplayPeriod) * 1e-6;
  if (periodMs > 0) {
    mTiming.periodMs.add(periodMs);
    scene.setDisplayPeriodMs(periodMs);
  }
  XR_TRY(xrBeginFrame(mSession.get(), nullptr));
  const Clock::time_point workStart = Clock::now();
  if (auto r = pollActions(frame.predictedDisplayTime, input); !r) return r;

  XrCompositionLayerProjectionView projection[2]{{XR_TYPE_COMPOSITION_LAYER_PROJECTION_VIEW},
                                                 {XR_TYPE_COMPOSITION_LAYER_PROJECTION_VIEW}};
  XrCompositionLayerProjection layer{XR_TYPE_COMPOSITION_LAYER_PROJECTION};
  const XrCompositionLayerBaseHeader* layers[] = {reinterpret_cast<XrCompositionLayerBaseHeader*>(&layer)};
  uint32_t layerCount = 0;
  if (frame.shouldRender && mState.visible()) {
    XrViewLocateInfo locate{XR_TYPE_VIEW_LOCATE_INFO};
    locate.viewConfigurationType = XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO;
    locate.displayTime = frame.predictedDisplayTime;
    locate.space = mSpace.get();
    XrViewState viewState{XR_TYPE_VIEW_STATE};
    XrView views[2]{{XR_TYPE_VIEW}, {XR_TYPE_VIEW}};
    uint32_t count = 0;
    XR_TRY(xrLocateViews(mSession.get(), &locate, &viewState, 2, &count, views));
    XrSpaceLocation head{XR_TYPE_SPACE_LOCATION};
    XR_TRY(xrLocateSpace(mViewSpace.get(), mSpace.get(), frame.predictedDisplayTime, &head));
    input.head = poseOf(head.pose);
    input.timeS = static_cast<double>(frame.predictedDisplayTime) * 1e-9;
    const bool tracked = (viewState.viewStateFlags & XR_VIEW_STATE_ORIENTATION_VALID_BIT) != 0;
    if (tracked && count == 2) {
      scene.update(input, lastWorkMs);
      double scale = scene.quality().resolutionScale();
      VkExtent2D extent{static_cast<uint32_t>(std::lround(mEyeSize.width * scale)),
                        static_cast<uint32_t>(std::lround(mEyeSize.height * scale))};
      if (auto r = mTarget->setRenderExtent(extent); !r) return r;
      std::array<EyeView, 2> eyes;
      for (int e = 0; e < 2; ++e) {
        eyes[e].pose = poseOf(views[e].pose);
        eyes[e].tanLeft = std::tan(views[e].fov.angleLeft);
        eyes[e].tanRight = std::tan(views[e].fov.angleRight);
        eyes[e].tanUp = std::tan(views[e].fov.angleUp);
        eyes[e].tanDown = std::tan(views[e].fov.angleDown);
      }
      // The eyes go into the target's own images; the swapchain image is needed only for the
      // copy, so the runtime holding on to it delays the copy, not the raymarch.
      auto rendered = scene.render(eyes, *mTarget);
      if (!rendered) return rendered.error();
      const Clock::time_point acquireStart = Clock::now();
      uint32_t index = 0;
      XR_TRY(xrAcquireSwapchainImage(mSwapchain.get(), nullptr, &index));
      XrSwapchainImageWaitInfo wait{XR_TYPE_SWAPCHAIN_IMAGE_WAIT_INFO};
      wait.timeout = XR_INFINITE_DURATION;
      XR_TRY(xrWaitSwapchainImage(mSwapchain.get(), &wait));
      const double swapchainWaitMs = msBetween(acquireStart, Clock::now());
      // Waiting for the GPU here ends the frame's work where it can be measured: adaptive
      // quality then sees Delineo's time, not the runtime's pacing. It gives up overlapping
      // this frame's GPU work with the next frame's input and update, small next to the raymarch.
      auto copied = mTarget->copyTo(index);
      core::Result<void> done = copied ? mDevice.wait(*copied) : core::Result<void>(copied.error());
      const double workMs = msBetween(workStart, Clock::now()) - swapchainWaitMs;
      XR_TRY(xrReleaseSwapchainImage(mSwapchain.get(), nullptr));
      if (!done) return done.error();
      // The first frame builds pipelines: a one-off that must neither lower quality nor count.
      if (mRendered > 0) {
        lastWorkMs = workMs;
        mTiming.workMs.add(workMs);
      }
      VkExtent2D drawn = mTarget->extent();
      for (uint32_t e = 0; e < 2; ++e) {
        projection[e].pose = views[e].pose;
        projection[e].fov = views[e].fov;
        projection[e].subImage.swapchain = mSwapchain.get();
        projection[e].subImage.imageRect = {{0, 0}, {int32_t(drawn.width), int32_t(drawn.height)}};
        projection[e].subImage.imageArrayIndex = e;
      }
      layer.space = mSpace.get();
      layer.viewCount = 2;
      layer.views = projection;
      layerCount = 1;
      ++mRendered;
    }
  }
  XrFrameEndInfo end{XR_TYPE_FRAME_END_INFO};
  end.displayTime = frame.predictedDisplayTime;
  end.environmentBlendMode = XR_ENVIRONMENT_BLEND_MODE_OPAQUE;
  end.layerCount = layerCount;
  end.layers = layerCount ? layers : nullptr;
  XR_TRY(xrEndFrame(mSession.get(), &end));
  // The audience's view, after the frame is the runtime's: it never delays the headset's frame.
  if (mMirror && layerCount) {
    auto shown = mMirror->show(*mTarget);
    if (!shown) mMirrorMessage = "the mirror window stopped: " + shown.message();
    if (!shown || !*shown) mMirror = nullptr;
  }
  return {};
}

core::Result<renderer::RgbaImage> XrHeadset::readLeftEye() const {
  if (mRendered == 0) return core::makeError("no frame was rendered (the headset session never became visible)");
  return mTarget->readColor(0);
}

core::Result<void> XrHeadset::run(XrScene& scene, int frames, const std::function<bool()>& stop) {
  FrameInput input;
  double lastWorkMs = 0;
  while (true) {
    if (auto r = pollEvents(); !r) return r;
    if (mState.exit()) break;
    if (stop && stop() && !mState.exitRequested()) {
      mState.requestExit();
      if (mState.running()) XR_TRY(xrRequestExitSession(mSession.get()));
      else break;
    }
    if (frames > 0 && mRendered >= frames && !mState.exitRequested()) {
      mState.requestExit();
      XR_TRY(xrRequestExitSession(mSession.get()));
    }
    if (!mState.running()) {
      // Idle or stopping: nothing to render; do not spin.
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      continue;
    }
    if (auto r = renderFrame(scene, input, lastWorkMs); !r) return r;
  }
  scene.finish();
  if (mState.lost())
    return core::makeError("the headset session was lost (" + std::string(sessionPhaseName(mState.phase())) +
                           "); your edits are saved in the journal");
  return {};
}

}  // namespace delineo::app::xr
