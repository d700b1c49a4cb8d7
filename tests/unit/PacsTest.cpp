// Specifications of the PACS client against a real PACS: Debian's Orthanc, started on loopback
// by the `orthanc` ctest fixture (tests/data/orthanc-fixture.sh), which writes its ports to
// DELINEO_ORTHANC_DIR/ports.env. Seeded by our own C-STORE of a phantom series. The desktop
// panel's model, app::PacsBrowser, is specified here too (Pacs.Browser*).

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <iterator>
#include <fstream>
#include <map>

#include "app/Session.h"
#include "app/desktop/PacsBrowser.h"
#include "core/io/DicomPacs.h"
#include "core/io/DicomSeg.h"
#include "core/io/DicomSeries.h"
#include "tests/unit/DicomPhantom.h"
#include "tests/unit/TestSupport.h"

namespace delineo::test {
namespace {

namespace fs = std::filesystem;

const char* const kPatientName = "Phantom^Secret";
const char* const kPatientId = "PHANTOM-ID-0042";

std::map<std::string, int> orthancPorts() {
  std::map<std::string, int> ports;
  std::ifstream in(std::string(DELINEO_ORTHANC_DIR) + "/ports.env");
  for (std::string line; std::getline(in, line);) {
    auto eq = line.find('=');
    if (eq != std::string::npos) ports[line.substr(0, eq)] = std::stoi(line.substr(eq + 1));
  }
  return ports;
}

class Pacs : public ::testing::Test {
 protected:
  void SetUp() override {
    auto ports = orthancPorts();
    ASSERT_TRUE(ports.count("ORTHANC_DICOM_PORT")) << "Orthanc fixture not running (" << DELINEO_ORTHANC_DIR << ")";
    mHttpPort = ports["ORTHANC_HTTP_PORT"];
    mScpPort = ports["DELINEO_SCP_PORT"];
    mTlsPort = ports.count("ORTHANC_TLS_DICOM_PORT") ? ports["ORTHANC_TLS_DICOM_PORT"] : 0;
    mPacs.port = ports["ORTHANC_DICOM_PORT"];
    mPacs.timeoutSeconds = 10;
  }

  // A phantom series stored on the PACS by our own C-STORE.
  PhantomSeries seed(const fs::path& dir) {
    PhantomSpec spec;
    spec.geometry = obliquePhantomGeometry();
    spec.stored = defaultPhantomValue;
    spec.patientName = kPatientName;
    PhantomSeries series = writePhantomSeries(spec, dir);
    std::vector<std::string> files;
    for (const auto& f : series.files) files.push_back(f.string());
    auto stored = io::pacsStore(mPacs, files);
    EXPECT_TRUE(stored.ok()) << (stored.ok() ? "" : stored.message());
    if (stored) {
      EXPECT_EQ(stored->sentCount, int(files.size()));
    }
    return series;
  }

  // Orthanc's own answer (REST), not ours: does it hold this SOP instance?
  bool orthancHolds(const std::string& sopInstanceUid) {
    std::string out;
    int rc = runCommand("curl -sf -X POST http://127.0.0.1:" + std::to_string(mHttpPort) +
                            "/tools/find -d '{\"Level\":\"Instance\",\"Query\":{\"SOPInstanceUID\":\"" +
                            sopInstanceUid + "\"}}'",
                        &out);
    return rc == 0 && out.find('"') != std::string::npos;  // a non-empty JSON list of ids
  }

