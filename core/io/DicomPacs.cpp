// PACS client on DCMTK dcmnet (DcmSCU, DcmStorageSCU, DcmStorageSCP) and dcmtls.

#include "core/io/DicomPacs.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <system_error>
#include <thread>

#include <unistd.h>

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmnet/dstorscp.h>
#include <dcmtk/dcmnet/dstorscu.h>
#include <dcmtk/dcmnet/scu.h>
#include <dcmtk/dcmtls/tlslayer.h>

#include "core/io/DicomHeader.h"

namespace delineo::io {

namespace fs = std::filesystem;
using core::makeError;

namespace {

std::string peerName(const PacsConnection& p) {
  return "PACS " + p.peerAeTitle + " at " + p.host + ":" + std::to_string(p.port);
}

core::Result<void> checkConnection(const PacsConnection& p) {
  if (p.tls && p.tlsTrustedCertificates.empty())
    return makeError("DICOM TLS needs the certificate (PEM) of the CA that signed the PACS's certificate, to know "
                     "it talks to the right PACS");
  if (p.tls && p.tlsCertificate.empty() != p.tlsPrivateKey.empty())
    return makeError("DICOM TLS: give both our certificate and its private key, or neither");
  for (const std::string* ae : {&p.ourAeTitle, &p.peerAeTitle})
    if (ae->empty() || ae->size() > 16 || ae->find('\\') != std::string::npos)
      return makeError("AE title '" + *ae + "' is not valid: 1 to 16 characters, no backslash");
  if (p.host.empty()) return makeError("no PACS host given");
  if (p.port < 1 || p.port > 65535) return makeError("PACS port " + std::to_string(p.port) + " is not 1..65535");
  return {};
}

OFList<OFString> uncompressedSyntaxes() {
  OFList<OFString> s;
  s.push_back(UID_LittleEndianExplicitTransferSyntax);
  s.push_back(UID_BigEndianExplicitTransferSyntax);
  s.push_back(UID_LittleEndianImplicitTransferSyntax);
  return s;
}

// What we accept when a PACS sends us instances: as stored, compressed or not (the loader
// says clearly which ones it cannot decode).
OFList<OFString> receivableSyntaxes() {
  OFList<OFString> s = uncompressedSyntaxes();
  for (const char* uid : {UID_DeflatedExplicitVRLittleEndianTransferSyntax, UID_JPEGProcess14SV1TransferSyntax,
                          UID_JPEGProcess14TransferSyntax, UID_JPEGProcess1TransferSyntax,
                          UID_JPEGProcess2_4TransferSyntax, UID_JPEGLSLosslessTransferSyntax,
                          UID_JPEGLSLossyTransferSyntax, UID_RLELosslessTransferSyntax,
                          UID_JPEG2000LosslessOnlyTransferSyntax, UID_JPEG2000TransferSyntax})
    s.push_back(uid);
  return s;
}

// Storage SOP classes we take in by C-GET (one presentation context each, at most 128 in all).
std::vector<std::string> storageClasses() {
  std::vector<std::string> out;
  auto add = [&](const char* uid) {  // an SCP profile must list each SOP class once
    if (std::find(out.begin(), out.end(), uid) == out.end()) out.push_back(uid);
  };
  for (const char* uid : {UID_SegmentationStorage, UID_EnhancedCTImageStorage, UID_EnhancedMRImageStorage}) add(uid);
  for (int n = 0; n < numberOfDcmShortSCUStorageSOPClassUIDs && out.size() < 120; ++n)
    add(dcmShortSCUStorageSOPClassUIDs[n]);
  return out;
}

void configure(DcmSCU& scu, const PacsConnection& p) {
  scu.setAETitle(p.ourAeTitle.c_str());
  scu.setPeerAETitle(p.peerAeTitle.c_str());
  scu.setPeerHostName(p.host.c_str());
  scu.setPeerPort(static_cast<Uint16>(p.port));
  scu.setConnectionTimeout(p.timeoutSeconds);
  scu.setACSETimeout(static_cast<Uint32>(p.timeoutSeconds));
  scu.setDIMSETimeout(static_cast<Uint32>(p.timeoutSeconds));
  scu.setDIMSEBlockingMode(DIMSE_NONBLOCKING);
}

// The TLS layer of one association; declared before the SCU that uses it, so that it outlives
// the SCU's release of the association.
using TlsLayer = std::unique_ptr<DcmTLSTransportLayer>;

// DCMTK 3.6.7 offers useSecureConnection() to subclasses only; every SCU here (plain, find/get,
// storage) is a DcmSCU, so its member pointer reaches each of them.
struct SecureScu : DcmSCU {
  static OFCondition use(DcmSCU& scu, DcmTransportLayer* layer) {
    return (scu.*(&SecureScu::useSecureConnection))(layer);
  }
};

core::Result<void> useTls(DcmSCU& scu, const PacsConnection& p, TlsLayer& layer) {
  layer = std::make_unique<DcmTLSTransportLayer>(NET_REQUESTOR, nullptr, OFTrue);
  auto failed = [&](const std::string& what, const OFCondition& status) {
    return makeError("DICOM TLS: " + what + " (" + status.text() + ")");
  };
  if (OFCondition s = layer->setTLSProfile(TSP_Profile_BCP195); s.bad()) return failed("no BCP 195 profile", s);
  if (OFCondition s = layer->activateCipherSuites(); s.bad()) return failed("no cipher suites", s);
  if (OFCondition s = layer->addTrustedCertificateFile(p.tlsTrustedCertificates.c_str(), DCF_Filetype_PEM); s.bad())
    return failed("cannot read the trusted certificates " + p.tlsTrustedCertificates, s);
  if (!p.tlsCertificate.empty()) {
    if (OFCondition s = layer->setPrivateKeyFile(p.tlsPrivateKey.c_str(), DCF_Filetype_PEM); s.bad())
      return failed("cannot read the private key " + p.tlsPrivateKey, s);
    if (OFCondition s = layer->setCertificateFile(p.tlsCertificate.c_str(), DCF_Filetype_PEM); s.bad())
      return failed("cannot read our certificate " + p.tlsCertificate, s);
    if (!layer->checkPrivateKeyMatchesCertificate())
      return makeError("DICOM TLS: the private key does not match our certificate " + p.tlsCertificate);
  }
  layer->setCertificateVerification(DCV_requireCertificate);
  if (OFCondition s = SecureScu::use(scu, layer.get()); s.bad()) return failed("cannot use TLS", s);
  return {};
}

// Opens the association; the message tells a refused connection from a refused association.
core::Result<void> connect(DcmSCU& scu, const PacsConnection& p, TlsLayer& tls) {
  registerDicomDecoders();  // also keeps DCMTK's logger (which may quote datasets) quiet
  OFCondition status = scu.initNetwork();
  if (status.bad()) return makeError("cannot start DICOM networking: " + std::string(status.text()));
  if (p.tls)
    if (auto r = useTls(scu, p, tls); !r) return r;
  status = scu.negotiateAssociation();
  if (p.tls && status.bad() && status != DUL_ASSOCIATIONREJECTED)
    return makeError("cannot open a TLS association with the " + peerName(p) + " (" + status.text() +
                     "): does it speak DICOM TLS on this port, and is its certificate signed by " +
                     p.tlsTrustedCertificates + "?");
  if (status == DUL_ASSOCIATIONREJECTED)
    return makeError("the " + peerName(p) + " rejected the association: check the called AE title ('" +
                     p.peerAeTitle + "') and that the PACS knows our AE title ('" + p.ourAeTitle + "')");
  if (status == NET_EC_NoAcceptablePresentationContexts)
    return makeError("the " + peerName(p) + " accepted none of the requested services");
  if (status.bad())
    return makeError("cannot reach the " + peerName(p) + " (" + status.text() +
                     "): is it running, and are host and port right?");
  return {};
}

core::Result<T_ASC_PresentationContextID> contextFor(DcmSCU& scu, const PacsConnection& p, const char* sopClass,
                                                     const char* service) {
  T_ASC_PresentationContextID id = scu.findPresentationContextID(sopClass, "");
  if (id == 0) return makeError("the " + peerName(p) + " does not offer " + service);
  return id;
}

std::string hexStatus(Uint16 status) {
  char text[8];
  std::snprintf(text, sizeof text, "0x%04X", unsigned(status));
  return text;
}

std::string getString(DcmItem* item, const DcmTagKey& tag) {
  OFString value;
  if (item && item->findAndGetOFStringArray(tag, value).good()) return value.c_str();
  return {};
}

// A folder that appears complete or not at all: instances go into a hidden sibling, renamed
// onto the target once everything arrived; dropped on failure.
class StagingFolder {
 public:
  static core::Result<std::unique_ptr<StagingFolder>> create(const std::string& target) {
    std::error_code ec;
    fs::path path = fs::absolute(target, ec);
    if (fs::exists(path, ec) && (!fs::is_directory(path, ec) || !fs::is_empty(path, ec)))
      return makeError(target + ": already exists and is not an empty folder; choose a new folder to retrieve into");
    fs::create_directories(path.parent_path(), ec);
    static std::atomic<int> counter{0};
    fs::path staging = path.parent_path() / ("." + path.filename().string() + ".tmp-" +
                                             std::to_string(::getpid()) + "-" + std::to_string(++counter));
    if (!fs::create_directory(staging, ec) || ec)
      return makeError(target + ": cannot create a folder beside it (" + ec.message() + ")");
    return std::unique_ptr<StagingFolder>(new StagingFolder(path, staging));
  }
  ~StagingFolder() {
    std::error_code ec;
    if (!mCommitted) fs::remove_all(mStaging, ec);
  }
  const fs::path& path() const { return mStaging; }
  int fileCount() const {
    std::error_code ec;
    int n = 0;
    for (const auto& entry : fs::directory_iterator(mStaging, ec))
      if (entry.is_regular_file()) ++n;
    return n;
  }
  core::Result<void> commit() {
    std::error_code ec;
    if (fs::exists(mTarget, ec)) fs::remove(mTarget, ec);  // an empty folder, checked above
    fs::rename(mStaging, mTarget, ec);
    if (ec) return makeError(mTarget.string() + ": cannot move the retrieved series into place (" + ec.message() + ")");
    mCommitted = true;
    return {};
  }

