#pragma once
// LabelTable <-> JSON, as the journal and `delineo stats --json` write it.

#include <nlohmann/json.hpp>

#include "core/LabelTable.h"
#include "core/Result.h"

namespace delineo::core {

nlohmann::json toJson(const LabelTable& table);
Result<LabelTable> labelTableFromJson(const nlohmann::json& j);

}  // namespace delineo::core
