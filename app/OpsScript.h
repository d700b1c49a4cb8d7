#pragma once
// Tool operations as JSON objects (one per line in an ops script, `delineo apply`): each is
// validated completely before it touches the labelmap, then performed and committed through
// the Session, exactly as an interactive edit. The schema is documented in the README.

#include <string>

#include <nlohmann/json.hpp>

#include "app/Session.h"
#include "core/Result.h"

namespace delineo::app {

struct OpOutcome {
  bool changed = false;  // a step was committed (or undone/redone)
  std::string stepName;  // "Brush 8 mm · Liver"
};

// Performs one operation. On error nothing was changed.
core::Result<OpOutcome> applyOperation(Session& session, const nlohmann::json& op);

// Runs an ops file line by line (blank lines and lines starting with '#' are skipped). Stops
// at the first bad line with "FILE:LINE: reason"; the lines before it stay committed.
// `onStep` is called after each committed line.
core::Result<int> runOpsFile(Session& session, const std::string& path,
                             const std::function<void(int line, const OpOutcome&)>& onStep = {});

}  // namespace delineo::app