 private:
  StagingFolder(fs::path target, fs::path staging) : mTarget(std::move(target)), mStaging(std::move(staging)) {}
  fs::path mTarget;
  fs::path mStaging;
  bool mCommitted = false;
};

// DcmSCU that reports progress, honours cancel and counts what it stores (C-FIND, C-GET).
class ControlledScu : public DcmSCU {
 public:
  explicit ControlledScu(const core::TaskControl& control) : mControl(control) {}
  bool cancelled() const { return mCancelled; }
  int stored() const { return mStored; }
  int failedSubops() const { return mFailed; }

  OFCondition handleFINDResponse(const T_ASC_PresentationContextID presID, QRResponse* response,
                                 OFBool& waitForNextResponse) override {
    OFCondition status = DcmSCU::handleFINDResponse(presID, response, waitForNextResponse);
    if (waitForNextResponse && mControl.cancelled()) stop(presID, waitForNextResponse);
    return status;
  }
  OFCondition handleCGETResponse(const T_ASC_PresentationContextID presID, RetrieveResponse* response,
                                 OFBool& continueSession) override {
    OFCondition status = DcmSCU::handleCGETResponse(presID, response, continueSession);
    noteSubops(*response);
    if (continueSession && mControl.cancelled()) stop(presID, continueSession);
    return status;
  }
  OFCondition handleMOVEResponse(const T_ASC_PresentationContextID presID, RetrieveResponse* response,
                                 OFBool& waitForNextResponse) override {
    OFCondition status = DcmSCU::handleMOVEResponse(presID, response, waitForNextResponse);
    noteSubops(*response);
    if (waitForNextResponse && mControl.cancelled()) stop(presID, waitForNextResponse);
    return status;
  }
  OFCondition handleSTORERequest(const T_ASC_PresentationContextID presID, DcmDataset* incoming,
                                 OFBool& continueSession, Uint16& storeStatus) override {
    if (mControl.cancelled()) {  // refuse the instance and end the session; the caller aborts
      delete incoming;
      storeStatus = STATUS_STORE_Refused_OutOfResources;
      mCancelled = true;
      continueSession = OFFalse;
      return EC_Normal;
    }
    OFCondition status = DcmSCU::handleSTORERequest(presID, incoming, continueSession, storeStatus);
    if (status.good() && storeStatus == STATUS_Success) ++mStored;
    return status;
  }

