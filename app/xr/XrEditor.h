#pragma once
// XrEditor: carries out XrInteraction's commands on the open Session, exactly as the desktop
// does: a brush stroke is painted live into one LabelEdit (a capsule between successive tip
// positions) and committed as one journaled undo step when the trigger is released; a grow
// seed grows a preview that is accepted (one step) or discarded; a contour's points are
// collected and the closed polygon is filled as the ops script's (and the desktop's) "contour"
// operation; undo and redo go to the Session. Collects the labelmap bricks each change dirtied so the renderer uploads only those.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/Session.h"
#include "app/xr/XrInteraction.h"
#include "tools/Brush.h"
#include "tools/LabelEdit.h"

namespace delineo::app::xr {

class XrEditor {
 public:
  explicit XrEditor(Session& session) : mSession(session) {}
  ~XrEditor();
  XrEditor(const XrEditor&) = delete;
  XrEditor& operator=(const XrEditor&) = delete;

  // Runs one command with the tool settings of this frame. Errors are reported in message().
  void apply(const XrCommand& command, const XrToolSettings& settings);
  bool stroking() const { return mStroke != nullptr; }
  bool previewing() const { return mPreview != nullptr; }
  bool contouring() const { return mContouring; }
  std::int64_t previewVoxels() const { return mPreviewVoxels; }
  // Bricks changed since the last call (sorted, unique).
  std::vector<std::int64_t> takeDirtyBricks();
  // The last thing an edit said ("Brush 5 mm · Liver", "Grow preview: 1234 voxels", errors).
  const std::string& message() const { return mMessage; }
  // Ends an open stroke (committing it) and discards a preview: before the session closes.
  void finish();

 private:
  void beginStroke(Vec3 pointMm, const XrToolSettings& settings);
  void strokeTo(Vec3 pointMm);
  void endStroke();
  void grow(Vec3 seedMm, const XrToolSettings& settings);
  void acceptPreview();
  void discardPreview();
  void endContour(const XrToolSettings& settings);
  void undoRedo(bool undo);
  void touched(const std::vector<std::int64_t>& bricks);

  Session& mSession;
  std::unique_ptr<tools::LabelEdit> mStroke;
  tools::BrushParams mBrush;
  nlohmann::json mStrokeOp;
  Vec3 mLastMm{};
  std::unique_ptr<tools::LabelEdit> mPreview;
  nlohmann::json mPreviewOp;
  std::int64_t mPreviewVoxels = 0;
  bool mContouring = false;
  std::vector<Vec3> mContourMm;
  std::vector<std::int64_t> mDirty;
  std::string mMessage;
};

}  // namespace delineo::app::xr
