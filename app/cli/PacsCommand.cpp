#include "app/cli/PacsCommand.h"

#include <cstdio>
#include <iostream>

#include "app/cli/InfoCommand.h"
#include "app/cli/Progress.h"
#include "core/io/DicomSeries.h"

namespace delineo::app {

namespace {

void addConnection(CLI::App* cmd, PacsOptions& o) {
  io::PacsConnection& c = o.connection;
  cmd->add_option("--aet", c.ourAeTitle, "Our AE title (calling; the C-MOVE destination)")->capture_default_str();
  cmd->add_option("--aec", c.peerAeTitle, "The PACS's AE title (called)")->capture_default_str();
  cmd->add_option("--host", c.host, "PACS host")->capture_default_str();
  cmd->add_option("--port", c.port, "PACS DICOM port")->capture_default_str();
  cmd->add_option("--timeout", c.timeoutSeconds, "Seconds to wait for the PACS")->capture_default_str();
  cmd->add_flag("--tls", c.tls, "DICOM over TLS (needs --tls-ca; C-MOVE is refused over TLS)");
  cmd->add_option("--tls-ca", c.tlsTrustedCertificates, "PEM certificate(s) of the CA that signed the PACS's");
  cmd->add_option("--tls-cert", c.tlsCertificate, "PEM certificate of ours, for PACSs that require one");
  cmd->add_option("--tls-key", c.tlsPrivateKey, "PEM private key of --tls-cert (unencrypted)");
  cmd->add_flag("-q,--quiet", o.quiet, "No progress output");
}

int fail(const std::string& message) {
  std::cerr << "delineo: error: " << message << "\n";
  return 1;
}

std::string orHidden(const std::string& value, bool show) { return show ? value : "(hidden)"; }

int runFind(const PacsOptions& o) {
  io::PacsQuery query = o.query;
  if (o.level != "study" && o.level != "series") return fail("--level must be 'study' or 'series'");
  query.level = o.level == "series" ? io::PacsQuery::Level::Series : io::PacsQuery::Level::Study;
  ProgressPrinter progress(!o.quiet);
  auto matches = io::pacsFind(o.connection, query, progress.control());
  progress.finish();
  if (!matches) return fail(matches.message());
  bool series = query.level == io::PacsQuery::Level::Series;
  // The result table is what the user asked for; identity columns only on explicit request.
  if (series) {
    std::printf("%-6s %-8s %9s  %-32s %s\n", "number", "modality", "instances", "description", "series UID");
    for (const auto& m : *matches)
      std::printf("%-6s %-8s %9d  %-32s %s\n", m.seriesNumber.c_str(), m.modality.c_str(), m.instanceCount,
                  m.seriesDescription.c_str(), m.seriesInstanceUid.c_str());
  } else {
    std::printf("%-24s %-16s %-16s %-8s %-10s %9s  %-28s %s\n", "patient name", "patient ID", "accession", "date",
                "modalities", "instances", "description", "study UID");
    for (const auto& m : *matches)
      std::printf("%-24s %-16s %-16s %-8s %-10s %9d  %-28s %s\n", orHidden(m.patientName, o.showIdentity).c_str(),
                  orHidden(m.patientId, o.showIdentity).c_str(), orHidden(m.accessionNumber, o.showIdentity).c_str(),
                  m.studyDate.c_str(), m.modalitiesInStudy.c_str(), m.instanceCount, m.studyDescription.c_str(),
                  m.studyInstanceUid.c_str());
  }
  if (!o.quiet) std::cerr << matches->size() << (series ? " series" : " studies") << "\n";
  return 0;
}

int runRetrieve(const PacsOptions& o, bool move) {
  ProgressPrinter progress(!o.quiet);
  auto report = move ? io::pacsMoveSeries(o.connection, o.query.studyInstanceUid, o.seriesUid, o.output,
                                          o.receivePort, progress.control())
                     : io::pacsGetSeries(o.connection, o.query.studyInstanceUid, o.seriesUid, o.output,
                                         progress.control());
  progress.finish();
  if (!report) return fail(report.message());
  if (!o.quiet)
    std::cerr << "retrieved " << report->instanceCount << " instances of series " << io::shortUid(o.seriesUid)
              << " into " << report->folder << " (" << (move ? "C-MOVE" : "C-GET") << ")\n";
  // Open what arrived, as the viewer would.
  auto image = io::loadDicomSeries(report->folder);
  if (!image) return fail(image.message());
  printImageInfo(std::cout, report->folder, *image);
  return 0;
}

int runStore(const PacsOptions& o) {
  ProgressPrinter progress(!o.quiet);
  auto report = io::pacsStore(o.connection, o.files, progress.control());
  progress.finish();
  if (!report) return fail(report.message());
  if (!o.quiet) {
    std::cerr << "stored " << report->sentCount << " instances on " << o.connection.peerAeTitle << ":";
    for (const auto& uid : report->sopInstanceUids) std::cerr << " " << io::shortUid(uid);
    std::cerr << "\n";
  }
  return 0;
}

}  // namespace

void addPacsCommand(CLI::App& cli, PacsOptions& options) {
  auto* pacs = cli.add_subcommand("pacs", "Query, retrieve from and store to a PACS (DICOM network)");
  pacs->require_subcommand(1);

  auto* echo = pacs->add_subcommand("echo", "Check the PACS answers (C-ECHO)");
  addConnection(echo, options);

  auto* find = pacs->add_subcommand("find", "Search studies or series (C-FIND)");
  addConnection(find, options);
  find->add_option("--level", options.level, "study or series")->capture_default_str();
  find->add_option("--patient-id", options.query.patientId, "Patient ID (wildcards * ?)");
  find->add_option("--patient-name", options.query.patientName, "Patient name, DICOM PN (DOE^J*)");
  find->add_option("--date", options.query.studyDate, "Study date YYYYMMDD or range YYYYMMDD-YYYYMMDD");
  find->add_option("--modality", options.query.modality, "Modality (CT, MR, SEG...)");
  find->add_option("--accession", options.query.accessionNumber, "Accession number");
  find->add_option("--study", options.query.studyInstanceUid, "StudyInstanceUID (required for --level series)");
  find->add_flag("--show-identity", options.showIdentity, "Print patient name, ID and accession number");

  for (const char* name : {"get", "move"}) {
    bool move = std::string(name) == "move";
    auto* cmd = pacs->add_subcommand(name, move ? "Retrieve a series by C-MOVE to our own storage SCP, and open it"
                                                : "Retrieve a series by C-GET, and open it");
    addConnection(cmd, options);
    cmd->add_option("--series", options.seriesUid, "SeriesInstanceUID")->required();
    cmd->add_option("--study", options.query.studyInstanceUid, "StudyInstanceUID (looked up when omitted)");
    cmd->add_option("--out", options.output, "New folder to retrieve into")->required();
    if (move)
      cmd->add_option("--receive-port", options.receivePort, "Port our storage SCP listens on")
          ->capture_default_str();
  }

  auto* store = pacs->add_subcommand("store", "Send DICOM files, e.g. a SEG (C-STORE)");
  addConnection(store, options);
  store->add_option("files", options.files, "DICOM files")->required();
}

int runPacs(const CLI::App& cli, const PacsOptions& options) {
  const CLI::App* pacs = cli.get_subcommand("pacs");
  if (pacs->got_subcommand("echo")) {
    auto r = io::pacsEcho(options.connection);
    if (!r) return fail(r.message());
    std::cout << options.connection.peerAeTitle << " at " << options.connection.host << ":"
              << options.connection.port << " answered C-ECHO\n";
    return 0;
  }
  if (pacs->got_subcommand("find")) return runFind(options);
  if (pacs->got_subcommand("get")) return runRetrieve(options, false);
  if (pacs->got_subcommand("move")) return runRetrieve(options, true);
  if (pacs->got_subcommand("store")) return runStore(options);
  return fail("pacs: give echo, find, get, move or store");
}

}  // namespace delineo::app
