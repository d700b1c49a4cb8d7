#pragma once
// Label table operations as undoable steps: add, rename, recolour, set terminology, lock,
// hide, merge two labels, delete (clearing its voxels). Each function changes the labelmap and
// returns the Step that records the change; the caller commits it (Session).

#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include "core/Labelmap.h"
#include "core/Result.h"
#include "tools/History.h"

namespace delineo::tools {

// Adds a label; id 0 picks the smallest free id, a missing colour picks a distinct one.
core::Result<Step> addLabel(core::Labelmap& labelmap, const std::string& name, std::uint8_t id = 0,
                            std::optional<std::array<std::uint8_t, 4>> rgba = std::nullopt);
core::Result<Step> renameLabel(core::Labelmap& labelmap, std::uint8_t id, const std::string& name);
core::Result<Step> recolorLabel(core::Labelmap& labelmap, std::uint8_t id, std::array<std::uint8_t, 4> rgba);
core::Result<Step> setLabelTerminology(core::Labelmap& labelmap, std::uint8_t id, const core::Terminology& terminology);
core::Result<Step> setLabelLocked(core::Labelmap& labelmap, std::uint8_t id, bool locked);
core::Result<Step> setLabelVisible(core::Labelmap& labelmap, std::uint8_t id, bool visible);
core::Result<Step> setLabelReview(core::Labelmap& labelmap, std::uint8_t id, const core::Review& review);
// Relabels every voxel of `from` as `into` and removes `from` from the table.
core::Result<Step> mergeLabels(core::Labelmap& labelmap, std::uint8_t from, std::uint8_t into);
// Clears the label's voxels to background and removes it from the table.
core::Result<Step> deleteLabel(core::Labelmap& labelmap, std::uint8_t id);

}  // namespace delineo::tools
