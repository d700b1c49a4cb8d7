#include "app/desktop/EditController.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "app/OpsScript.h"
#include "app/StepText.h"
#include "tools/VoxelMask.h"

namespace delineo::app {

EditController::~EditController() {
  mJob.finish();
  if (mStroke) mStroke->revert();
  if (mPreview) mPreview->revert();
}

void EditController::markBox(core::Vec3 aMm, core::Vec3 bMm, double radiusMm) {
  const core::Geometry& g = mSession.labelmap().geometry();
  core::Dims bricks = mSession.labelmap().brickDims();
  std::array<std::int64_t, 3> lo{INT64_MAX, INT64_MAX, INT64_MAX}, hi{INT64_MIN, INT64_MIN, INT64_MIN};
  // The corners of the box around both dab centres bound the capsule in index space.
  for (int c = 0; c < 16; ++c) {
    core::Vec3 p = (c & 8) ? bMm : aMm;
    core::Vec3 corner{p.x + ((c & 1) ? radiusMm : -radiusMm), p.y + ((c & 2) ? radiusMm : -radiusMm),
                      p.z + ((c & 4) ? radiusMm : -radiusMm)};
    core::Vec3 ijk = g.patientToIjk(corner);
    for (int a = 0; a < 3; ++a) {
      lo[a] = std::min(lo[a], static_cast<std::int64_t>(std::floor(ijk[a])));
      hi[a] = std::max(hi[a], static_cast<std::int64_t>(std::ceil(ijk[a])));
    }
  }
  const int n = core::Labelmap::kBrickSize;
  std::array<std::int64_t, 3> b0{}, b1{};
  for (int a = 0; a < 3; ++a) {
    b0[a] = std::clamp<std::int64_t>(lo[a], 0, g.dims[a] - 1) / n;
    b1[a] = std::clamp<std::int64_t>(hi[a], 0, g.dims[a] - 1) / n;
  }
  for (std::int64_t z = b0[2]; z <= b1[2]; ++z)
    for (std::int64_t y = b0[1]; y <= b1[1]; ++y)
      for (std::int64_t x = b0[0]; x <= b1[0]; ++x) mDirty.push_back(x + bricks[0] * (y + bricks[1] * z));
}

void EditController::beginStroke(core::Vec3 pointMm, const ToolSettings& tools,
                                 std::optional<core::Vec3> planeNormal) {
  if (busy()) return;
  tools::PaintRule rule;
  if (tools.paintOverBackgroundOnly && tools.tool != ToolKind::Erase) rule.over = tools::PaintRule::Over::BackgroundOnly;
  if (tools.tool == ToolKind::ThresholdBrush) rule.intensityRange = std::pair{tools.thresholdLow, tools.thresholdHigh};
  mBrush = tools::BrushParams{};
  mBrush.radiusMm = tools.brushRadiusMm;
  mBrush.label = tools.label;
  mBrush.erase = tools.tool == ToolKind::Erase;
  if (planeNormal) {
    mBrush.shape = tools::BrushParams::Shape::Disk;
    mBrush.planeNormal = *planeNormal;
  }
  mStroke = std::make_unique<tools::LabelEdit>(mSession.labelmapForEdit(), &mSession.volume(), rule);
  mStrokeOp = {{"tool", "brush"}, {"radius_mm", mBrush.radiusMm}, {"points_mm", nlohmann::json::array()}};
  if (!mBrush.erase) mStrokeOp["label"] = mBrush.label;
  else mStrokeOp["erase"] = true;
  if (planeNormal) {
    mStrokeOp["shape"] = "disk";
    mStrokeOp["normal"] = jsonVec(*planeNormal);
  }
  if (rule.intensityRange) mStrokeOp["intensity_range"] = {tools.thresholdLow, tools.thresholdHigh};
  if (rule.over == tools::PaintRule::Over::BackgroundOnly) mStrokeOp["paint_over"] = "background";
  mLastMm = pointMm;
  mStrokeOp["points_mm"].push_back(jsonVec(pointMm));
  tools::paintDab(*mStroke, pointMm, mBrush);
  markBox(pointMm, pointMm, mBrush.radiusMm);
}

void EditController::continueStroke(core::Vec3 pointMm) {
  if (!mStroke) return;
  // Dabs closer than a fifth of the radius add nothing visible; skip them.
  if (core::length(pointMm - mLastMm) < mBrush.radiusMm * 0.2) return;
  core::Vec3 segment[2] = {mLastMm, pointMm};
  tools::paintStroke(*mStroke, segment, mBrush);
  markBox(mLastMm, pointMm, mBrush.radiusMm);
  mLastMm = pointMm;
  mStrokeOp["points_mm"].push_back(jsonVec(pointMm));
}

core::Result<std::string> EditController::endStroke() {
  if (!mStroke) return std::string{};
  tools::Step step;
  step.tool = "brush";
  step.paramsJson = mStrokeOp.dump();
  step.name = std::string(mBrush.erase ? "Erase " : "Brush ") + formatMm(mBrush.radiusMm) + " mm" +
              (mBrush.erase ? "" : " · " + labelName(mSession, mBrush.label));
  std::string name = step.name;
  step.voxels = mStroke->finish();
  mStroke.reset();
  auto committed = mSession.commit(std::move(step));
  if (!committed) return committed.error();
  return *committed ? name : std::string{};
}

void EditController::growFromSeed(core::Vec3 seedMm, const ToolSettings& tools) {
  if (busy()) return;
  const core::Geometry& g = mSession.volume().geometry();
  core::Vec3 ijk = g.patientToIjk(seedMm);
  tools::RegionGrowParams params;
  params.seeds.push_back({std::llround(ijk.x), std::llround(ijk.y), std::llround(ijk.z)});
  params.lower = tools.thresholdLow;
  params.upper = tools.thresholdHigh;
  params.connectivity = tools.connectivity;
  if (auto v = tools::validateRegionGrow(g, params); !v) {
    mMessage = v.message();
    return;
  }
  mPreviewOp = {{"tool", "grow"}, {"seeds_mm", {jsonVec(seedMm)}}, {"lower", params.lower},
                {"upper", params.upper}, {"label", tools.label}, {"connectivity", params.connectivity}};
  auto region = std::make_shared<std::optional<tools::GrowRegion>>();
  const std::uint8_t label = tools.label;
  const bool backgroundOnly = tools.paintOverBackgroundOnly;
  // The worker only reads the volume; the labelmap is written back here, on the UI thread.
  const core::Volume* volume = &mSession.volume();
  mJob.start(
      "Growing",
      [volume, params, region](const core::TaskControl& control) -> core::Result<void> {
        auto grown = tools::growConnectedThreshold(*volume, params, control);
        if (!grown) return grown.error();
        *region = std::move(grown).value();
        return {};
      },
      [this, region, label, backgroundOnly](const core::Result<void>& outcome) {
        if (!outcome) {
          mMessage = "Grow: " + outcome.message();
          return;
        }
        if ((*region)->voxels == 0) {
          mMessage = "Grow: the seed's value lies outside the range; nothing grown";
          return;
        }
        tools::PaintRule rule;
        if (backgroundOnly) rule.over = tools::PaintRule::Over::BackgroundOnly;
        mPreview = std::make_unique<tools::LabelEdit>(mSession.labelmapForEdit(), &mSession.volume(), rule);
        mPreviewVoxels = tools::writeRuns(*mPreview, (*region)->runs, label);
        for (auto b : mPreview->touchedBricks()) mDirty.push_back(b);
        mMessage = "Grow preview: " + std::to_string(mPreviewVoxels) + " voxels (Enter: accept, Esc: discard)";
      });
}

core::Result<std::string> EditController::acceptPreview() {
  if (!mPreview) return std::string{};
  std::uint8_t label = static_cast<std::uint8_t>(mPreviewOp.value("label", 1));
  tools::Step step;
  step.tool = "grow";
  step.paramsJson = mPreviewOp.dump();
  step.name = "Grow · " + labelName(mSession, label);
  step.voxels = mPreview->finish();
  mPreview.reset();
  auto committed = mSession.commit(std::move(step));
  if (!committed) return committed.error();
  mMessage = "Grow accepted: " + std::to_string(mPreviewVoxels) + " voxels";
  return std::string("Grow");
}

void EditController::discardPreview() {
  if (!mPreview) return;
  for (auto b : mPreview->touchedBricks()) mDirty.push_back(b);
  mPreview->revert();
  mPreview.reset();
  mMessage = "Grow discarded";
}

core::Result<std::string> EditController::apply(const nlohmann::json& op) {
  if (busy()) return core::makeError("busy: finish the current edit first");
  auto outcome = applyOperation(mSession, op);
  if (!outcome) return outcome.error();
  return outcome->stepName;
}

core::Result<bool> EditController::undo() {
  if (busy()) return false;
  return mSession.undo();
}

core::Result<bool> EditController::redo() {
  if (busy()) return false;
  return mSession.redo();
}

core::Result<void> EditController::undoTo(std::size_t remaining) {
  if (busy()) return {};
  while (mSession.history().undoSteps().size() > remaining) {
    auto r = mSession.undo();
    if (!r) return r.error();
    if (!*r) break;
  }
  while (mSession.history().undoSteps().size() < remaining && mSession.history().canRedo()) {
    auto r = mSession.redo();
    if (!r) return r.error();
    if (!*r) break;
  }
  return {};
}

void EditController::save(const std::string& path) {
  if (busy()) return;
  Session* session = &mSession;
  std::string target = path.empty() ? mSession.labelmapPath() : path;
  mJob.start(
      "Saving",
      [session, path](const core::TaskControl&) { return session->save(path); },
      [this, target](const core::Result<void>& outcome) {
        mMessage = outcome ? "Saved " + target : "Save failed: " + outcome.message();
      });
}

std::vector<std::int64_t> EditController::takeDirtyBricks() {
  if (!mJob.busy())
    for (auto b : mSession.takeDirtyBricks()) mDirty.push_back(b);
  std::sort(mDirty.begin(), mDirty.end());
  mDirty.erase(std::unique(mDirty.begin(), mDirty.end()), mDirty.end());
  return std::exchange(mDirty, {});
}

}  // namespace delineo::app
