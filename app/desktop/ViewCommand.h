#pragma once
// `delineo view`: the desktop viewer (also what `delineo` alone opens, on the bundled sample).

#include <CLI/CLI.hpp>

#include "app/desktop/DesktopApp.h"

namespace delineo::app {

struct ViewCommandOptions {
  DesktopOptions desktop;  // what the viewer opens and how
  std::string layout = "four-up";  // --layout, parsed into desktop.layout
  std::string size;        // --size WxH of the window
};

void addViewCommand(CLI::App& cli, ViewCommandOptions& options);
// Runs the viewer; the process exit code (non-zero with one line on stderr when there is no
// display or the study cannot be opened).
int runView(ViewCommandOptions& options);

}  // namespace delineo::app
