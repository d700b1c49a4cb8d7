#pragma once
// Plist: a parsed Apple XML property list (dict, array, string, integer, real, true, false;
// date and data kept as text). Enough for the plists Python's plistlib writes; binary plists
// are refused. Nesting is bounded, so a hostile file cannot exhaust the stack.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/Result.h"

namespace delineo::io {

struct PlistValue {
  enum class Kind { String, Integer, Real, Boolean, Array, Dict };

  Kind kind = Kind::String;
  std::string text;                                      // String (also date and data)
  std::int64_t integer = 0;                              // Integer
  double real = 0;                                       // Real
  bool boolean = false;                                  // Boolean
  std::vector<PlistValue> array;                         // Array
  std::vector<std::pair<std::string, PlistValue>> dict;  // Dict, in file order

  // The value under `key` of a dict (the last one if repeated), or nullptr.
  const PlistValue* get(std::string_view key) const;
  // Integer or real as a double.
  std::optional<double> number() const;
  // A String's text.
  std::optional<std::string> string() const;
};

// Parses `text`; errors name `what` (typically "project.inv3: main.plist") and the problem.
core::Result<PlistValue> parsePlist(std::string_view text, const std::string& what);

}  // namespace delineo::io
