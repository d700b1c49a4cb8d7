#pragma once
// Campaign: an annotation campaign file (JSON) — the cases, the label table every case must
// use, who annotates and reviews, and where labelmaps go. Case status is derived from the
// labelmaps themselves (their labels' review states), so the file never goes stale; an
// explicit "status" in the file ("skipped", ...) overrides it. Problems are reported per case
// and never stop the rest of the campaign.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/LabelTable.h"
#include "core/Labelmap.h"
#include "core/Result.h"
#include "tools/History.h"

namespace delineo::app {

struct CampaignCase {
  std::string id;                      // unique within the campaign
  std::string volume;                  // study path (file or DICOM folder), relative to the campaign file
  std::string seriesUid;               // DICOM series within `volume`, when it holds several
  std::string studyUid;                // PACS study (when the case lives in the archive)
  std::vector<std::string> assignees;  // annotators of this case
  std::string statusOverride;          // "skipped", ... as written in the file; empty = derived
};

struct Campaign {
  std::string path;                    // the campaign file
  std::string name;
  core::LabelTable labels;             // the table every case must use
  std::vector<std::string> annotators;
  std::vector<std::string> reviewers;
  std::string layout = "{case}/{annotator}.seg.nrrd";  // labelmap path pattern, relative to the file
  std::vector<CampaignCase> cases;

  static core::Result<Campaign> load(const std::string& path);
  // Absolute path of a case's labelmap for an annotator, following `layout`.
  std::string labelmapPath(const CampaignCase& c, const std::string& annotator) const;
  // Absolute path of a case's study.
  std::string volumePath(const CampaignCase& c) const;
};

// Where one annotator's work on one case stands.
struct AssignmentStatus {
  std::string caseId;
  std::string annotator;
  std::string status;                 // "not started", "in progress", "submitted", "approved", "rejected", or the override
  std::vector<std::string> problems;  // per-case problems: missing study, label table mismatch, unknown annotator...
  std::map<std::string, int> labelStates;  // review state -> number of campaign labels in it
};

// Status of every assignment, in case order. Reading a case's labelmap uses io; a case that
// cannot be read gets a problem, and the others go on.
std::vector<AssignmentStatus> campaignStatus(const Campaign& campaign);

// The first case assigned to `annotator` that is neither submitted nor approved (nor
// overridden), or nullopt when there is none.
std::optional<CampaignCase> nextCase(const Campaign& campaign, const std::string& annotator);

// "Submit case" as one undo step: every label of the campaign's table set to submitted by
// `annotator` (labels the labelmap lacks are added from the table first). An error when every
// campaign label is already submitted or approved.
core::Result<tools::Step> submitCaseStep(const core::Labelmap& labelmap, const Campaign& campaign,
                                         const std::string& annotator);

}  // namespace delineo::app
