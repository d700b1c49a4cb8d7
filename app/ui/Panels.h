#pragma once
// The viewer's panels (Data, Display, Labels, Tools, History) and its status bar, drawn with
// ImGui from the viewer's state. Panels change the document only through the EditController
// (so every change is a journaled, undoable step) and the viewer through ViewerState.

#include <array>
#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "app/Session.h"
#include "app/desktop/BackgroundJob.h"
#include "app/desktop/EditController.h"
#include "app/desktop/ViewerState.h"
#include "core/io/DicomSeries.h"

namespace delineo::app {
class PacsBrowser;
}  // namespace delineo::app

namespace delineo::ui {

// What the panels remember from frame to frame (drags, selections, fields being typed); one
// per window, owned by the UI that draws them.
struct PanelState {
  int draggedOpacityPoint = -1;  // transfer-function opacity point being dragged; -1: none
  int colorPointIndex = 0;       // transfer-function colour point the picker edits
  // Label voxel counts, recounted only when the document changed (undo depth or hash).
  std::size_t countedAtDepth = std::numeric_limits<std::size_t>::max();
  std::uint64_t countedHash = 0;
  std::array<std::int64_t, 256> voxelCounts{};  // per label id
  std::uint8_t mergeInto = 0;          // label the active one merges into
  std::string newLabelName = "Label";  // the Add field
  float marginMm = 1.0f;               // distance of the Margin action
  // A label colour being dragged in its picker: shown at once, committed as one undo step on release.
  int editingColorLabel = -1;           // label id; -1: none
  std::array<float, 4> editingColor{};  // its colour so far (0..1)
  int pacsSeries = -1;                  // series row chosen in the PACS panel; -1: none
  std::string pacsSettingsMessage;      // outcome of saving the PACS connection settings
};

struct PanelContext {
  PanelState* panels = nullptr;               // required: the window's panel state
  app::Session* session = nullptr;            // null while nothing is open
  app::EditController* edits = nullptr;       // on session
  app::ViewerState* state = nullptr;
  app::BackgroundJob* job = nullptr;
  const std::vector<float>* histogram = nullptr;  // log counts over the volume's value range
  std::pair<double, double> valueRange{0, 1};
  std::vector<std::string>* recent = nullptr;     // recently opened studies, newest first
  // Opens a study (file or DICOM folder; seriesUid picks one series of a folder).
  std::function<void(const std::string& path, const std::string& seriesUid)> open;
  std::function<void(const std::string& name)> applyPreset;
};

// Data: a path field with a small file browser, the DICOM series of a folder, recent files.
class DataPanel {
 public:
  void draw(PanelContext& context);

 private:
  void scan(const std::string& folder);

  std::string mPath;       // the path field
  std::string mBrowseDir;  // folder the browser lists
  std::vector<io::SeriesSummary> mSeries;
  std::string mSeriesFolder;
  std::string mScanMessage;
};

void drawDisplayPanel(PanelContext& context);
void drawLabelsPanel(PanelContext& context);
void drawToolsPanel(PanelContext& context);
void drawHistoryPanel(PanelContext& context);
// PACS: connection, study search, series retrieve into the viewer, Store SEG (PacsPanel.cpp).
void drawPacsPanel(PanelContext& context, app::PacsBrowser& browser);
// The status bar text along the bottom of the window, with the job's progress and Cancel.
void drawStatusBar(PanelContext& context, const std::string& hover, float y, float width);

}  // namespace delineo::ui
