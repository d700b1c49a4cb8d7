#pragma once
// Campaign panel: the annotator's cases with their status, "Submit case" (every campaign label
// set to submitted, one undoable step through the Session, then saved) and "Next case".

#include <functional>
#include <string>
#include <vector>

#include "app/Campaign.h"
#include "app/ui/Panels.h"

namespace delineo::ui {

// What the panel shows and acts on; owned by the DesktopApp.
struct CampaignView {
  const app::Campaign* campaign = nullptr;  // null: no campaign open, nothing drawn
  std::string annotator;                    // whose cases are listed
  std::string currentCase;                  // id of the open case
  std::function<void()> next;               // opens the annotator's next case
};

class CampaignPanel {
 public:
  void draw(PanelContext& context, const CampaignView& view);
  // The statuses are re-read on the next draw (after a save or a case change).
  void refresh() { mStale = true; }

 private:
  std::vector<app::AssignmentStatus> mStatuses;
  bool mStale = true;
};

}  // namespace delineo::ui
