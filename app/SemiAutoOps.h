#pragma once
// Operation-script entries of the semi-automatic tools (grow, grow_from_seeds, contour,
// interpolate, scissors, threshold, islands, fill_holes, margin, smooth, logical). Each is
// validated completely before the labelmap is touched, then committed as one Session step.

#include <optional>

#include <nlohmann/json.hpp>

#include "app/OpsScript.h"
#include "core/TaskControl.h"
#include "tools/RegionGrow.h"

namespace delineo::app {

// The outcome when `op["tool"]` names one of these tools; nullopt for any other tool.
std::optional<core::Result<OpOutcome>> applySemiAutoOperation(Session& session, const nlohmann::json& op);

struct GrowOperationOutcome {
  OpOutcome step;             // the committed step
  tools::GrowOutcome grow;    // what was grown: region size, seeds in range, time of the algorithm alone
};

// The "grow" operation (`op["tool"] == "grow"`), with what it grew and cancel/progress: the same
// validation, step and journal record as in a script. `delineo grow` commits through this.
core::Result<GrowOperationOutcome> applyGrowOperation(Session& session, const nlohmann::json& op,
                                                     const core::TaskControl& control = {});

}  // namespace delineo::app
