#include "tools/LabelTableJson.h"

namespace delineo::tools {

namespace {

nlohmann::json codeJson(const core::Code& c) { return {c.value, c.scheme, c.meaning}; }

core::Code codeFrom(const nlohmann::json& j) {
  if (!j.is_array() || j.size() != 3) return {};
  return {j[0].get<std::string>(), j[1].get<std::string>(), j[2].get<std::string>()};
}

}  // namespace

nlohmann::json toJson(const core::LabelTable& table) {
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
    labels.push_back(std::move(j));
  }
  return labels;
}

core::Result<core::LabelTable> labelTableFromJson(const nlohmann::json& j) {
  try {
    core::LabelTable table;
    for (const auto& e : j) {
      core::Label l;
      int id = e.at("id").get<int>();
      if (id < 1 || id > 255) return core::makeError("label id " + std::to_string(id) + " is outside 1..255");
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
      if (auto r = table.set(l); !r) return r.error();
    }
    return table;
  } catch (const nlohmann::json::exception& e) {
    return core::makeError(std::string("malformed label table: ") + e.what());
  }
}

}  // namespace delineo::tools
