#pragma once
// How edits are written down: the names of history steps ("Brush · Bone · 5 mm") and the
// vectors of ops-script JSON, shared by the desktop and the XR editors so both read alike.

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>

#include <nlohmann/json.hpp>

#include "app/Session.h"
#include "core/Math.h"

namespace delineo::app {

// The label's name, or "label N" when the table has none.
inline std::string labelName(const Session& session, std::uint8_t id) {
  const core::Label* l = session.labelmap().labels().find(id);
  return l ? l->name : "label " + std::to_string(id);
}

// Millimetres to 0.1 mm, without trailing zeros ("5", "2.5").
inline std::string formatMm(double mm) {
  char text[32];
  std::snprintf(text, sizeof(text), "%g", std::round(mm * 10) / 10);
  return text;
}

// An ops-script point or direction: [x, y, z].
inline nlohmann::json jsonVec(core::Vec3 v) { return nlohmann::json::array({v.x, v.y, v.z}); }

}  // namespace delineo::app
