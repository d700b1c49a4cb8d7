#include "app/xr/XrEditor.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "app/OpsScript.h"
#include "app/StepText.h"
#include "tools/RegionGrow.h"
#include "tools/VoxelMask.h"

namespace delineo::app::xr {

XrEditor::~XrEditor() {
  // An edit still open when the scene goes away was never committed: restore the labelmap.
  if (mStroke) mStroke->revert();
  if (mPreview) mPreview->revert();
}

void XrEditor::finish() {
  endStroke();
  mContouring = false;  // an unfinished outline is not a contour
  mContourMm.clear();
  discardPreview();
}

void XrEditor::touched(const std::vector<std::int64_t>& bricks) { mDirty.insert(mDirty.end(), bricks.begin(), bricks.end()); }

std::vector<std::int64_t> XrEditor::takeDirtyBricks() {
  touched(mSession.takeDirtyBricks());
  std::sort(mDirty.begin(), mDirty.end());
  mDirty.erase(std::unique(mDirty.begin(), mDirty.end()), mDirty.end());
  return std::exchange(mDirty, {});
}

void XrEditor::apply(const XrCommand& c, const XrToolSettings& settings) {
  switch (c.kind) {
    case XrCommand::Kind::StrokeBegin: beginStroke(c.pointMm, settings); break;
    case XrCommand::Kind::StrokeTo: strokeTo(c.pointMm); break;
    case XrCommand::Kind::StrokeEnd: endStroke(); break;
    case XrCommand::Kind::GrowSeed: grow(c.pointMm, settings); break;
    case XrCommand::Kind::GrowAccept: acceptPreview(); break;
    case XrCommand::Kind::GrowDiscard: discardPreview(); break;
    case XrCommand::Kind::Undo: undoRedo(true); break;
    case XrCommand::Kind::Redo: undoRedo(false); break;
    case XrCommand::Kind::PanelPointer: break;  // the panel's, not an edit
    case XrCommand::Kind::ContourBegin:
      if (mStroke || mPreview) break;
      mContouring = true;
      mContourMm = {c.pointMm};
      break;
    case XrCommand::Kind::ContourTo:
      if (mContouring) mContourMm.push_back(c.pointMm);
      break;
    case XrCommand::Kind::ContourEnd: endContour(settings); break;
    case XrCommand::Kind::ContourCancel:
      if (mContouring) mMessage = "Contour dropped: the hand lost tracking";
      mContouring = false;
      mContourMm.clear();
      break;
  }
}

void XrEditor::beginStroke(Vec3 pointMm, const XrToolSettings& settings) {
  if (mStroke || mPreview) return;
  mBrush = tools::BrushParams{};
  mBrush.radiusMm = settings.brushRadiusMm;
  mBrush.label = settings.label;
  mBrush.erase = settings.tool == XrTool::Erase;
  mStroke = std::make_unique<tools::LabelEdit>(mSession.labelmapForEdit(), &mSession.volume(), tools::PaintRule{});
  // Journaled like the desktop's strokes: an ops-script brush line that replays the same voxels.
  mStrokeOp = {{"tool", "brush"}, {"radius_mm", mBrush.radiusMm}, {"points_mm", nlohmann::json::array()}};
  if (mBrush.erase) mStrokeOp["erase"] = true;
  else mStrokeOp["label"] = mBrush.label;
  mStrokeOp["points_mm"].push_back(jsonVec(pointMm));
  mLastMm = pointMm;
  tools::paintDab(*mStroke, pointMm, mBrush);
  touched(mStroke->touchedBricks());
}

void XrEditor::strokeTo(Vec3 pointMm) {
  if (!mStroke) return;
  Vec3 segment[2] = {mLastMm, pointMm};
  tools::paintStroke(*mStroke, segment, mBrush);
  mLastMm = pointMm;
  mStrokeOp["points_mm"].push_back(jsonVec(pointMm));
  touched(mStroke->touchedBricks());
}

void XrEditor::endStroke() {
  if (!mStroke) return;
  tools::Step step;
  step.tool = "brush";
  step.paramsJson = mStrokeOp.dump();
  step.name = std::string(mBrush.erase ? "Erase " : "Brush ") + formatMm(mBrush.radiusMm) + " mm" +
              (mBrush.erase ? "" : " · " + labelName(mSession, mBrush.label));
  step.voxels = mStroke->finish();
  mStroke.reset();
  std::string name = step.name;
  auto committed = mSession.commit(std::move(step));
  if (!committed) mMessage = "Could not save the stroke: " + committed.message();
  else mMessage = *committed ? name : "The stroke changed nothing";
}

void XrEditor::grow(Vec3 seedMm, const XrToolSettings& settings) {
  if (mStroke) return;
  discardPreview();
  const core::Geometry& g = mSession.volume().geometry();
  Vec3 ijk = g.patientToIjk(seedMm);
  tools::RegionGrowParams params;
  params.seeds.push_back({std::llround(ijk.x), std::llround(ijk.y), std::llround(ijk.z)});
  params.lower = settings.growLower;
  params.upper = settings.growUpper;
  // A seed in a large connected structure must not stall the headset's frame loop for long.
  params.maxVoxels = 20'000'000;
  if (auto v = tools::validateRegionGrow(g, params); !v) {
    mMessage = "Grow: " + v.message();
    return;
  }
  auto region = tools::growConnectedThreshold(mSession.volume(), params);
  if (!region) {
    mMessage = "Grow: " + region.message();
    return;
  }
  if (region->stoppedAtLimit || region->voxels == 0) {
    mMessage = region->voxels == 0 ? "Grow: the seed's value lies outside the range; nothing grown"
                                   : "Grow: the region leaked past 20 M voxels; narrow the range";
    return;
  }
  mPreview = std::make_unique<tools::LabelEdit>(mSession.labelmapForEdit(), &mSession.volume(), tools::PaintRule{});
  mPreviewVoxels = tools::writeRuns(*mPreview, region->runs, settings.label);
  mPreviewOp = {{"tool", "grow"}, {"seeds_mm", {jsonVec(seedMm)}}, {"lower", params.lower},
                {"upper", params.upper}, {"label", settings.label}, {"connectivity", params.connectivity}};
  touched(mPreview->touchedBricks());
  mMessage = "Grow preview: " + std::to_string(mPreviewVoxels) + " voxels (A: accept, B: discard)";
}

void XrEditor::acceptPreview() {
  if (!mPreview) return;
  std::uint8_t label = static_cast<std::uint8_t>(mPreviewOp.value("label", 1));
  tools::Step step;
  step.tool = "grow";
  step.paramsJson = mPreviewOp.dump();
  step.name = "Grow · " + labelName(mSession, label);
  step.voxels = mPreview->finish();
  mPreview.reset();
  auto committed = mSession.commit(std::move(step));
  mMessage = committed ? "Grow accepted: " + std::to_string(mPreviewVoxels) + " voxels"
                       : "Could not save the grow: " + committed.message();
}

void XrEditor::discardPreview() {
  if (!mPreview) return;
  touched(mPreview->touchedBricks());
  mPreview->revert();
  mPreview.reset();
  mMessage = "Grow discarded";
}

// The same operation `delineo apply` and the desktop's contour tool run: validated (at least 3
// distinct points, planar, not self-intersecting) before anything changes, one journaled step.
void XrEditor::endContour(const XrToolSettings& settings) {
  if (!mContouring) return;
  mContouring = false;
  std::vector<Vec3> points = std::exchange(mContourMm, {});
  if (points.size() < 3) {
    mMessage = "Contour: too short (" + std::to_string(points.size()) +
               (points.size() == 1 ? " point" : " points") + "); hold the trigger and draw an outline";
    return;
  }
  nlohmann::json op{{"tool", "contour"}, {"label", settings.label}, {"points_mm", nlohmann::json::array()}};
  for (Vec3 p : points) op["points_mm"].push_back(jsonVec(p));
  auto outcome = applyOperation(mSession, op);
  if (!outcome) mMessage = "Contour: " + outcome.message() + "; nothing changed";
  else if (!outcome->changed) mMessage = "The contour changed nothing (it encloses no voxel centre)";
  else mMessage = outcome->stepName;
}

void XrEditor::undoRedo(bool undo) {
  if (mStroke || mPreview || mContouring) return;
  auto r = undo ? mSession.undo() : mSession.redo();
  if (!r) mMessage = std::string(undo ? "Undo" : "Redo") + " failed: " + r.message();
  else if (*r) mMessage = undo ? "Undone" : "Redone";
}

}  // namespace delineo::app::xr
