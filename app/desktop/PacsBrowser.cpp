#include "app/desktop/PacsBrowser.h"

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "app/Session.h"
#include "core/io/AtomicFile.h"
#include "core/io/DicomSeg.h"

namespace delineo::app {

namespace fs = std::filesystem;

namespace {

fs::path xdgFolder(const char* variable, const char* fallback) {
  const char* xdg = std::getenv(variable);
  if (xdg && *xdg) return fs::path(xdg);
  const char* home = std::getenv("HOME");
  return fs::path(home ? home : ".") / fallback;
}

// A folder holding files is a finished retrieve: pacsGetSeries renames its staging folder
// into place only once every instance arrived.
bool holdsFiles(const fs::path& folder) {
  std::error_code ec;
  return fs::is_directory(folder, ec) && !fs::is_empty(folder, ec) && !ec;
}

}  // namespace

std::string defaultPacsCacheFolder() { return (xdgFolder("XDG_CACHE_HOME", ".cache") / "delineo" / "pacs").string(); }

std::string defaultSettingsPath() {
  return (xdgFolder("XDG_CONFIG_HOME", ".config") / "delineo" / "settings.json").string();
}

core::Result<io::PacsConnection> loadPacsSettings(const std::string& settingsPath) {
  io::PacsConnection connection;
  std::ifstream in(settingsPath);
  if (!in) return connection;
  nlohmann::json settings = nlohmann::json::parse(in, nullptr, false);
  if (settings.is_discarded() || !settings.is_object())
    return core::makeError(settingsPath + ": not a JSON settings object (fix or remove it)");
  if (!settings.contains("pacs")) return connection;
  const nlohmann::json& pacs = settings["pacs"];
  try {
    connection.ourAeTitle = pacs.value("ourAeTitle", connection.ourAeTitle);
    connection.peerAeTitle = pacs.value("peerAeTitle", connection.peerAeTitle);
    connection.host = pacs.value("host", connection.host);
    connection.port = pacs.value("port", connection.port);
    connection.timeoutSeconds = pacs.value("timeoutSeconds", connection.timeoutSeconds);
    connection.tls = pacs.value("tls", connection.tls);
    connection.tlsTrustedCertificates = pacs.value("tlsTrustedCertificates", connection.tlsTrustedCertificates);
    connection.tlsCertificate = pacs.value("tlsCertificate", connection.tlsCertificate);
    connection.tlsPrivateKey = pacs.value("tlsPrivateKey", connection.tlsPrivateKey);
  } catch (const nlohmann::json::exception&) {
    return core::makeError(settingsPath + ": the \"pacs\" section has a value of the wrong type");
  }
  return connection;
}

core::Result<void> savePacsSettings(const std::string& settingsPath, const io::PacsConnection& connection) {
  nlohmann::json settings = nlohmann::json::object();
  if (std::ifstream in(settingsPath); in) {
    settings = nlohmann::json::parse(in, nullptr, false);
    // Never overwrite a file we cannot read: it may hold the user's other settings.
    if (settings.is_discarded() || !settings.is_object())
      return core::makeError(settingsPath + ": not a JSON settings object; the PACS settings were not saved");
  }
  settings["pacs"] = {{"ourAeTitle", connection.ourAeTitle},
                      {"peerAeTitle", connection.peerAeTitle},
                      {"host", connection.host},
                      {"port", connection.port},
                      {"timeoutSeconds", connection.timeoutSeconds},
                      {"tls", connection.tls},
                      {"tlsTrustedCertificates", connection.tlsTrustedCertificates},
                      {"tlsCertificate", connection.tlsCertificate},
                      {"tlsPrivateKey", connection.tlsPrivateKey}};
  std::error_code ec;
  fs::create_directories(fs::path(settingsPath).parent_path(), ec);
  return io::writeFileAtomically(settingsPath, settings.dump(2) + "\n");
}

PacsBrowser::PacsBrowser(std::string cacheFolder) : mCacheFolder(std::move(cacheFolder)) {}

std::string PacsBrowser::cacheFolderFor(const std::string& seriesUid) const {
  // A UID is at most 64 digits and dots: safe as a folder name, and unique where a shortened
  // one might not be.
  return (fs::path(mCacheFolder) / seriesUid).string();
}

void PacsBrowser::report(const core::Result<void>& outcome, std::string success) {
  mFailed = !outcome.ok();
  mMessage = outcome ? std::move(success) : outcome.message();
}

bool PacsBrowser::echo(BackgroundJob& job) {
  const io::PacsConnection connection = mConnection;
  return job.start(
      "Echo " + connection.peerAeTitle, [connection](const core::TaskControl&) { return io::pacsEcho(connection); },
      [this, connection](const core::Result<void>& outcome) {
        report(outcome, connection.peerAeTitle + " at " + connection.host + ":" + std::to_string(connection.port) +
                            " answered");
      });
}

bool PacsBrowser::findStudies(BackgroundJob& job) {
  const io::PacsConnection connection = mConnection;
  io::PacsQuery query = mFilters;
  query.level = io::PacsQuery::Level::Study;
  query.studyInstanceUid.clear();
  query.seriesInstanceUid.clear();
  auto found = std::make_shared<std::vector<io::PacsMatch>>();
  return job.start(
      "Searching " + connection.peerAeTitle,
      [connection, query, found](const core::TaskControl& control) -> core::Result<void> {
        auto matches = io::pacsFind(connection, query, control);
        if (!matches) return matches.error();
        *found = std::move(matches).value();
        return {};
      },
      [this, found](const core::Result<void>& outcome) {
        if (outcome) {
          mStudies = std::move(*found);
          mSeries.clear();
          mSelectedStudy = -1;
        }
        report(outcome, std::to_string(mStudies.size()) + (mStudies.size() == 1 ? " study" : " studies"));
      });
}

bool PacsBrowser::findSeries(BackgroundJob& job, int index) {
  if (index < 0 || index >= int(mStudies.size())) return false;
  const io::PacsConnection connection = mConnection;
  io::PacsQuery query;
  query.level = io::PacsQuery::Level::Series;
  query.studyInstanceUid = mStudies[std::size_t(index)].studyInstanceUid;
  auto found = std::make_shared<std::vector<io::PacsMatch>>();
  return job.start(
      "Listing series",
      [connection, query, found](const core::TaskControl& control) -> core::Result<void> {
        auto matches = io::pacsFind(connection, query, control);
        if (!matches) return matches.error();
        *found = std::move(matches).value();
        return {};
      },
      [this, found, index](const core::Result<void>& outcome) {
        if (outcome) {
          mSeries = std::move(*found);
          mSelectedStudy = index;
        }
        report(outcome, std::to_string(mSeries.size()) + " series");
      });
}

bool PacsBrowser::retrieve(BackgroundJob& job, int index, Open open) {
  if (index < 0 || index >= int(mSeries.size())) return false;
  const io::PacsMatch series = mSeries[std::size_t(index)];
  const std::string folder = cacheFolderFor(series.seriesInstanceUid);
  if (holdsFiles(folder)) {
    report({}, "Opened series " + io::shortUid(series.seriesInstanceUid) + " from the cache");
    if (open) open(folder, series.seriesInstanceUid);
    return true;
  }
  const io::PacsConnection connection = mConnection;
  const std::string cache = mCacheFolder;
  return job.start(
      "Retrieving series " + series.seriesNumber,
      [connection, series, folder, cache](const core::TaskControl& control) -> core::Result<void> {
        std::error_code ec;
        fs::create_directories(cache, ec);
        if (ec) return core::makeError("cannot create the PACS cache folder " + cache + ": " + ec.message());
        auto got = io::pacsGetSeries(connection, series.studyInstanceUid, series.seriesInstanceUid, folder, control);
        if (!got) return got.error();
        return {};
      },
      [this, series, folder, open = std::move(open)](const core::Result<void>& outcome) {
        report(outcome, "Retrieved series " + io::shortUid(series.seriesInstanceUid));
        if (outcome && open) open(folder, series.seriesInstanceUid);
      });
}

bool PacsBrowser::storeSeg(BackgroundJob& job, const Session& session) {
  if (job.busy()) return false;
  if (!session.image().dicom) {
    report(core::makeError("The open study was not loaded from DICOM: a DICOM SEG needs the DICOM series it was "
                           "drawn on (retrieve the series from the PACS or open its DICOM folder)"),
           "");
    return false;
  }
  // Written here on the UI thread, so that the labelmap cannot change under the writer; only
  // the network transfer runs in the background.
  std::error_code ec;
  fs::path temp = fs::temp_directory_path(ec) /
                  ("delineo-seg-" + std::to_string(::getpid()) + "-" + std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()) + ".dcm");
  auto written = io::writeDicomSeg(session.labelmap(), session.image(), temp.string());
  if (!written) {
    report(written.error(), "");
    return false;
  }
  const io::PacsConnection connection = mConnection;
  const std::string path = temp.string();
  const std::string seriesUid = written->seriesInstanceUid;
  const bool started = job.start(
      "Storing SEG on " + connection.peerAeTitle,
      [connection, path](const core::TaskControl& control) -> core::Result<void> {
        auto stored = io::pacsStore(connection, {path}, control);
        std::error_code removeError;
        fs::remove(path, removeError);
        if (!stored) return stored.error();
        return {};
      },
      [this, connection, seriesUid](const core::Result<void>& outcome) {
        report(outcome, "Stored SEG series " + io::shortUid(seriesUid) + " on " + connection.peerAeTitle);
      });
  if (!started) fs::remove(temp, ec);
  return started;
}

}  // namespace delineo::app
