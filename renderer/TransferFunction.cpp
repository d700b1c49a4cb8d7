#include "renderer/TransferFunction.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

namespace delineo::renderer {

namespace {

template <typename P, typename Get>
auto interpolate(const std::vector<P>& points, double v, Get get) {
  if (v <= points.front().value) return get(points.front());
  if (v >= points.back().value) return get(points.back());
  auto it = std::upper_bound(points.begin(), points.end(), v,
                             [](double x, const P& p) { return x < p.value; });
  const P& b = *it;
  const P& a = *(it - 1);
  double f = b.value > a.value ? (v - a.value) / (b.value - a.value) : 1.0;
  auto ga = get(a);
  auto gb = get(b);
  decltype(ga) r{};
  for (size_t i = 0; i < ga.size(); ++i)
    r[i] = static_cast<float>(ga[i] + (gb[i] - ga[i]) * f);
  return r;
}

}  // namespace

std::array<float, 4> TransferFunction::evaluate(double value) const {
  std::array<float, 3> rgb{1, 1, 1};
  if (!colors.empty()) rgb = interpolate(colors, value, [](const ColorPoint& p) { return p.rgb; });
  float a = 0;
  if (!opacities.empty())
    a = interpolate(opacities, value, [](const OpacityPoint& p) {
      return std::array<float, 1>{p.opacity};
    })[0];
  return {rgb[0], rgb[1], rgb[2], a};
}

std::pair<double, double> TransferFunction::domain() const {
  double lo = 1e300, hi = -1e300;
  for (const auto& c : colors) lo = std::min(lo, c.value), hi = std::max(hi, c.value);
  for (const auto& o : opacities) lo = std::min(lo, o.value), hi = std::max(hi, o.value);
  if (lo > hi) return {0, 1};
  if (hi <= lo) hi = lo + 1;
  return {lo, hi};
}

std::vector<std::array<float, 4>> TransferFunction::bake(int size, double stepMm) const {
  auto [lo, hi] = domain();
  std::vector<std::array<float, 4>> table(static_cast<size_t>(size));
  double exponent = stepMm / std::max(1e-6, opacityUnitDistanceMm);
  for (int e = 0; e < size; ++e) {
    auto c = evaluate(lo + (hi - lo) * e / (size - 1));
    c[3] = static_cast<float>(1.0 - std::pow(1.0 - std::clamp(double(c[3]), 0.0, 1.0), exponent));
    table[static_cast<size_t>(e)] = c;
  }
  return table;
}

core::Result<TransferFunction> loadTransferFunction(const std::string& path) {
  std::ifstream in(path);
  if (!in) return core::makeError(path + ": cannot open the transfer-function preset");
  nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    return core::makeError(path + ": not a JSON object (expected a transfer-function preset)");
  TransferFunction tf;
  tf.name = j.value("name", std::filesystem::path(path).stem().string());
  tf.opacityUnitDistanceMm = j.value("opacity_unit_distance_mm", 1.0);
  if (j.contains("window")) {
    tf.windowWidth = j["window"].value("width", tf.windowWidth);
    tf.windowLevel = j["window"].value("level", tf.windowLevel);
  }
  tf.isoValue = j.value("iso_value", tf.isoValue);
  auto bad = [&](const std::string& what) {
    return core::makeError(path + ": " + what);
  };
  if (!j.contains("color") || !j["color"].is_array() || j["color"].empty())
    return bad("'color' must be a non-empty array of [value, r, g, b]");
  if (!j.contains("opacity") || !j["opacity"].is_array() || j["opacity"].empty())
    return bad("'opacity' must be a non-empty array of [value, opacity]");
  for (const auto& p : j["color"]) {
    if (!p.is_array() || p.size() != 4 || !p[0].is_number())
      return bad("each 'color' point must be [value, r, g, b]");
    tf.colors.push_back({p[0].get<double>(),
                         {p[1].get<float>(), p[2].get<float>(), p[3].get<float>()}});
  }
  for (const auto& p : j["opacity"]) {
    if (!p.is_array() || p.size() != 2 || !p[0].is_number())
      return bad("each 'opacity' point must be [value, opacity]");
    tf.opacities.push_back({p[0].get<double>(), p[1].get<float>()});
  }
  auto byValue = [](const auto& a, const auto& b) { return a.value < b.value; };
  if (!std::is_sorted(tf.colors.begin(), tf.colors.end(), byValue) ||
      !std::is_sorted(tf.opacities.begin(), tf.opacities.end(), byValue))
    return bad("points must be sorted by value");
  return tf;
}

std::string presetsDirectory() {
  if (const char* env = std::getenv("DELINEO_PRESETS_DIR"); env && *env) return env;
  return DELINEO_PRESETS_DIR;
}

std::vector<std::string> presetNames() {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(presetsDirectory(), ec))
    if (e.path().extension() == ".json") names.push_back(e.path().stem().string());
  std::sort(names.begin(), names.end());
  return names;
}

core::Result<TransferFunction> loadPreset(const std::string& name) {
  std::string path = presetsDirectory() + "/" + name + ".json";
  if (!std::filesystem::exists(path)) {
    std::string list;
    for (const auto& n : presetNames()) list += (list.empty() ? "" : ", ") + n;
    return core::makeError("no transfer-function preset named '" + name + "' in " +
                           presetsDirectory() + " (presets: " + list + ")");
  }
  return loadTransferFunction(path);
}

}  // namespace delineo::renderer