  io::PacsConnection mPacs;
  int mHttpPort = 0;
  int mScpPort = 0;
  int mTlsPort = 0;  // the fixture's TLS-only Orthanc; 0 when it has none (no openssl)
};

void expectNoIdentity(const std::string& text) {
  EXPECT_EQ(text.find("Secret"), std::string::npos) << text;
  EXPECT_EQ(text.find(kPatientId), std::string::npos) << text;
}

TEST_F(Pacs, EchoAnswersAndBadConnectionsSayWhatIsWrong) {
  EXPECT_TRUE(io::pacsEcho(mPacs).ok());

  io::PacsConnection wrongAe = mPacs;
  wrongAe.peerAeTitle = "NOT-ORTHANC";  // Orthanc checks the called AE title
  auto rejected = io::pacsEcho(wrongAe);
  ASSERT_FALSE(rejected.ok());
  EXPECT_NE(rejected.message().find("rejected the association"), std::string::npos) << rejected.message();
  EXPECT_NE(rejected.message().find("NOT-ORTHANC"), std::string::npos) << rejected.message();

  io::PacsConnection closed = mPacs;
  closed.port = mScpPort;  // nobody listens there outside a C-MOVE
  auto refused = io::pacsEcho(closed);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.message().find("cannot reach"), std::string::npos) << refused.message();

