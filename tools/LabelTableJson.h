#pragma once
// LabelTable <-> JSON, as the journal and `delineo stats --json` write it.

#include <nlohmann/json.hpp>

#include "core/LabelTable.h"
#include "core/Result.h"

namespace delineo::tools {

nlohmann::json toJson(const core::LabelTable& table);
core::Result<core::LabelTable> labelTableFromJson(const nlohmann::json& j);

}  // namespace delineo::tools
