#pragma once
// PacsBrowser: what the desktop's PACS panel does, without any UI: the connection settings,
// echo, study and series queries whose matches become rows, retrieving a series into the cache
// and storing the open labelmap back as a DICOM SEG. Network work runs on the app's
// BackgroundJob (progress, cancel); results and messages are taken over on the UI thread when
// the job's completion runs. Patient identity stays in the rows: nothing here logs.

#include <functional>
#include <string>
#include <vector>

#include "app/desktop/BackgroundJob.h"
#include "core/Result.h"
#include "core/io/DicomPacs.h"

namespace delineo::app {

class Session;

// Where retrieved series are cached: $XDG_CACHE_HOME/delineo/pacs (~/.cache/delineo/pacs).
std::string defaultPacsCacheFolder();
// The desktop's settings file: $XDG_CONFIG_HOME/delineo/settings.json (~/.config/...).
std::string defaultSettingsPath();

// Reads the "pacs" section of a settings file; a missing file or section gives the defaults,
// a malformed file an error naming it.
core::Result<io::PacsConnection> loadPacsSettings(const std::string& settingsPath);
// Writes the "pacs" section atomically, keeping the file's other sections.
core::Result<void> savePacsSettings(const std::string& settingsPath, const io::PacsConnection& connection);

class PacsBrowser {
 public:
  // Opens a retrieved series folder in the viewer (called on the UI thread).
  using Open = std::function<void(const std::string& folder, const std::string& seriesUid)>;

  explicit PacsBrowser(std::string cacheFolder = defaultPacsCacheFolder());

  io::PacsConnection& connection() { return mConnection; }
  // Study-level filters the panel edits (patient ID/name, date, modality, accession).
  io::PacsQuery& filters() { return mFilters; }
  const std::vector<io::PacsMatch>& studies() const { return mStudies; }
  const std::vector<io::PacsMatch>& series() const { return mSeries; }
  // The study whose series are listed; -1: none.
  int selectedStudy() const { return mSelectedStudy; }
  // The last outcome, for the panel: an error when `failed()`.
  const std::string& message() const { return mMessage; }
  bool failed() const { return mFailed; }
  // Series folder this series is (or would be) cached in.
  std::string cacheFolderFor(const std::string& seriesUid) const;

  // Each starts work on `job` and returns false (nothing started) while it is busy.
  bool echo(BackgroundJob& job);
  bool findStudies(BackgroundJob& job);
  // Lists the series of studies()[index].
  bool findSeries(BackgroundJob& job, int index);
  // C-GET of series()[index] into its cache folder (reused when already complete), then open.
  bool retrieve(BackgroundJob& job, int index, Open open);
  // Writes the session's labelmap as a DICOM SEG referencing its DICOM series and sends it by
  // C-STORE. A study not opened from DICOM is refused with a message (returns false).
  bool storeSeg(BackgroundJob& job, const Session& session);

 private:
  void report(const core::Result<void>& outcome, std::string success);

  std::string mCacheFolder;
  io::PacsConnection mConnection;
  io::PacsQuery mFilters;
  std::vector<io::PacsMatch> mStudies;
  std::vector<io::PacsMatch> mSeries;
  int mSelectedStudy = -1;
  std::string mMessage;
  bool mFailed = false;
};

}  // namespace delineo::app
