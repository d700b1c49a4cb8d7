#include "core/LabelTable.h"

#include <algorithm>
#include <cmath>

namespace delineo::core {

const char* reviewStateName(Review::State state) {
  switch (state) {
    case Review::State::Draft: return "draft";
    case Review::State::Submitted: return "submitted";
    case Review::State::Approved: return "approved";
    case Review::State::Rejected: return "rejected";
  }
  return "draft";
}

std::optional<Review::State> parseReviewState(const std::string& name) {
  for (auto s : {Review::State::Draft, Review::State::Submitted, Review::State::Approved, Review::State::Rejected})
    if (name == reviewStateName(s)) return s;
  return std::nullopt;
}

const Label* LabelTable::find(std::uint8_t id) const {
  auto it = std::lower_bound(mLabels.begin(), mLabels.end(), id,
                             [](const Label& l, std::uint8_t v) { return l.id < v; });
  return (it != mLabels.end() && it->id == id) ? &*it : nullptr;
}

Label* LabelTable::find(std::uint8_t id) {
  return const_cast<Label*>(static_cast<const LabelTable*>(this)->find(id));
}

const Label* LabelTable::findByName(const std::string& name) const {
  for (const auto& l : mLabels)
    if (l.name == name) return &l;
  return nullptr;
}

Result<void> LabelTable::set(const Label& label) {
  if (label.id == 0) return makeError("label id 0 is the background and cannot be defined");
  auto it = std::lower_bound(mLabels.begin(), mLabels.end(), label.id,
                             [](const Label& l, std::uint8_t v) { return l.id < v; });
  if (it != mLabels.end() && it->id == label.id)
    *it = label;
  else
    mLabels.insert(it, label);
  return {};
}

std::optional<std::uint8_t> LabelTable::freeId() const {
  int expected = 1;
  for (const auto& l : mLabels) {
    if (l.id != expected) break;
    ++expected;
  }
  if (expected > 255) return std::nullopt;
  return static_cast<std::uint8_t>(expected);
}

Result<std::uint8_t> LabelTable::add(const std::string& name) {
  auto id = freeId();
  if (!id) return makeError("all 255 label ids are in use");
  Label l;
  l.id = *id;
  l.name = name.empty() ? "Label " + std::to_string(*id) : name;
  l.rgba = defaultColor(*id);
  auto r = set(l);
  if (!r) return r.error();
  return *id;
}

bool LabelTable::remove(std::uint8_t id) {
  auto it = std::find_if(mLabels.begin(), mLabels.end(), [&](const Label& l) { return l.id == id; });
  if (it == mLabels.end()) return false;
  mLabels.erase(it);
  return true;
}

std::array<std::uint8_t, 4> LabelTable::defaultColor(std::uint8_t id) {
  // The first colours follow common anatomy palettes; beyond them, golden-angle hues.
  static const std::array<std::array<std::uint8_t, 3>, 10> kPalette{{
      {128, 174, 128}, {241, 214, 145}, {177, 122, 101}, {111, 184, 210}, {216, 101, 79},
      {221, 130, 101}, {144, 238, 144}, {192, 104, 88}, {220, 245, 20}, {78, 63, 0}}};
  if (id >= 1 && id <= kPalette.size()) {
    auto c = kPalette[id - 1];
    return {c[0], c[1], c[2], 255};
  }
  double h = std::fmod(id * 0.618033988749895, 1.0) * 6.0;
  double s = 0.65, v = 0.9;
  int sector = static_cast<int>(h);
  double f = h - sector;
  double p = v * (1 - s), q = v * (1 - s * f), t = v * (1 - s * (1 - f));
  double r = v, g = t, b = p;
  switch (sector % 6) {
    case 0: r = v; g = t; b = p; break;
    case 1: r = q; g = v; b = p; break;
    case 2: r = p; g = v; b = t; break;
    case 3: r = p; g = q; b = v; break;
    case 4: r = t; g = p; b = v; break;
    default: r = v; g = p; b = q; break;
  }
  auto to8 = [](double x) { return static_cast<std::uint8_t>(std::clamp(x * 255.0 + 0.5, 0.0, 255.0)); };
  return {to8(r), to8(g), to8(b), 255};
}

}  // namespace delineo::core