  io::PacsConnection tls = mPacs;
  tls.tls = true;
  auto noTls = io::pacsEcho(tls);
  ASSERT_FALSE(noTls.ok());
  EXPECT_NE(noTls.message().find("TLS"), std::string::npos);
}

TEST_F(Pacs, OverDicomTlsEchoStoreFindAndGetWork) {
  if (mTlsPort == 0) GTEST_SKIP() << "the fixture has no TLS Orthanc (openssl missing)";
  io::PacsConnection tls = mPacs;
  tls.port = mTlsPort;
  tls.tls = true;
  tls.tlsTrustedCertificates = std::string(DELINEO_ORTHANC_DIR) + "/tls/ca.crt";
  ASSERT_TRUE(io::pacsEcho(tls).ok()) << io::pacsEcho(tls).message();

  fs::path dir = scratchDir("Pacs.Tls");
  PhantomSpec spec;
  spec.geometry = obliquePhantomGeometry();
  spec.stored = defaultPhantomValue;
  spec.patientName = kPatientName;
  PhantomSeries series = writePhantomSeries(spec, dir / "ct");
  std::vector<std::string> files;
  for (const auto& f : series.files) files.push_back(f.string());
  auto stored = io::pacsStore(tls, files);
  ASSERT_TRUE(stored.ok()) << stored.message();
  EXPECT_EQ(stored->sentCount, int(files.size()));
  io::PacsQuery query;
  query.level = io::PacsQuery::Level::Series;
  query.seriesInstanceUid = series.seriesUid;
  auto found = io::pacsFind(tls, query);
  ASSERT_TRUE(found.ok()) << found.message();
  ASSERT_EQ(found->size(), 1u);
  auto got = io::pacsGetSeries(tls, "", series.seriesUid, (dir / "get").string());
  ASSERT_TRUE(got.ok()) << got.message();
  auto image = io::loadDicomSeries((dir / "get").string());
  ASSERT_TRUE(image.ok()) << image.message();
  EXPECT_EQ(image->volume.geometry().dims, spec.geometry.dims);

  // In clear to the TLS port, TLS to the plain port, an untrusted PACS: refused, saying why.
  io::PacsConnection clear = tls;
  clear.tls = false;
  clear.timeoutSeconds = 3;
  EXPECT_FALSE(io::pacsEcho(clear).ok());
  io::PacsConnection tlsToPlain = tls;
  tlsToPlain.port = mPacs.port;
  tlsToPlain.timeoutSeconds = 3;
  auto noHandshake = io::pacsEcho(tlsToPlain);
  ASSERT_FALSE(noHandshake.ok());
  EXPECT_NE(noHandshake.message().find("TLS"), std::string::npos) << noHandshake.message();
  io::PacsConnection untrusted = tls;
  untrusted.tlsTrustedCertificates = (dir / "ct" / "missing-ca.pem").string();
  auto unread = io::pacsEcho(untrusted);
  ASSERT_FALSE(unread.ok());
  EXPECT_NE(unread.message().find("missing-ca.pem"), std::string::npos) << unread.message();
  auto move = io::pacsMoveSeries(tls, "", series.seriesUid, (dir / "move").string(), mScpPort);
  ASSERT_FALSE(move.ok());
  EXPECT_NE(move.message().find("C-GET"), std::string::npos) << move.message();

  // The command line takes the same settings.
  std::string out;
  EXPECT_EQ(runCommand(std::string(DELINEO_EXE) + " pacs echo --tls --tls-ca " + tls.tlsTrustedCertificates +
                           " --aec ORTHANC --host 127.0.0.1 --port " + std::to_string(mTlsPort),
                       &out),
            0)
      << out;
}

TEST_F(Pacs, FindGetMoveThenStoreASegThatThePacsThenHolds) {
  fs::path dir = scratchDir("Pacs.RoundTrip");
  PhantomSeries series = seed(dir / "ct");
  auto original = io::loadDicomSeries((dir / "ct").string());
  ASSERT_TRUE(original.ok()) << original.message();
  const std::string studyUid = original->dicom->studyInstanceUid;

  // C-FIND: the study by patient ID and date, then its series.
  io::PacsQuery byPatient;
  byPatient.patientId = kPatientId;
  byPatient.studyDate = "20240101-20240131";
  byPatient.modality = "CT";
  auto studies = io::pacsFind(mPacs, byPatient);
  ASSERT_TRUE(studies.ok()) << studies.message();
  auto study = std::find_if(studies->begin(), studies->end(),
                            [&](const io::PacsMatch& m) { return m.studyInstanceUid == studyUid; });
  ASSERT_NE(study, studies->end());
  EXPECT_EQ(study->patientName, kPatientName);  // the caller asked for it; it is returned
  EXPECT_EQ(study->studyDate, "20240102");
  EXPECT_EQ(study->instanceCount, int(series.files.size()));

  io::PacsQuery seriesQuery;
  seriesQuery.level = io::PacsQuery::Level::Series;
  seriesQuery.studyInstanceUid = studyUid;
  auto found = io::pacsFind(mPacs, seriesQuery);
  ASSERT_TRUE(found.ok()) << found.message();
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ(found->front().seriesInstanceUid, series.seriesUid);
  EXPECT_EQ(found->front().modality, "CT");
  EXPECT_EQ(found->front().instanceCount, int(series.files.size()));

  // C-GET and C-MOVE each bring back the same series, which opens on the same grid.
  double lastProgress = 0;
  core::TaskControl control;
  control.onProgress = [&](double f, std::string_view) { lastProgress = f; };
  auto got = io::pacsGetSeries(mPacs, studyUid, series.seriesUid, (dir / "get").string(), control);
  ASSERT_TRUE(got.ok()) << got.message();
  EXPECT_EQ(got->instanceCount, int(series.files.size()));
  EXPECT_DOUBLE_EQ(lastProgress, 1.0);
  auto moved = io::pacsMoveSeries(mPacs, "", series.seriesUid, (dir / "move").string(), mScpPort);
  ASSERT_TRUE(moved.ok()) << moved.message();
  EXPECT_EQ(moved->instanceCount, int(series.files.size()));
  for (const char* folder : {"get", "move"}) {
    auto image = io::loadDicomSeries((dir / folder).string());
    ASSERT_TRUE(image.ok()) << image.message();
    EXPECT_TRUE(image->volume.geometry().sameGrid(original->volume.geometry())) << folder;
    EXPECT_TRUE(std::equal(image->volume.bytes().begin(), image->volume.bytes().end(),
                           original->volume.bytes().begin()))
        << folder;
  }

  // A SEG drawn on the retrieved series goes back to the same study.
  auto retrieved = io::loadDicomSeries((dir / "get").string());
  ASSERT_TRUE(retrieved.ok());
  core::Labelmap map(retrieved->volume.geometry());
  for (std::size_t n = 0; n < 2000; ++n) map.voxels()[n] = 1;
  core::Label liver;
  liver.id = 1;
  liver.name = "Liver";
  ASSERT_TRUE(map.labels().set(liver).ok());
  auto seg = io::writeDicomSeg(map, *retrieved, (dir / "seg.dcm").string());
  ASSERT_TRUE(seg.ok()) << seg.message();
  auto stored = io::pacsStore(mPacs, {(dir / "seg.dcm").string()});
  ASSERT_TRUE(stored.ok()) << stored.message();
  EXPECT_EQ(stored->sopInstanceUids, std::vector<std::string>{seg->sopInstanceUid});
  EXPECT_TRUE(orthancHolds(seg->sopInstanceUid));
  auto after = io::pacsFind(mPacs, seriesQuery);
  ASSERT_TRUE(after.ok());
  ASSERT_EQ(after->size(), 2u);
  EXPECT_TRUE(std::any_of(after->begin(), after->end(), [&](const io::PacsMatch& m) {
    return m.modality == "SEG" && m.seriesInstanceUid == seg->seriesInstanceUid;
  }));
}

TEST_F(Pacs, FailedRetrievesLeaveNothingBehind) {
  fs::path dir = scratchDir("Pacs.Failures");
  PhantomSeries series = seed(dir / "ct");
  auto original = io::loadDicomSeries((dir / "ct").string());
  ASSERT_TRUE(original.ok());
  const std::string studyUid = original->dicom->studyInstanceUid;
  auto entries = [&] { return std::distance(fs::directory_iterator(dir), {}); };
  const auto before = entries();

  auto unknown = io::pacsGetSeries(mPacs, studyUid, "1.2.3.4.5.6.7.8.9", (dir / "none").string());
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.message().find("no instances"), std::string::npos) << unknown.message();
  EXPECT_FALSE(fs::exists(dir / "none"));
  EXPECT_EQ(entries(), before);  // no staging folder left either

