#include "app/Campaign.h"

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "core/LabelTableJson.h"
#include "core/io/ImageIO.h"

namespace delineo::app {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string replaceAll(std::string text, const std::string& from, const std::string& to) {
  for (std::size_t pos = text.find(from); pos != std::string::npos; pos = text.find(from, pos + to.size()))
    text.replace(pos, from.size(), to);
  return text;
}

std::vector<std::string> strings(const json& j, const char* key) {
  std::vector<std::string> out;
  if (j.contains(key) && j[key].is_array())
    for (const auto& v : j[key])
      if (v.is_string()) out.push_back(v.get<std::string>());
  return out;
}

}  // namespace

core::Result<Campaign> Campaign::load(const std::string& path) {
  std::ifstream in(path);
  if (!in) return core::makeError(path + ": cannot open the campaign file");
  json j = json::parse(in, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return core::makeError(path + ": not a JSON campaign file");
  Campaign c;
  c.path = fs::absolute(path).string();
  try {
    c.name = j.value("name", fs::path(path).stem().string());
    if (j.contains("labels")) {
      auto labels = core::labelTableFromJson(j["labels"]);
      if (!labels) return core::makeError(path + ": \"labels\": " + labels.message());
      c.labels = std::move(labels).value();
    }
    c.annotators = strings(j, "annotators");
    c.reviewers = strings(j, "reviewers");
    c.layout = j.value("layout", c.layout);
    if (!j.contains("cases") || !j["cases"].is_array()) return core::makeError(path + ": \"cases\" must be a list");
    for (const auto& e : j["cases"]) {
      CampaignCase k;
      k.id = e.value("id", "");
      if (k.id.empty()) return core::makeError(path + ": case " + std::to_string(c.cases.size() + 1) + " has no \"id\"");
      for (const auto& other : c.cases)
        if (other.id == k.id) return core::makeError(path + ": case id '" + k.id + "' appears twice");
      k.volume = e.value("volume", "");
      k.seriesUid = e.value("series_uid", "");
      k.studyUid = e.value("study_uid", "");
      k.assignees = strings(e, "assignees");
      if (k.assignees.empty()) k.assignees = c.annotators;
      k.statusOverride = e.value("status", "");
      c.cases.push_back(std::move(k));
    }
  } catch (const json::exception& e) {
    return core::makeError(path + ": a field has the wrong type (" + e.what() + ")");
  }
  return c;
}

std::string Campaign::labelmapPath(const CampaignCase& c, const std::string& annotator) const {
  std::string relative = replaceAll(replaceAll(layout, "{case}", c.id), "{annotator}", annotator);
  return (fs::path(path).parent_path() / relative).lexically_normal().string();
}

std::string Campaign::volumePath(const CampaignCase& c) const {
  if (c.volume.empty()) return {};
  fs::path p(c.volume);
  return p.is_absolute() ? p.string() : (fs::path(path).parent_path() / p).lexically_normal().string();
}

std::vector<AssignmentStatus> campaignStatus(const Campaign& campaign) {
  std::vector<AssignmentStatus> out;
  for (const auto& c : campaign.cases) {
    std::string volume = campaign.volumePath(c);
    std::error_code ec;
    std::string caseProblem;
    if (volume.empty() && c.studyUid.empty()) caseProblem = "case " + c.id + ": names neither a volume nor a PACS study";
    else if (!volume.empty() && !fs::exists(volume, ec)) caseProblem = "case " + c.id + ": study not found at " + volume;
    for (const auto& annotator : c.assignees) {
      AssignmentStatus s;
      s.caseId = c.id;
      s.annotator = annotator;
      if (!caseProblem.empty()) s.problems.push_back(caseProblem);
      if (!campaign.annotators.empty() &&
          std::find(campaign.annotators.begin(), campaign.annotators.end(), annotator) == campaign.annotators.end())
        s.problems.push_back("case " + c.id + ": '" + annotator + "' is not one of the campaign's annotators");
      const std::string labelmap = campaign.labelmapPath(c, annotator);
      if (!fs::exists(labelmap, ec)) {
        s.status = "not started";
      } else if (auto m = io::readLabelmap(labelmap); !m) {
        s.status = "unreadable";
        s.problems.push_back("case " + c.id + ": " + m.message());
      } else {
        // Every campaign label must be present with the same name; extra labels are reported.
        int approved = 0, submitted = 0, rejected = 0;
        for (const auto& expected : campaign.labels.labels()) {
          const core::Label* l = m->labels().find(expected.id);
          if (!l) {
            s.problems.push_back("case " + c.id + ": label " + std::to_string(expected.id) + " '" + expected.name +
                                 "' is missing from " + labelmap);
            ++s.labelStates["missing"];
            continue;
          }
          if (l->name != expected.name)
            s.problems.push_back("case " + c.id + ": label " + std::to_string(expected.id) + " is '" + l->name +
                                 "', the campaign calls it '" + expected.name + "'");
          ++s.labelStates[core::reviewStateName(l->review.state)];
          approved += l->review.state == core::Review::State::Approved;
          submitted += l->review.state == core::Review::State::Submitted;
          rejected += l->review.state == core::Review::State::Rejected;
        }
        for (const auto& l : m->labels().labels())
          if (!campaign.labels.empty() && !campaign.labels.find(l.id))
            s.problems.push_back("case " + c.id + ": label " + std::to_string(l.id) + " '" + l.name +
                                 "' is not in the campaign's label table");
        const int total = static_cast<int>(campaign.labels.size());
        if (rejected > 0) s.status = "rejected";
        else if (total > 0 && approved == total) s.status = "approved";
        else if (total > 0 && approved + submitted == total) s.status = "submitted";
        else s.status = "in progress";
      }
      if (!c.statusOverride.empty()) s.status = c.statusOverride;
      out.push_back(std::move(s));
    }
  }
  return out;
}

std::optional<CampaignCase> nextCase(const Campaign& campaign, const std::string& annotator) {
  auto statuses = campaignStatus(campaign);
  for (const auto& c : campaign.cases) {
    if (std::find(c.assignees.begin(), c.assignees.end(), annotator) == c.assignees.end()) continue;
    std::error_code ec;
    if (c.volume.empty() || !fs::exists(campaign.volumePath(c), ec)) continue;  // cannot be opened here
    for (const auto& s : statuses)
      if (s.caseId == c.id && s.annotator == annotator &&
          (s.status == "not started" || s.status == "in progress" || s.status == "rejected"))
        return c;
  }
  return std::nullopt;
}

core::Result<tools::Step> submitCaseStep(const core::Labelmap& labelmap, const Campaign& campaign,
                                         const std::string& annotator) {
  if (campaign.labels.empty()) return core::makeError("the campaign has no label table to submit");
  core::LabelTable after = labelmap.labels();
  bool changed = false;
  for (const core::Label& expected : campaign.labels.labels()) {
    core::Label label = after.find(expected.id) ? *after.find(expected.id) : expected;
    if (label.review.state == core::Review::State::Submitted || label.review.state == core::Review::State::Approved)
      continue;
    label.review = core::Review{core::Review::State::Submitted, annotator, ""};
    if (auto r = after.set(label); !r) return r.error();
    changed = true;
  }
  if (!changed) return core::makeError("every campaign label is already submitted or approved");
  tools::Step step;
  step.name = "Submit case";
  step.tool = "campaign.submit";
  step.paramsJson = json{{"campaign", campaign.name}}.dump();
  step.tableBefore = labelmap.labels();
  step.tableAfter = std::move(after);
  return step;
}

}  // namespace delineo::app
