#pragma once
// Operation-script entries of the semi-automatic tools (grow, grow_from_seeds, contour,
// interpolate, scissors, threshold, islands, fill_holes, margin, smooth, logical). Each is
// validated completely before the labelmap is touched, then committed as one Session step.

#include <optional>

#include <nlohmann/json.hpp>

#include "app/OpsScript.h"

namespace delineo::app {

// The outcome when `op["tool"]` names one of these tools; nullopt for any other tool.
std::optional<core::Result<OpOutcome>> applySemiAutoOperation(Session& session, const nlohmann::json& op);

}  // namespace delineo::app
