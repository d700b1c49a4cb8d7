#include "core/LabelTableJson.h"

namespace delineo::core {

namespace {

nlohmann::json codeJson(const Code& c) { return {c.value, c.scheme, c.meaning}; }

Code codeFrom(const nlohmann::json& j) {
  if (!j.is_array() || j.size() != 3) return {};
  return {j[0].get<std::string>(), j[1].get<std::string>(), j[2].get<std::string>()};
}

}  // namespace

nlohmann::json toJson(const LabelTable& table) {
  nlohmann::json labels = nlohmann::json::array();
  for (const auto& l : table.labels()) {
    nlohmann::json j{{"id", l.id},
                     {"name", l.name},
                     {"rgba", {l.rgba[0], l.rgba[1], l.rgba[2], l.rgba[3]}},
                     {"visible", l.visible},
                     {"locked", l.locked}};
    if (!l.terminology.empty())
      j["terminology"] = {{"category", codeJson(l.terminology.category)},
                          {"type", codeJson(l.terminology.type)},
                          {"modifier", codeJson(l.terminology.typeModifier)}};
    if (l.review != Review{})
      j["review"] = {{"state", reviewStateName(l.review.state)}, {"reviewer", l.review.reviewer},
                     {"comment", l.review.comment}};
    labels.push_back(std::move(j));
  }
  return labels;
}

Result<LabelTable> labelTableFromJson(const nlohmann::json& j) {
  try {
    LabelTable table;
    for (const auto& e : j) {
      Label l;
      int id = e.at("id").get<int>();
      if (id < 1 || id > 255) return makeError("label id " + std::to_string(id) + " is outside 1..255");
      l.id = static_cast<std::uint8_t>(id);
      l.name = e.at("name").get<std::string>();
      auto rgba = e.at("rgba");
      for (int c = 0; c < 4; ++c) l.rgba[c] = rgba.at(c).get<std::uint8_t>();
      l.visible = e.value("visible", true);
      l.locked = e.value("locked", false);
      if (e.contains("terminology")) {
        const auto& t = e["terminology"];
        l.terminology.category = codeFrom(t.value("category", nlohmann::json()));
        l.terminology.type = codeFrom(t.value("type", nlohmann::json()));
        l.terminology.typeModifier = codeFrom(t.value("modifier", nlohmann::json()));
      }
      if (e.contains("review")) {
        const auto& r = e["review"];
        auto state = parseReviewState(r.value("state", "draft"));
        if (!state) return makeError("unknown review state '" + r.value("state", "") + "'");
        l.review = {*state, r.value("reviewer", ""), r.value("comment", "")};
      }
      if (auto r = table.set(l); !r) return r.error();
    }
    return table;
  } catch (const nlohmann::json::exception& e) {
    return makeError(std::string("malformed label table: ") + e.what());
  }
}

}  // namespace delineo::core