  fs::create_directories(dir / "busy");
  std::ofstream(dir / "busy" / "mine.txt") << "keep";
  auto busy = io::pacsGetSeries(mPacs, studyUid, series.seriesUid, (dir / "busy").string());
  ASSERT_FALSE(busy.ok());
  EXPECT_NE(busy.message().find("not an empty folder"), std::string::npos) << busy.message();
  EXPECT_EQ(std::distance(fs::directory_iterator(dir / "busy"), {}), 1);

  std::atomic<bool> cancel{true};  // the user cancelled as the retrieve began
  core::TaskControl cancelled;
  cancelled.cancel = &cancel;
  auto stopped = io::pacsGetSeries(mPacs, studyUid, series.seriesUid, (dir / "stopped").string(), cancelled);
  ASSERT_FALSE(stopped.ok());
  EXPECT_EQ(stopped.message(), "cancelled");
  EXPECT_FALSE(fs::exists(dir / "stopped"));

  io::PacsConnection stranger = mPacs;
  stranger.ourAeTitle = "STRANGER";  // a move destination Orthanc does not know
  auto move = io::pacsMoveSeries(stranger, studyUid, series.seriesUid, (dir / "moved").string(), mScpPort);
  ASSERT_FALSE(move.ok());
  EXPECT_NE(move.message().find("move destination"), std::string::npos) << move.message();
  EXPECT_FALSE(fs::exists(dir / "moved"));

  io::PacsConnection offline = mPacs;
  offline.port = mScpPort;
  auto store = io::pacsStore(offline, {series.files.front().string()});
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.message().find("cannot reach"), std::string::npos) << store.message();
  EXPECT_EQ(entries(), before + 1);  // only "busy": no staging folders left behind

  for (const std::string& message : {unknown.message(), busy.message(), move.message(), store.message()})
    expectNoIdentity(message);
}

TEST_F(Pacs, CommandLineHidesIdentityUnlessAsked) {
  fs::path dir = scratchDir("Pacs.Cli");
  seed(dir / "ct");
  const std::string exe = DELINEO_EXE;
  std::string connection = " --aec ORTHANC --host 127.0.0.1 --port " + std::to_string(mPacs.port);
  std::string out;
  ASSERT_EQ(runCommand(exe + " pacs echo" + connection, &out), 0) << out;
  ASSERT_EQ(runCommand(exe + " pacs find -q --patient-id " + kPatientId + connection, &out), 0) << out;
  expectNoIdentity(out);
  EXPECT_NE(out.find("(hidden)"), std::string::npos) << out;
  ASSERT_EQ(runCommand(exe + " pacs find -q --show-identity --patient-id " + kPatientId + connection, &out), 0);
  EXPECT_NE(out.find(kPatientName), std::string::npos) << out;

  EXPECT_NE(runCommand(exe + " pacs echo --aec WRONG --host 127.0.0.1 --port " + std::to_string(mPacs.port), &out), 0);
  EXPECT_NE(out.find("rejected the association"), std::string::npos) << out;
}

}  // namespace
}  // namespace delineo::test

