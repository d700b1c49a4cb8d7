#pragma once
// `delineo pacs echo|find|get|move|store`: a PACS from the command line (DCMTK dcmnet).
// Connection: --aet (ours), --aec (the PACS's), --host, --port. find prints a table on stdout;
// patient name, ID and accession number are shown only with --show-identity. Messages on
// stderr name UIDs shortened and never patient identity. get/move retrieve a series into a new
// folder (complete or not at all) and open it; store sends DICOM files (e.g. a SEG).

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "core/io/DicomPacs.h"

namespace delineo::app {

struct PacsOptions {
  io::PacsConnection connection;  // --aet, --aec, --host, --port, --timeout, --tls
  io::PacsQuery query;            // find: --level and the filters; get/move: --study
  std::string level = "study";    // find: "study" or "series"
  bool showIdentity = false;      // find: print patient name, ID and accession number
  std::string seriesUid;          // get/move: --series
  std::string output;             // get/move: --out, a new folder
  int receivePort = 11113;        // move: port of our storage SCP (the PACS must know it)
  std::vector<std::string> files; // store: DICOM files to send
  bool quiet = false;             // no progress on stderr
};

void addPacsCommand(CLI::App& cli, PacsOptions& options);
// Runs the pacs subcommand that was given; `cli` is the parsed top-level app.
int runPacs(const CLI::App& cli, const PacsOptions& options);

}  // namespace delineo::app
