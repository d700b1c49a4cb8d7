#include "app/xr/XrScene.h"

#include <algorithm>
#include <cmath>

#include "renderer/RenderTarget.h"
#include "renderer/TransferFunction.h"
#include "renderer/VolumeRenderer.h"

namespace delineo::app::xr {

namespace {

constexpr double kPi = 3.14159265358979323846;

std::array<float, 4> rgbaOf(const std::array<std::uint8_t, 4>& c, float alpha) {
  return {c[0] / 255.f, c[1] / 255.f, c[2] / 255.f, alpha};
}

// The panel to the viewer's left, turned towards them, at a comfortable reading distance.
PanelQuad defaultPanel(const Pose& head) {
  Vec3 f = head.orientation.rotate({0, 0, -1});
  Quat yaw = Quat::axisAngle({0, 1, 0}, std::atan2(-f.x, -f.z));
  PanelQuad q;
  q.widthM = 0.4;
  q.heightM = 0.3;
  q.pose.position = head.position + yaw.rotate({-0.42, -0.12, -0.45});
  q.pose.orientation = (yaw * Quat::axisAngle({0, 1, 0}, 40 * kPi / 180)).normalized();
  return q;
}

constexpr double kContourPlaneHalfM = 0.08;  // the contour plane is drawn as a 16 cm square

// A controller: a hexagonal prism 6 cm long and 2.4 cm across along the aim ray, opaque.
renderer::OverlayMesh controllerMesh(const Pose& aim, const VolumePlacement& p) {
  constexpr int kSides = 6;
  constexpr double kRadiusM = 0.012, kHalfLengthM = 0.03;
  renderer::OverlayMesh m;
  for (int end = 0; end < 2; ++end)
    for (int i = 0; i < kSides; ++i) {
      double a = 2 * kPi * i / kSides;
      Vec3 local{kRadiusM * std::cos(a), kRadiusM * std::sin(a), end ? -kHalfLengthM : kHalfLengthM};
      m.verticesMm.push_back(p.patientFromWorld(aim.apply(local)));
    }
  for (uint32_t i = 0; i < kSides; ++i) {
    uint32_t j = (i + 1) % kSides;
    m.indices.insert(m.indices.end(), {i, j, kSides + j, i, kSides + j, kSides + i});  // side
  }
  for (uint32_t end = 0; end < 2; ++end)
    for (uint32_t i = 1; i + 1 < kSides; ++i)  // caps, fanned from their first vertex
      m.indices.insert(m.indices.end(), {end * kSides, end * kSides + i, end * kSides + i + 1});
  m.color = {0.55f, 0.57f, 0.6f, 1};
  return m;
}

}  // namespace

core::Result<std::unique_ptr<XrScene>> XrScene::create(Session& session, renderer::Device& device,
                                                       renderer::VolumeRenderer& renderer,
                                                       const XrSceneOptions& options) {
  auto panelPass = XrPanelPass::create(device);
  if (!panelPass) return panelPass.error();
  std::unique_ptr<XrScene> scene(new XrScene(session, device, renderer, std::move(panelPass).value(), options));
  const core::Volume& volume = session.volume();
  std::string preset = options.preset.empty() ? (volume.modality == "CT" ? "ct-bone" : "mr-default") : options.preset;
  auto tf = renderer::loadPreset(preset);
  if (!tf) return tf.error();
  scene->mDisplay.transfer = *tf;
  scene->mDisplay.windowWidth = tf->windowWidth;
  scene->mDisplay.windowLevel = tf->windowLevel;
  scene->mDisplay.background = options.background;
  if (auto r = renderer.setVolume(volume); !r) return r.error();
  if (auto r = renderer.setLabelmap(session.labelmap()); !r) return r.error();
  return scene;
}

XrScene::XrScene(Session& session, renderer::Device&, renderer::VolumeRenderer& renderer,
                 XrPanelPass panelPass, const XrSceneOptions& options)
    : mSession(session),
      mRenderer(renderer),
      mPanelPass(std::move(panelPass)),
      mOptions(options),
      mManipulator(VolumePlacement{}),
      mInteraction(options.interaction),
      mEditor(session),
      mQuality(options.adaptive) {}

XrScene::~XrScene() = default;

PanelModel XrScene::panelModel() const {
  PanelModel m;
  for (const core::Label& l : mSession.labelmap().labels().labels())
    m.labels.push_back({l.id, l.name, l.rgba, std::find(mHidden.begin(), mHidden.end(), l.id) == mHidden.end()});
  const auto& undo = mSession.history().undoSteps();
  // The newest steps fit the panel; older ones are still undoable.
  for (size_t i = undo.size() > 8 ? undo.size() - 8 : 0; i < undo.size(); ++i) m.history.push_back(undo[i].name);
  m.redoCount = mSession.history().redoSteps().size();
  m.tools = mInteraction.settings();
  m.message = mPanelError.empty() ? mEditor.message() : mPanelError;
  m.frameMs = mQuality.smoothedMs();
  m.resolutionScale = mQuality.resolutionScale();
  m.stepScale = mQuality.stepScale();
  return m;
}

void XrScene::applyPanel(const std::vector<PanelAction>& actions) {
  XrToolSettings& tools = mInteraction.settings();
  for (const PanelAction& a : actions) {
    switch (a.kind) {
      case PanelAction::Kind::SelectTool: tools.tool = static_cast<XrTool>(a.value); break;
      case PanelAction::Kind::SelectLabel: tools.label = static_cast<std::uint8_t>(a.value); break;
      case PanelAction::Kind::SetRadius: tools.brushRadiusMm = a.number; break;
      case PanelAction::Kind::Undo: mEditor.apply({XrCommand::Kind::Undo}, tools); break;
      case PanelAction::Kind::Redo: mEditor.apply({XrCommand::Kind::Redo}, tools); break;
      case PanelAction::Kind::ToggleLabelVisible: {
        auto it = std::find(mHidden.begin(), mHidden.end(), static_cast<std::uint8_t>(a.value));
        if (it == mHidden.end()) mHidden.push_back(static_cast<std::uint8_t>(a.value));
        else mHidden.erase(it);
        break;
      }
    }
  }
}

void XrScene::update(const FrameInput& input, double lastFrameMs) {
  if (!mPlaced) {
    mManipulator.setPlacement(defaultPlacement(mSession.volume().geometry(), input.head));
    mPanelQuad = defaultPanel(input.head);
    mLastHead = input.head;
    mPlaced = true;
  }
  double dt = mLastTimeS < 0 ? 0 : std::max(0.0, input.timeS - mLastTimeS);
  mLastTimeS = input.timeS;
  mHands = input.hands;

  mManipulator.update(input);
  std::vector<std::uint8_t> ids;
  for (const core::Label& l : mSession.labelmap().labels().labels()) ids.push_back(l.id);
  auto commands = mInteraction.update(input, mManipulator.placement(), mInteraction.panelVisible() ? &mPanelQuad : nullptr,
                                      ids, mEditor.previewing());
  bool pointerSeen = false;
  for (const XrCommand& c : commands) {
    if (c.kind == XrCommand::Kind::PanelPointer) {
      mPanelU = c.u;
      mPanelV = c.v;
      mPanelPressed = c.pressed;
      pointerSeen = true;
    } else {
      mEditor.apply(c, mInteraction.settings());
    }
  }
  if (!pointerSeen) {
    mPanelU = mPanelV = -1;
    mPanelPressed = false;
  }
  if (mInteraction.panelVisible()) {
    applyPanel(mPanel.frame(panelModel(), mPanelU, mPanelV, mPanelPressed, dt));
    // A failed upload leaves last frame's panel on the quad; the error is shown there next time.
    if (auto r = mPanelPass.setPanelImage(mPanel.image()); !r) mPanelError = r.message();
  }

  auto bricks = mEditor.takeDirtyBricks();
  if (!bricks.empty()) (void)mRenderer.updateLabelBricks(mSession.labelmap(), bricks);

  // Idle: the head is still and no hand is doing anything: render at full quality.
  double moved = core::length(input.head.position - mLastHead.position);
  Quat dq = input.head.orientation * mLastHead.orientation.conjugate();
  double turned = 2 * std::acos(std::clamp(std::abs(dq.w), 0.0, 1.0));
  bool busy = mInteraction.stroking() || mInteraction.contouring() || mManipulator.grabbing(Hand::Left) || mManipulator.grabbing(Hand::Right);
  mLastHead = input.head;
  mQuality.update(lastFrameMs, !busy && moved < 0.002 && turned < 0.005, dt);
}

std::vector<renderer::View> XrScene::views(std::span<const EyeView> eyes) const {
  const VolumePlacement& p = mManipulator.placement();
  std::vector<renderer::View> out;
  for (const EyeView& e : eyes) {
    renderer::View v;
    v.kind = renderer::View::Kind::Volume;
    renderer::Camera& c = v.camera;
    c.eyeMm = p.patientFromWorld(e.pose.position);
    c.forward = core::normalize(p.patientDirection(e.pose.orientation.rotate({0, 0, -1})));
    c.right = core::normalize(p.patientDirection(e.pose.orientation.rotate({1, 0, 0})));
    c.down = core::normalize(p.patientDirection(e.pose.orientation.rotate({0, -1, 0})));
    c.tanLeft = e.tanLeft;
    c.tanRight = e.tanRight;
    c.tanUp = e.tanUp;
    c.tanDown = e.tanDown;
    c.fovYDeg = 2 * std::atan(0.5 * (e.tanUp - e.tanDown)) * 180 / kPi;
    out.push_back(v);
  }
  return out;
}

PanelRect XrScene::panelRect() const {
  const VolumePlacement& p = mManipulator.placement();
  const double mmPerM = 1 / p.metresPerMm;
  PanelRect r;
  r.centreMm = p.patientFromWorld(mPanelQuad.pose.position);
  r.halfWidthMm = p.patientDirection(mPanelQuad.pose.orientation.rotate({1, 0, 0})) * (mPanelQuad.widthM / 2 * mmPerM);
  r.halfHeightMm = p.patientDirection(mPanelQuad.pose.orientation.rotate({0, -1, 0})) * (mPanelQuad.heightM / 2 * mmPerM);
  r.rgba = {1, 1, 1, 0.95f};
  return r;
}

renderer::Overlays XrScene::overlays() const {
  const VolumePlacement& p = mManipulator.placement();
  const ToolVisuals& tv = mInteraction.visuals();
  const XrToolSettings& tools = mInteraction.settings();
  renderer::Overlays o;
  o.occludedOpacity = 0.3f;  // the cursor and the contour stay visible inside tissue (x-ray)

  // A square of `halfM` around a plane's point: a translucent face and its outline.
  auto planeSquare = [&](const HeldPlane& plane, double halfM, renderer::Rgba face, renderer::Rgba edge) {
    renderer::OverlayMesh mesh;
    renderer::OverlayPolyline outline;
    for (auto [su, sv] : {std::pair{-1, -1}, {1, -1}, {1, 1}, {-1, 1}}) {
      Vec3 corner = p.patientFromWorld(plane.point + plane.u * (su * halfM) + plane.v * (sv * halfM));
      mesh.verticesMm.push_back(corner);
      outline.pointsMm.push_back(corner);
    }
    mesh.indices = {0, 1, 2, 0, 2, 3};
    mesh.color = face;
    outline.closed = true;
    outline.color = edge;
    outline.widthPx = 1.5f;
    o.meshes.push_back(std::move(mesh));
    o.polylines.push_back(std::move(outline));
  };

  for (int h = 0; h < 2; ++h)
    if (mHands[h].tracked) o.meshes.push_back(controllerMesh(mHands[h].aim, p));
  if (tv.clipEnabled) {
    const HandInput& other = mHands[static_cast<int>(otherHand(tools.dominant))];
    planeSquare(heldPlane(Pose{tv.clipPointM, other.aim.orientation}), 0.06, {0.3f, 0.9f, 0.9f, 0.2f},
                {0.3f, 0.9f, 0.9f, 0.8f});
  }
  const renderer::Rgba contourColor{1.0f, 0.78f, 0.0f, 1.0f};  // as the desktop's contour
  if (tv.contourPlaneVisible)
    planeSquare(tv.contourPlaneM, kContourPlaneHalfM, {1.0f, 0.78f, 0.0f, 0.12f}, {1.0f, 0.78f, 0.0f, 0.7f});
  if (tv.cursorVisible) {
    renderer::OverlaySphere s;
    s.centreMm = p.patientFromWorld(tv.tipM);
    s.radiusMm = tv.cursorRadiusM / p.metresPerMm;
    const core::Label* l = mSession.labelmap().labels().find(tools.label);
    auto color = l ? l->rgba : core::LabelTable::defaultColor(tools.label);
    s.color = tools.tool == XrTool::Erase ? renderer::Rgba{1, 1, 1, 0.6f}
              : tools.tool == XrTool::Grow ? renderer::Rgba{1, 0.9f, 0.2f, 0.6f}
                                           : rgbaOf(color, 0.6f);
    o.spheres.push_back(s);
  }
  if (tv.contourMm.size() >= 2) {
    o.polylines.push_back({tv.contourMm, false, contourColor, 3.0f});
    // Where the outline will close when the trigger is released.
    o.lines.push_back({tv.contourMm.back(), tv.contourMm.front(), {1.0f, 0.78f, 0.0f, 0.4f}, 1.5f});
  }
  if (tv.projectionVisible)
    o.lines.push_back({p.patientFromWorld(tv.projectionFromM), p.patientFromWorld(tv.projectionToM),
                       {1, 1, 1, 0.6f}, 1.5f});
  if (tv.rayVisible)
    o.lines.push_back({p.patientFromWorld(tv.rayFromM), p.patientFromWorld(tv.rayToM), {0.4f, 0.8f, 1, 0.9f}, 3.0f});
  return o;
}

core::Result<uint64_t> XrScene::render(std::span<const EyeView> eyes, renderer::RenderTarget& target) {
  renderer::FrameParams frame;
  frame.views = views(eyes);
  frame.volume = mDisplay;
  frame.volume.stepMm = mRenderer.defaultStepMm() * mQuality.stepScale();
  if (auto clip = mInteraction.clipPlaneMm(mManipulator.placement()))
    frame.volume.clipPlanes.push_back({clip->first, clip->second});
  mShownLabels = mSession.labelmap().labels();
  for (std::uint8_t id : mHidden)
    if (core::Label* l = mShownLabels.find(id)) l->visible = false;
  frame.labels = &mShownLabels;
  frame.frameIndex = mFrame++;
  frame.overlays = overlays();
  auto value = mRenderer.render(frame, target);
  if (!value) return value.error();
  if (!mInteraction.panelVisible()) return value;
  return mPanelPass.draw(frame.views, panelRect(), target);
}

}  // namespace delineo::app::xr
