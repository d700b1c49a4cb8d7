#pragma once
// ITK-SNAP label description files: one line per label,
//   IDX  -R-  -G-  -B-  -A--  VIS MSH  LABEL
//     1  255    0    0     1   1   1    "Liver"
// with '#' comments; A is opacity 0..1.

#include <string>

#include "core/LabelTable.h"
#include "core/Result.h"

namespace delineo::io {

core::Result<core::LabelTable> parseItkSnapLabels(const std::string& text, const std::string& what);
std::string formatItkSnapLabels(const core::LabelTable& table);

core::Result<core::LabelTable> readItkSnapLabels(const std::string& path);
core::Result<void> writeItkSnapLabels(const core::LabelTable& table, const std::string& path);

}  // namespace delineo::io