 private:
  void noteSubops(const RetrieveResponse& r) {
    mFailed = r.m_numberOfFailedSubops;
    double done = double(r.m_numberOfCompletedSubops) + r.m_numberOfFailedSubops + r.m_numberOfWarningSubops;
    double total = done + r.m_numberOfRemainingSubops;
    if (total > 0) mControl.progress(done / total, "retrieving");
  }
  void stop(T_ASC_PresentationContextID presID, OFBool& keepGoing) {
    mCancelled = true;
    keepGoing = OFFalse;
    sendCANCELRequest(presID);
  }

  const core::TaskControl& mControl;
  bool mCancelled = false;
  int mStored = 0;
  int mFailed = 0;
};

DcmDataset seriesKeys(const std::string& study, const std::string& series) {
  DcmDataset keys;
  keys.putAndInsertString(DCM_QueryRetrieveLevel, "SERIES");
  keys.putAndInsertString(DCM_StudyInstanceUID, study.c_str());
  keys.putAndInsertString(DCM_SeriesInstanceUID, series.c_str());
  return keys;
}

// The study a series belongs to, asked of the PACS.
core::Result<std::string> studyOfSeries(const PacsConnection& p, const std::string& series,
                                        const core::TaskControl& control) {
  PacsQuery q;
  q.level = PacsQuery::Level::Series;
  q.seriesInstanceUid = series;  // relational: Orthanc and most archives match across studies
  auto found = pacsFind(p, q, control);
  if (!found) return found.error();
  for (const auto& m : *found)
    if (m.seriesInstanceUid == series && !m.studyInstanceUid.empty()) return m.studyInstanceUid;
  return makeError("the " + peerName(p) + " holds no series " + shortUid(series) + " (give its study UID if the "
                   "PACS needs one)");
}

// Storage SCP for C-MOVE: runs until asked to stop, checking once a second.
class MoveReceiver : public DcmStorageSCP {
 public:
  void requestStop() { mStop = true; }
  int received() const { return mReceived; }