// The desktop's PACS browser (app::PacsBrowser) drives the same calls through the app's
// BackgroundJob, the way the panel does; finish() stands in for the UI frames.
namespace delineo::test {
namespace {

TEST_F(Pacs, BrowserFindsAStudyRetrievesItsSeriesIntoTheCacheAndStoresASeg) {
  fs::path dir = scratchDir("Pacs.Browser");
  PhantomSeries series = seed(dir / "ct");
  auto original = io::loadDicomSeries((dir / "ct").string());
  ASSERT_TRUE(original.ok()) << original.message();
  const std::string studyUid = original->dicom->studyInstanceUid;

  app::PacsBrowser browser((dir / "cache").string());
  browser.connection() = mPacs;
  browser.filters().patientId = kPatientId;
  browser.filters().studyDate = "20240101-20240131";
  app::BackgroundJob job;

  // Given a filter on patient ID and date, the search gives the seeded study as a row.
  ASSERT_TRUE(browser.findStudies(job));
  job.finish();
  ASSERT_FALSE(browser.failed()) << browser.message();
  auto row = std::find_if(browser.studies().begin(), browser.studies().end(),
                          [&](const io::PacsMatch& m) { return m.studyInstanceUid == studyUid; });
  ASSERT_NE(row, browser.studies().end());
  EXPECT_EQ(row->patientName, kPatientName);  // shown in the panel's worklist
  EXPECT_EQ(row->studyDate, "20240102");
  expectNoIdentity(browser.message());

  // Choosing the row lists its series.
  const int studyRow = int(row - browser.studies().begin());
  ASSERT_TRUE(browser.findSeries(job, studyRow));
  job.finish();
  ASSERT_FALSE(browser.failed()) << browser.message();
  EXPECT_EQ(browser.selectedStudy(), studyRow);
  ASSERT_EQ(browser.series().size(), 1u);
  EXPECT_EQ(browser.series().front().seriesInstanceUid, series.seriesUid);

  // Retrieve & open: the series lands in its cache folder, which opens as the original did.
  std::string opened;
  ASSERT_TRUE(browser.retrieve(job, 0, [&](const std::string& folder, const std::string&) { opened = folder; }));
  job.finish();
  ASSERT_FALSE(browser.failed()) << browser.message();
  EXPECT_EQ(opened, browser.cacheFolderFor(series.seriesUid));
  EXPECT_EQ(fs::path(opened).parent_path(), dir / "cache");
  auto image = io::loadDicomSeries(opened);
  ASSERT_TRUE(image.ok()) << image.message();
  EXPECT_TRUE(image->volume.geometry().sameGrid(original->volume.geometry()));
  // A second retrieve opens the cached copy without asking the PACS again.
  opened.clear();
  ASSERT_TRUE(browser.retrieve(job, 0, [&](const std::string& folder, const std::string&) { opened = folder; }));
  EXPECT_FALSE(job.busy());
  EXPECT_EQ(opened, browser.cacheFolderFor(series.seriesUid));

  // Store SEG: the labelmap drawn on the retrieved series goes back to the same study.
  auto session = app::Session::open(*image, (dir / "labels.nii.gz").string());
  ASSERT_TRUE(session.ok()) << session.message();
  for (std::size_t n = 0; n < 2000; ++n) session->labelmapForEdit().voxels()[n] = 1;
  core::Label liver;
  liver.id = 1;
  liver.name = "Liver";
  ASSERT_TRUE(session->labelmapForEdit().labels().set(liver).ok());
  ASSERT_TRUE(browser.storeSeg(job, *session));
  job.finish();
  ASSERT_FALSE(browser.failed()) << browser.message();
  io::PacsQuery seriesQuery;
  seriesQuery.level = io::PacsQuery::Level::Series;
  seriesQuery.studyInstanceUid = studyUid;
  auto after = io::pacsFind(mPacs, seriesQuery);
  ASSERT_TRUE(after.ok()) << after.message();
  auto seg = std::find_if(after->begin(), after->end(), [](const io::PacsMatch& m) { return m.modality == "SEG"; });
  ASSERT_NE(seg, after->end());
  EXPECT_NE(browser.message().find(io::shortUid(seg->seriesInstanceUid)), std::string::npos) << browser.message();

  // A study that did not come from DICOM has no series to reference: refused, with the reason.
  io::LoadedImage notDicom = *image;
  notDicom.dicom.reset();
  auto plain = app::Session::open(std::move(notDicom), (dir / "plain-labels.nii.gz").string());
  ASSERT_TRUE(plain.ok()) << plain.message();
  EXPECT_FALSE(browser.storeSeg(job, *plain));
  EXPECT_FALSE(job.busy());
  EXPECT_TRUE(browser.failed());
  EXPECT_NE(browser.message().find("not loaded from DICOM"), std::string::npos) << browser.message();
}

TEST_F(Pacs, BrowserSaysWhenThePacsCannotBeReached) {
  app::PacsBrowser browser(scratchDir("Pacs.BrowserOffline").string());
  browser.connection() = mPacs;
  browser.connection().port = mScpPort;  // nobody listens there outside a C-MOVE
  app::BackgroundJob job;

  ASSERT_TRUE(browser.echo(job));
  job.finish();
  EXPECT_TRUE(browser.failed());
  EXPECT_NE(browser.message().find("cannot reach"), std::string::npos) << browser.message();

  ASSERT_TRUE(browser.findStudies(job));
  job.finish();
  EXPECT_TRUE(browser.failed());
  EXPECT_NE(browser.message().find("cannot reach"), std::string::npos) << browser.message();
  EXPECT_TRUE(browser.studies().empty());

  browser.connection().port = mPacs.port;
  ASSERT_TRUE(browser.echo(job));
  job.finish();
  EXPECT_FALSE(browser.failed()) << browser.message();
}

TEST(PacsSettings, AreSavedAtomicallyBesideOtherSettingsAndReadBack) {
  fs::path dir = scratchDir("PacsSettings");
  const std::string path = (dir / "delineo" / "settings.json").string();
  fs::create_directories(dir / "delineo");
  std::ofstream(path) << R"({"theme": "dark"})";

  io::PacsConnection wanted;
  wanted.ourAeTitle = "READER1";
  wanted.peerAeTitle = "ARCHIVE";
  wanted.host = "pacs.example.org";
  wanted.port = 11112;
  ASSERT_TRUE(app::savePacsSettings(path, wanted).ok());
  auto read = app::loadPacsSettings(path);
  ASSERT_TRUE(read.ok()) << read.message();
  EXPECT_EQ(read->ourAeTitle, "READER1");
  EXPECT_EQ(read->peerAeTitle, "ARCHIVE");
  EXPECT_EQ(read->host, "pacs.example.org");
  EXPECT_EQ(read->port, 11112);
  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("\"theme\""), std::string::npos) << text;  // the other settings survive

  // No file: the defaults. A file we cannot read: an error, and it is not overwritten.
  auto defaults = app::loadPacsSettings((dir / "none.json").string());
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->peerAeTitle, io::PacsConnection{}.peerAeTitle);
  std::ofstream(path, std::ios::trunc) << "{not json";
  auto broken = app::loadPacsSettings(path);
  ASSERT_FALSE(broken.ok());
  EXPECT_NE(broken.message().find(path), std::string::npos);
  EXPECT_FALSE(app::savePacsSettings(path, wanted).ok());
  std::ifstream again(path);
  std::string kept((std::istreambuf_iterator<char>(again)), std::istreambuf_iterator<char>());
  EXPECT_EQ(kept, "{not json");
}

}  // namespace
}  // namespace delineo::test
