#include "app/cli/ApplyCommand.h"
#include "app/cli/CliError.h"

#include <cstdio>
#include <iostream>

#include "app/OpsScript.h"
#include "app/Session.h"
#include "core/io/ImageIO.h"

namespace delineo::app {

void addApplyCommand(CLI::App& cli, ApplyOptions& options) {
  auto* cmd = cli.add_subcommand("apply", "Apply a script of tool operations to a labelmap (journaled, undoable)");
  cmd->add_option("volume", options.volume, "The study (DICOM folder, NIfTI, NRRD, MetaImage, .inv3)")->required();
  cmd->add_option("--labels", options.labels, "Labelmap to edit; created empty when it does not exist")->required();
  cmd->add_option("--ops", options.ops, "Operation script: one JSON object per line (see README)")->required();
  cmd->add_option("--out", options.out, "Save the result here (default: the --labels file)");
  cmd->add_option("--series", options.seriesUid, "DICOM SeriesInstanceUID when the folder holds several");
  cmd->add_flag("-v,--verbose", options.verbose, "Print each committed step");
}

int runApply(const ApplyOptions& options) {
  const auto fail = failWith;
  const std::string out = options.out.empty() ? options.labels : options.out;
  if (!io::isWritablePath(out)) return fail(out + ": cannot write a labelmap in this format");
  io::ReadOptions read;
  read.seriesUid = options.seriesUid;
  auto image = io::readImage(options.volume, read);
  if (!image) return fail(image.message());
  SessionOptions sessionOptions;
  sessionOptions.annotator = options.annotator;
  auto session = Session::open(std::move(image).value(), options.labels, sessionOptions);
  if (!session) return fail(session.message());
  for (const auto& notice : session->notices()) std::cerr << "delineo: " << notice << "\n";

  auto applied = runOpsFile(*session, options.ops, [&](int line, const OpOutcome& outcome) {
    if (options.verbose) {
      // Printed only once the step is journaled: a reader of this line may rely on it.
      std::printf("committed line %d: %s\n", line, outcome.stepName.c_str());
      std::fflush(stdout);
    }
  });
  // Save what was committed even when a line was rejected: the lines before it stand.
  auto saved = session->save(out);
  if (!applied) {
    if (!saved) std::cerr << "delineo: error: " << saved.message() << "\n";
    return fail(applied.message());
  }
  if (!saved) return fail(saved.message());
  std::cerr << "applied " << *applied << " operation(s); saved " << out << "\n";
  return 0;
}

}  // namespace delineo::app