 protected:
  OFBool stopAfterConnectionTimeout() override { return mStop.load(); }
  OFBool stopAfterCurrentAssociation() override { return mStop.load(); }
  void notifyInstanceStored(const OFString&, const OFString&, const OFString&, DcmDataset*) const override {
    ++mReceived;
  }

 private:
  std::atomic<bool> mStop{false};
  mutable std::atomic<int> mReceived{0};
};

core::Result<PacsRetrieveReport> finishRetrieve(StagingFolder& staging, const PacsConnection& p, int failed,
                                                const std::string& series) {
  PacsRetrieveReport report;
  report.instanceCount = staging.fileCount();
  report.failedCount = failed;
  if (failed > 0)
    return makeError("the " + peerName(p) + " failed to send " + std::to_string(failed) + " instances of series " +
                     shortUid(series) + "; nothing was kept");
  if (report.instanceCount == 0)
    return makeError("the " + peerName(p) + " sent no instances of series " + shortUid(series) +
                     " (is the series UID right?)");
  if (auto r = staging.commit(); !r) return r.error();
  return report;
}

}  // namespace

core::Result<void> pacsEcho(const PacsConnection& pacs) {
  if (auto r = checkConnection(pacs); !r) return r;
  TlsLayer tls;
  DcmSCU scu;
  configure(scu, pacs);
  scu.addPresentationContext(UID_VerificationSOPClass, uncompressedSyntaxes());
  if (auto r = connect(scu, pacs, tls); !r) return r;
  auto id = contextFor(scu, pacs, UID_VerificationSOPClass, "C-ECHO");
  if (!id) return id.error();
  OFCondition status = scu.sendECHORequest(*id);
  scu.releaseAssociation();
  if (status.bad()) return makeError("the " + peerName(pacs) + " did not answer C-ECHO: " + status.text());
  return {};
}

core::Result<std::vector<PacsMatch>> pacsFind(const PacsConnection& pacs, const PacsQuery& query,
                                              const core::TaskControl& control) {
  if (auto r = checkConnection(pacs); !r) return r.error();
  bool series = query.level == PacsQuery::Level::Series;
  if (series && query.studyInstanceUid.empty() && query.seriesInstanceUid.empty())
    return makeError("a series-level query needs the study's UID (--study)");
  TlsLayer tls;
  ControlledScu scu(control);
  configure(scu, pacs);
  scu.addPresentationContext(UID_FINDStudyRootQueryRetrieveInformationModel, uncompressedSyntaxes());
  if (auto r = connect(scu, pacs, tls); !r) return r.error();
  auto id = contextFor(scu, pacs, UID_FINDStudyRootQueryRetrieveInformationModel, "C-FIND (Study Root)");
  if (!id) return id.error();

  DcmDataset keys;
  keys.putAndInsertString(DCM_QueryRetrieveLevel, series ? "SERIES" : "STUDY");
  keys.putAndInsertString(DCM_StudyInstanceUID, query.studyInstanceUid.c_str());
  keys.putAndInsertString(DCM_PatientName, query.patientName.c_str());
  keys.putAndInsertString(DCM_PatientID, query.patientId.c_str());
  keys.putAndInsertString(DCM_StudyDate, query.studyDate.c_str());
  keys.putAndInsertString(DCM_AccessionNumber, query.accessionNumber.c_str());
  keys.putAndInsertString(DCM_StudyDescription, "");
  if (series) {
    keys.putAndInsertString(DCM_SeriesInstanceUID, query.seriesInstanceUid.c_str());
    keys.putAndInsertString(DCM_Modality, query.modality.c_str());
    keys.putAndInsertString(DCM_SeriesNumber, "");
    keys.putAndInsertString(DCM_SeriesDescription, "");
    keys.putAndInsertString(DCM_NumberOfSeriesRelatedInstances, "");
  } else {
    keys.putAndInsertString(DCM_ModalitiesInStudy, query.modality.c_str());
    keys.putAndInsertString(DCM_NumberOfStudyRelatedInstances, "");
  }

  OFList<QRResponse*> responses;
  OFCondition status = scu.sendFINDRequest(*id, &keys, &responses);
  std::vector<PacsMatch> matches;
  Uint16 finalStatus = STATUS_Success;
  for (QRResponse* r : responses) {
    if (r->m_dataset && DICOM_PENDING_STATUS(r->m_status)) {
      DcmDataset* d = r->m_dataset;
      PacsMatch m;
      m.patientName = getString(d, DCM_PatientName);
      m.patientId = getString(d, DCM_PatientID);
      m.studyInstanceUid = getString(d, DCM_StudyInstanceUID);
      m.studyDate = getString(d, DCM_StudyDate);
      m.studyDescription = getString(d, DCM_StudyDescription);
      m.accessionNumber = getString(d, DCM_AccessionNumber);
      m.modalitiesInStudy = getString(d, DCM_ModalitiesInStudy);
      m.seriesInstanceUid = getString(d, DCM_SeriesInstanceUID);
      m.seriesNumber = getString(d, DCM_SeriesNumber);
      m.seriesDescription = getString(d, DCM_SeriesDescription);
      m.modality = getString(d, DCM_Modality);
      std::string count = getString(d, series ? DCM_NumberOfSeriesRelatedInstances : DCM_NumberOfStudyRelatedInstances);
      if (!count.empty()) m.instanceCount = std::atoi(count.c_str());
      matches.push_back(std::move(m));
    } else if (!DICOM_PENDING_STATUS(r->m_status)) {
      finalStatus = r->m_status;
    }
    delete r;
  }
  if (scu.cancelled()) {
    scu.abortAssociation();
    return makeError("cancelled");
  }
  scu.releaseAssociation();
  if (status.bad()) return makeError("C-FIND on the " + peerName(pacs) + " failed: " + status.text());
  if (finalStatus != STATUS_Success)
    return makeError("the " + peerName(pacs) + " refused the C-FIND (status " + hexStatus(finalStatus) + ")");
  return matches;
}

core::Result<PacsRetrieveReport> pacsGetSeries(const PacsConnection& pacs, const std::string& studyInstanceUid,
                                               const std::string& seriesInstanceUid, const std::string& folder,
                                               const core::TaskControl& control) {
  if (auto r = checkConnection(pacs); !r) return r.error();
  std::string study = studyInstanceUid;
  if (study.empty()) {
    auto found = studyOfSeries(pacs, seriesInstanceUid, control);
    if (!found) return found.error();
    study = *found;
  }
  auto staging = StagingFolder::create(folder);
  if (!staging) return staging.error();

  TlsLayer tls;
  ControlledScu scu(control);
  configure(scu, pacs);
  scu.addPresentationContext(UID_GETStudyRootQueryRetrieveInformationModel, uncompressedSyntaxes());
  OFList<OFString> syntaxes = receivableSyntaxes();
  for (const std::string& sopClass : storageClasses())
    scu.addPresentationContext(sopClass.c_str(), syntaxes, ASC_SC_ROLE_SCP);
  scu.setStorageDir((*staging)->path().c_str());
  scu.setStorageMode(DCMSCU_STORAGE_DISK);
  if (auto r = connect(scu, pacs, tls); !r) return r.error();
  auto id = contextFor(scu, pacs, UID_GETStudyRootQueryRetrieveInformationModel, "C-GET (Study Root)");
  if (!id) return id.error();

  DcmDataset keys = seriesKeys(study, seriesInstanceUid);
  OFList<RetrieveResponse*> responses;
  OFCondition status = scu.sendCGETRequest(*id, &keys, &responses);
  for (RetrieveResponse* r : responses) delete r;
  if (scu.cancelled()) {
    scu.abortAssociation();
    return makeError("cancelled");
  }
  scu.releaseAssociation();
  if (status.bad()) return makeError("C-GET from the " + peerName(pacs) + " failed: " + status.text());
  auto report = finishRetrieve(**staging, pacs, scu.failedSubops(), seriesInstanceUid);
  if (report) report->folder = folder;
  return report;
}

core::Result<PacsRetrieveReport> pacsMoveSeries(const PacsConnection& pacs, const std::string& studyInstanceUid,
                                                const std::string& seriesInstanceUid, const std::string& folder,
                                                int receivePort, const core::TaskControl& control) {
  if (auto r = checkConnection(pacs); !r) return r.error();
  if (pacs.tls)
    return makeError("C-MOVE is not offered over DICOM TLS: the PACS would send the series to us in clear; "
                     "retrieve it by C-GET");
  if (receivePort < 1 || receivePort > 65535)
    return makeError("receive port " + std::to_string(receivePort) + " is not 1..65535");
  std::string study = studyInstanceUid;
  if (study.empty()) {
    auto found = studyOfSeries(pacs, seriesInstanceUid, control);
    if (!found) return found.error();
    study = *found;
  }
  auto staging = StagingFolder::create(folder);
  if (!staging) return staging.error();

  // Our storage SCP listens before the C-MOVE is sent, so the PACS finds it ready.
  MoveReceiver receiver;
  receiver.setAETitle(pacs.ourAeTitle.c_str());
  receiver.setPort(static_cast<Uint16>(receivePort));
  receiver.setConnectionBlockingMode(DUL_NOBLOCK);
  receiver.setConnectionTimeout(1);
  receiver.setACSETimeout(static_cast<Uint32>(pacs.timeoutSeconds));
  receiver.setDIMSETimeout(static_cast<Uint32>(pacs.timeoutSeconds));
  receiver.setHostLookupEnabled(OFFalse);
  if (receiver.setOutputDirectory((*staging)->path().c_str()).bad())
    return makeError(folder + ": cannot write received instances beside it");
  OFList<OFString> syntaxes = receivableSyntaxes();
  for (const std::string& sopClass : storageClasses()) {
    OFCondition added = receiver.addPresentationContext(sopClass.c_str(), syntaxes);
    if (added.bad()) return makeError("cannot accept " + sopClass + " for the C-MOVE: " + added.text());
  }
  registerDicomDecoders();
  OFCondition listening = receiver.openListenPort();
  if (listening.bad())
    return makeError("cannot listen for the C-MOVE on port " + std::to_string(receivePort) + " (" +
                     listening.text() + "); choose another --receive-port");
  std::thread receiving([&receiver] { receiver.acceptAssociations(); });
  struct Joiner {  // the receiver thread ends on every path out of here
    MoveReceiver& receiver;
    std::thread& thread;
    ~Joiner() {
      receiver.requestStop();
      if (thread.joinable()) thread.join();
    }
  } joiner{receiver, receiving};

  TlsLayer tls;
  ControlledScu scu(control);
  configure(scu, pacs);
  scu.addPresentationContext(UID_MOVEStudyRootQueryRetrieveInformationModel, uncompressedSyntaxes());
  if (auto r = connect(scu, pacs, tls); !r) return r.error();
  auto id = contextFor(scu, pacs, UID_MOVEStudyRootQueryRetrieveInformationModel, "C-MOVE (Study Root)");
  if (!id) return id.error();
  DcmDataset keys = seriesKeys(study, seriesInstanceUid);
  OFList<RetrieveResponse*> responses;
  OFCondition status = scu.sendMOVERequest(*id, pacs.ourAeTitle.c_str(), &keys, &responses);
  Uint16 finalStatus = STATUS_Success;
  for (RetrieveResponse* r : responses) {
    if (!DICOM_PENDING_STATUS(r->m_status)) finalStatus = r->m_status;
    delete r;
  }
  if (scu.cancelled()) {
    scu.abortAssociation();
    return makeError("cancelled");
  }
  scu.releaseAssociation();
  receiver.requestStop();
  receiving.join();
  if (status.bad()) return makeError("C-MOVE from the " + peerName(pacs) + " failed: " + status.text());
  // Archives differ in how they refuse an unknown destination (0xA801, or Orthanc's 0xC000).
  if (finalStatus != STATUS_Success && scu.failedSubops() == 0 && receiver.received() == 0)
    return makeError("the " + peerName(pacs) + " refused the C-MOVE (status " + hexStatus(finalStatus) +
                     "): does it know the move destination '" + pacs.ourAeTitle + "' at this host, port " +
                     std::to_string(receivePort) + "?");
  auto report = finishRetrieve(**staging, pacs, scu.failedSubops(), seriesInstanceUid);
  if (report) report->folder = folder;
  return report;
}

namespace {

// DcmStorageSCU with progress and cancel between instances.
class ControlledStorageScu : public DcmStorageSCU {
 public:
  ControlledStorageScu(const core::TaskControl& control, std::size_t total) : mControl(control), mTotal(total) {}
  bool cancelled() const { return mCancelled; }
  const std::vector<std::string>& accepted() const { return mAccepted; }  // SOP Instance UIDs
  const std::vector<std::string>& refused() const { return mRefused; }    // files

