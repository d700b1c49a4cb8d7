#include "core/io/ItkSnapLabels.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "core/io/AtomicFile.h"

namespace delineo::io {

namespace {

// The comment block ITK-SNAP's "Export label descriptions" writes (trailing blanks and the
// second "IDX" included), so files we write diff cleanly against ITK-SNAP's own.
constexpr const char* kHeader =
    "################################################\n"
    "# ITK-SnAP Label Description File\n"
    "# File format: \n"
    "# IDX   -R-  -G-  -B-  -A--  VIS MSH  LABEL\n"
    "# Fields: \n"
    "#    IDX:   Zero-based index \n"
    "#    -R-:   Red color component (0..255)\n"
    "#    -G-:   Green color component (0..255)\n"
    "#    -B-:   Blue color component (0..255)\n"
    "#    -A-:   Label transparency (0.00 .. 1.00)\n"
    "#    VIS:   Label visibility (0 or 1)\n"
    "#    IDX:   Label mesh visibility (0 or 1)\n"
    "#  LABEL:   Label description \n"
    "################################################\n";

std::string formatLine(int id, int r, int g, int b, double alpha, int visible, int mesh, const std::string& name) {
  char numbers[96];
  std::snprintf(numbers, sizeof numbers, "%5d %5d %4d %4d %8g %2d %2d    ", id, r, g, b, alpha, visible, mesh);
  // ITK-SNAP does not escape quotes; its reader takes the text between the first and the
  // last quote, so an inner quote would survive, but a newline would end the line.
  std::string clean = name;
  std::replace(clean.begin(), clean.end(), '\n', ' ');
  std::replace(clean.begin(), clean.end(), '\r', ' ');
  return std::string(numbers) + "\"" + clean + "\"\n";
}

bool parseLong(const std::string& token, long& out) {
  if (token.empty()) return false;
  char* end = nullptr;
  errno = 0;
  out = std::strtol(token.c_str(), &end, 10);
  return errno == 0 && end && *end == '\0';
}

bool parseDouble(const std::string& token, double& out) {
  if (token.empty()) return false;
  char* end = nullptr;
  errno = 0;
  out = std::strtod(token.c_str(), &end);
  return errno == 0 && end && *end == '\0' && std::isfinite(out);
}

}  // namespace

core::Result<core::LabelTable> parseItkSnapLabels(const std::string& text, const std::string& what) {
  core::LabelTable table;
  std::istringstream in(text);
  std::string line;
  int lineNumber = 0;
  while (std::getline(in, line)) {
    ++lineNumber;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::size_t first = line.find_first_not_of(" \t");
    if (first == std::string::npos || line[first] == '#') continue;
    auto bad = [&](const std::string& problem) {
      return core::makeError(what + ", line " + std::to_string(lineNumber) + ": " + problem + ": \"" + line + "\"");
    };

    // Seven numbers, then the name in double quotes (which may hold spaces).
    std::size_t quote = line.find('"');
    std::string numbers = line.substr(0, quote);
    std::string name;
    if (quote != std::string::npos) {
      std::size_t close = line.rfind('"');
      if (close == quote) return bad("the label name has no closing quote");
      name = line.substr(quote + 1, close - quote - 1);
      if (line.find_first_not_of(" \t", close + 1) != std::string::npos)
        return bad("unexpected text after the label name");
    }
    std::istringstream fields(numbers);
    std::vector<std::string> tokens;
    for (std::string t; fields >> t;) tokens.push_back(t);
    if (tokens.size() != 7)
      return bad("expected 7 numbers (IDX R G B A VIS MSH) before the quoted name, found " +
                 std::to_string(tokens.size()));
    long values[7] = {};
    double alpha = 0;
    for (int f = 0; f < 7; ++f) {
      bool ok = f == 4 ? parseDouble(tokens[f], alpha) : parseLong(tokens[f], values[f]);
      if (!ok) return bad("\"" + tokens[f] + "\" is not a number");
    }
    if (values[0] < 0 || values[0] > 255) return bad("label id " + tokens[0] + " is outside 0..255");
    for (int c = 1; c <= 3; ++c)
      if (values[c] < 0 || values[c] > 255) return bad("colour component " + tokens[c] + " is outside 0..255");
    if (alpha < 0 || alpha > 1) return bad("opacity " + tokens[4] + " is outside 0..1");
    if (quote == std::string::npos) return bad("the label name must be in double quotes");
    // Id 0 is ITK-SNAP's "Clear Label" (background): it has no entry in our table.
    if (values[0] == 0) continue;

    core::Label label;
    label.id = static_cast<std::uint8_t>(values[0]);
    label.name = name.empty() ? "Label " + std::to_string(values[0]) : name;
    label.rgba = {static_cast<std::uint8_t>(values[1]), static_cast<std::uint8_t>(values[2]),
                  static_cast<std::uint8_t>(values[3]),
                  static_cast<std::uint8_t>(std::lround(alpha * 255.0))};
    label.visible = values[5] != 0;
    // A later line for the same id replaces the earlier one, as in ITK-SNAP.
    (void)table.set(label);
  }
  return table;
}

std::string formatItkSnapLabels(const core::LabelTable& table) {
  std::string text = kHeader;
  text += formatLine(0, 0, 0, 0, 0.0, 0, 0, "Clear Label");
  for (const core::Label& l : table.labels()) {
    int visible = l.visible ? 1 : 0;
    // %g keeps six digits, enough for a/255 to round back to the same byte.
    text += formatLine(l.id, l.rgba[0], l.rgba[1], l.rgba[2], l.rgba[3] / 255.0, visible, visible, l.name);
  }
  return text;
}

core::Result<core::LabelTable> readItkSnapLabels(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::makeError(path + ": cannot open the label description file: " + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return core::makeError(path + ": cannot read the label description file");
  return parseItkSnapLabels(text.str(), path);
}

core::Result<void> writeItkSnapLabels(const core::LabelTable& table, const std::string& path) {
  return writeFileAtomically(path, formatItkSnapLabels(table));
}

}  // namespace delineo::io
