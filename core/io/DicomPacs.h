#pragma once
// Talking to a PACS with DCMTK dcmnet: C-ECHO, C-FIND (study and series level, Study Root),
// retrieving a series by C-GET or by C-MOVE to our own temporary storage SCP, and C-STORE;
// optionally over DICOM TLS (dcmtls).
// Retrieved series land in a hidden folder beside the target and are renamed into place only
// when complete, so a failure or cancel leaves nothing half-written. Every call runs on the
// calling thread; TaskControl reports progress and cancels between DIMSE messages.
// Patient identity found in C-FIND results is returned to the caller, never logged; messages
// name peers by AE title and host and UIDs only in shortened form (shortUid).

#include <string>
#include <vector>

#include "core/Result.h"
#include "core/TaskControl.h"
#include "core/io/LoadedImage.h"  // shortUid

namespace delineo::io {

struct PacsConnection {
  std::string ourAeTitle = "DELINEO";   // calling AE title; also the C-MOVE destination
  std::string peerAeTitle = "ORTHANC";  // called AE title of the PACS
  std::string host = "127.0.0.1";       // PACS host name or address
  int port = 4242;                      // PACS DICOM port
  // DICOM over TLS (DCMTK dcmtls, BCP 195 profile). The PACS's certificate must chain to
  // tlsTrustedCertificates; the host name is not checked against it. C-MOVE is refused over
  // TLS: the PACS would send the series to our storage SCP in clear.
  bool tls = false;
  std::string tlsTrustedCertificates;  // PEM file of the CA (or the PACS's own certificate); required with tls
  std::string tlsCertificate;          // PEM file of our certificate, for PACSs that require one; empty: none
  std::string tlsPrivateKey;           // PEM file of its (unencrypted) private key
  int timeoutSeconds = 15;  // TCP connect, association and each DIMSE response
};

struct PacsQuery {
  enum class Level { Study, Series };
  Level level = Level::Study;     // Study: one match per study; Series: series of one study
  std::string patientId;          // exact or with wildcards ("PAT*"); empty = any
  std::string patientName;        // DICOM PN with wildcards ("DOE^J*"); empty = any
  std::string studyDate;          // "20240102" or a range "20240101-20240131"; empty = any
  std::string modality;           // study level: ModalitiesInStudy; series level: Modality
  std::string accessionNumber;    // empty = any
  std::string studyInstanceUid;   // series level: required unless seriesInstanceUid is given
  std::string seriesInstanceUid;  // series level: optional filter (relational query without study)
};

// One C-FIND match. Patient identity is here because the user asked the PACS for it; callers
// show it only on explicit request and never log it.
struct PacsMatch {
  std::string patientName;
  std::string patientId;
  std::string studyInstanceUid;
  std::string studyDate;
  std::string studyDescription;
  std::string accessionNumber;
  std::string modalitiesInStudy;  // study level
  std::string seriesInstanceUid;  // series level
  std::string seriesNumber;
  std::string seriesDescription;
  std::string modality;           // series level
  int instanceCount = -1;         // related instances, -1 when the PACS does not say
};

struct PacsRetrieveReport {
  std::string folder;        // where the series now is
  int instanceCount = 0;     // instances received
  int failedCount = 0;       // sub-operations the PACS reported as failed
};

struct PacsStoreReport {
  int sentCount = 0;
  std::vector<std::string> sopInstanceUids;  // of the instances the PACS accepted
};

// C-ECHO: succeeds when the PACS answers.
core::Result<void> pacsEcho(const PacsConnection& pacs);

core::Result<std::vector<PacsMatch>> pacsFind(const PacsConnection& pacs, const PacsQuery& query,
                                              const core::TaskControl& control = {});

// Retrieves one series into `folder` (which must not exist, or be empty). studyInstanceUid may
// be empty: it is then looked up by a series-level C-FIND.
core::Result<PacsRetrieveReport> pacsGetSeries(const PacsConnection& pacs, const std::string& studyInstanceUid,
                                               const std::string& seriesInstanceUid, const std::string& folder,
                                               const core::TaskControl& control = {});

// The same by C-MOVE: a storage SCP with our AE title listens on `receivePort` while the PACS
// sends the series there (the PACS must know our AE title, host and that port).
core::Result<PacsRetrieveReport> pacsMoveSeries(const PacsConnection& pacs, const std::string& studyInstanceUid,
                                                const std::string& seriesInstanceUid, const std::string& folder,
                                                int receivePort, const core::TaskControl& control = {});

// C-STORE of DICOM files (e.g. a SEG written by writeDicomSeg). Fails unless the PACS accepted
// every one; each accepted instance is complete in the archive (a C-STORE is all or nothing).
core::Result<PacsStoreReport> pacsStore(const PacsConnection& pacs, const std::vector<std::string>& files,
                                        const core::TaskControl& control = {});

}  // namespace delineo::io