 protected:
  void notifySOPInstanceSent(const TransferEntry& e) override {
    if (e.RequestSent && e.ResponseStatusCode == STATUS_Success)
      mAccepted.push_back(e.SOPInstanceUID.c_str());
    else
      mRefused.push_back(e.Filename.getCharPointer() ? e.Filename.getCharPointer() : "?");
    mControl.progress(double(mAccepted.size() + mRefused.size()) / double(std::max<std::size_t>(mTotal, 1)),
                      "storing");
  }
  OFBool shouldStopAfterCurrentSOPInstance() override {
    mCancelled = mControl.cancelled();
    return mCancelled;
  }

 private:
  const core::TaskControl& mControl;
  std::size_t mTotal;
  bool mCancelled = false;
  std::vector<std::string> mAccepted;
  std::vector<std::string> mRefused;
};

}  // namespace

core::Result<PacsStoreReport> pacsStore(const PacsConnection& pacs, const std::vector<std::string>& files,
                                        const core::TaskControl& control) {
  if (auto r = checkConnection(pacs); !r) return r.error();
  if (files.empty()) return makeError("nothing to store");
  registerDicomDecoders();
  TlsLayer tls;
  ControlledStorageScu scu(control, files.size());
  configure(scu, pacs);
  for (const std::string& file : files) {
    OFCondition added = scu.addDicomFile(file.c_str(), ERM_fileOnly, OFTrue);
    if (added.bad()) return makeError(file + ": cannot be sent (" + std::string(added.text()) + ")");
  }
  if (OFCondition c = scu.addPresentationContexts(); c.bad())
    return makeError("cannot propose the files' SOP classes: " + std::string(c.text()));
  if (auto r = connect(scu, pacs, tls); !r) return r.error();
  OFCondition status = scu.sendSOPInstances();
  bool cancelled = scu.cancelled();
  if (cancelled) scu.abortAssociation(); else scu.releaseAssociation();

  PacsStoreReport report;
  report.sopInstanceUids = scu.accepted();
  report.sentCount = static_cast<int>(report.sopInstanceUids.size());
  const std::vector<std::string>& refused = scu.refused();
  if (cancelled) return makeError("cancelled after " + std::to_string(report.sentCount) + " instances");
  if (status.bad() && refused.empty())
    return makeError("C-STORE to the " + peerName(pacs) + " failed: " + status.text());
  if (!refused.empty())
    return makeError("the " + peerName(pacs) + " did not accept " + refused.front() +
                     (refused.size() > 1 ? " and " + std::to_string(refused.size() - 1) + " more" : std::string()) +
                     (status.bad() ? " (" + std::string(status.text()) + ")" : std::string()));
  return report;
}

}  // namespace delineo::io
