#include "core/io/MricronLabels.h"

#include <fstream>
#include <sstream>

namespace delineo::io {

core::Result<core::LabelTable> readMricronLabels(const std::string& namesPath,
                                                 const std::string& lutPath) {
  std::ifstream names(namesPath);
  if (!names) return core::makeError(namesPath + ": cannot open the label names file");
  std::string lut;
  if (!lutPath.empty()) {
    std::ifstream in(lutPath, std::ios::binary);
    if (!in) return core::makeError(lutPath + ": cannot open the colour table");
    lut.assign(std::istreambuf_iterator<char>(in), {});
    if (lut.size() != 768)
      return core::makeError(lutPath + ": colour table has " + std::to_string(lut.size()) +
                             " bytes, expected 768 (256 reds, greens, blues)");
  }
  core::LabelTable table;
  std::string line;
  int lineNumber = 0;
  while (std::getline(names, line)) {
    ++lineNumber;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    std::istringstream fields(line);
    int id = -1;
    std::string name;
    if (!(fields >> id >> name) || id < 0 || id > 255)
      return core::makeError(namesPath + ":" + std::to_string(lineNumber) +
                             ": expected \"index name\" with an index in 0..255");
    if (id == 0) continue;
    core::Label label;
    label.id = static_cast<std::uint8_t>(id);
    label.name = name;
    label.rgba = core::LabelTable::defaultColor(label.id);
    if (!lut.empty()) {
      auto byte = [&](int plane) { return static_cast<std::uint8_t>(lut[static_cast<std::size_t>(plane * 256 + id)]); };
      label.rgba = {byte(0), byte(1), byte(2), 255};
    }
    (void)table.set(label);
  }
  if (table.empty()) return core::makeError(namesPath + ": no labels found");
  return table;
}

}  // namespace delineo::io
