#include "app/desktop/ViewCommand.h"
#include "app/cli/CliError.h"

#include <iostream>

namespace delineo::app {

void addViewCommand(CLI::App& cli, ViewCommandOptions& o) {
  auto* cmd = cli.add_subcommand("view", "Open a study in the desktop viewer (default: the bundled sample)");
  cmd->add_option("input", o.desktop.input, "Volume: DICOM file or folder, NIfTI, NRRD, MetaImage, .inv3");
  cmd->add_option("--campaign", o.desktop.campaign,
                  "Campaign file: open the next case assigned to --annotator (default: the OS user), "
                  "saving into the campaign's layout");
  cmd->add_option("--labels", o.desktop.labels,
                  "Labelmap to edit (read when it exists; default: <study>-labels.nii.gz beside the study "
                  "or in ~/.local/share/delineo)");
  cmd->add_option("--layout", o.layout, "four-up, 3d, axial, sagittal or coronal")->capture_default_str();
  cmd->add_option("--preset", o.desktop.preset, "Transfer function preset (default: by modality)");
  cmd->add_option("--script", o.desktop.script, "Viewer script: ops-script lines and UI input, one JSON per line");
  cmd->add_option("--frames", o.desktop.frames, "Render N frames (after loading and the script), then exit");
  cmd->add_option("--screenshot", o.desktop.screenshot, "With --frames: save the window as this PNG before exiting");
  cmd->add_option("--size", o.size, "Window size WxH (default 1600x1000)");
  cmd->add_flag("--validate", o.desktop.validate, "Enable the Vulkan validation layer (exit code 3 on any message)");
  cmd->add_flag("!--vsync", o.desktop.vsync, "Present without waiting for vertical sync");
  cmd->add_option("--gpu", o.desktop.gpu, "GPU index (default: $DELINEO_GPU, else a discrete GPU, else any)");
}

int runView(ViewCommandOptions& o) {
  const auto fail = failWith;
  auto layout = parseLayout(o.layout);
  if (!layout) return fail(layout.message());
  o.desktop.layout = *layout;
  if (!o.size.empty()) {
    auto x = o.size.find('x');
    try {
      if (x == std::string::npos) throw std::invalid_argument("size");
      o.desktop.width = std::stoi(o.size.substr(0, x));
      o.desktop.height = std::stoi(o.size.substr(x + 1));
    } catch (...) {
      return fail("--size '" + o.size + "' is not WxH (e.g. 1280x800)");
    }
    if (o.desktop.width < 200 || o.desktop.height < 150) return fail("--size must be at least 200x150");
  }
  if (!o.desktop.screenshot.empty() && o.desktop.frames <= 0) o.desktop.frames = 1;
  auto app = DesktopApp::create(o.desktop);
  if (!app) return fail(app.message());
  int code = (*app)->run();
  int messages = (*app)->validationMessages();
  if (messages > 0) {
    std::cerr << "delineo: error: " << messages << " Vulkan validation message(s)\n";
    if (code == 0) code = 3;
  }
  return code;
}

}  // namespace delineo::app
