#pragma once
// EditController: the tools acting on the open Session from the viewer: brush strokes (painted
// live into one LabelEdit, committed as one step on release), region grow from a clicked seed
// (grown on the worker thread, previewed, then accepted as a step or discarded), contours,
// scissors, morphology and label operations (through the ops-script operations), undo, redo and
// save. It collects the labelmap bricks each change dirtied so the renderer uploads only those.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/Session.h"
#include "app/desktop/BackgroundJob.h"
#include "app/desktop/ViewerState.h"
#include "tools/Brush.h"
#include "tools/LabelEdit.h"
#include "tools/RegionGrow.h"

namespace delineo::app {

class EditController {
 public:
  EditController(Session& session, BackgroundJob& job) : mSession(session), mJob(job) {}
  ~EditController();

  // Brush: a stroke of dabs at patient points; `planeNormal` set on slices (disk brush).
  void beginStroke(core::Vec3 pointMm, const ToolSettings& tools, std::optional<core::Vec3> planeNormal);
  void continueStroke(core::Vec3 pointMm);
  // Commits the stroke as one undo step; returns its name ("" when it changed nothing).
  core::Result<std::string> endStroke();
  bool stroking() const { return mStroke != nullptr; }

  // Region grow from a seed on the worker thread; the result waits as a preview.
  void growFromSeed(core::Vec3 seedMm, const ToolSettings& tools);
  bool previewing() const { return mPreview != nullptr; }
  std::int64_t previewVoxels() const { return mPreviewVoxels; }
  core::Result<std::string> acceptPreview();
  void discardPreview();

  // A tool operation as in an ops script (contour, scissors, morphology, label.*): committed.
  core::Result<std::string> apply(const nlohmann::json& op);
  core::Result<bool> undo();
  core::Result<bool> redo();
  // Undoes steps until `remaining` steps are left on the undo stack (History panel).
  core::Result<void> undoTo(std::size_t remaining);
  // Saves atomically on the worker thread (default: the session's labelmap path).
  void save(const std::string& path = {});

  // Nothing may touch the Session while the worker holds it or an edit is open.
  bool busy() const { return mJob.busy() || mStroke || mPreview; }
  // Labelmap bricks changed since the last call, for GPU upload.
  std::vector<std::int64_t> takeDirtyBricks();
  // What the last action said (errors, "Saved ..."), for the status bar.
  const std::string& message() const { return mMessage; }
  void setMessage(std::string message) { mMessage = std::move(message); }

 private:
  void markBox(core::Vec3 aMm, core::Vec3 bMm, double radiusMm);

  Session& mSession;
  BackgroundJob& mJob;
  std::unique_ptr<tools::LabelEdit> mStroke;
  nlohmann::json mStrokeOp;         // the stroke as an ops-script line (journaled parameters)
  core::Vec3 mLastMm{0, 0, 0};
  tools::BrushParams mBrush;
  std::unique_ptr<tools::LabelEdit> mPreview;
  nlohmann::json mPreviewOp;
  std::int64_t mPreviewVoxels = 0;
  std::vector<std::int64_t> mDirty;
  std::string mMessage;
};

}  // namespace delineo::app
