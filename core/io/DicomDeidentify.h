#pragma once
// De-identification of the DICOM objects we export, after DICOM PS3.15 Annex E's Basic
// Application Level Confidentiality Profile: the patient becomes a pseudonym, every UID taken
// from the source becomes a new one, dates are shifted or removed, and the object says so
// (PatientIdentityRemoved, DeidentificationMethodCodeSequence 113100).
//
// Consistency across exports comes from a de-identification map, a JSON file the user keeps
// (it is the re-identification key: it holds the source UIDs, so it must stay with the data's
// owner, never travel with the exports). It holds a random salt from which pseudonyms are
// derived (so no patient name or ID is stored in it), every source UID -> new UID pair, and
// the date shift, so the same study exported twice gets the same pseudonym, UIDs and dates.

#include <map>
#include <optional>
#include <string>

#include "core/Result.h"
#include "core/io/LoadedImage.h"

namespace delineo::io {

struct DeidentifyOptions {
  bool enabled = false;          // false: identity is copied from the source (the default)
  std::string mapPath;           // JSON map kept between exports; empty: a fresh, unlinkable one
  std::optional<int> dateShiftDays;  // days added to every date; unset: the map's, else removeDates
  bool removeDates = false;      // dates removed (Type 1 ones replaced by a dummy, as E.1 allows)
};

// The source -> pseudonym relation of one de-identification map file.
class DeidentifyMap {
 public:
  // A fresh map with a new random salt.
  DeidentifyMap();
  // Reads `path`; a path that does not exist yet gives a fresh map.
  static core::Result<DeidentifyMap> load(const std::string& path);
  // Writes atomically (the previous map stays intact on failure).
  core::Result<void> save(const std::string& path) const;

  // The new UID for a source UID, created (and remembered) on first use.
  std::string uid(const std::string& sourceUid);
  // The new UID if the map has one.
  std::optional<std::string> findUid(const std::string& sourceUid) const;
  // "ANON^<hash>" and "ANON-<hash>", derived from the salt and the patient's ID (or name).
  std::string patientName(const DicomSource& source) const;
  std::string patientId(const DicomSource& source) const;

  std::optional<int> dateShiftDays;  // the shift the map's exports used, once one did
  bool datesRemoved = false;         // the map's exports removed dates

 private:
  std::string hashOf(const DicomSource& source) const;
  std::string mSalt;
  std::map<std::string, std::string> mUids;
};

// The source with its identity replaced: pseudonymous patient, mapped UIDs (study, series,
// frame of reference, every SOP instance), identifying attributes emptied. Dates are left to
// deidentifyDate(); `map` gains the new UIDs.
DicomSource deidentifySource(const DicomSource& source, DeidentifyMap& map);

// A DA value shifted by `days` ("" stays ""); nullopt when it is not a valid date.
std::optional<std::string> shiftDicomDate(const std::string& date, int days);

// Gives `source` the map's UIDs, so that a SEG de-identified with that map imports onto it
// (frame of reference and referenced instances match). Fails, leaving `source` unchanged, when
// the map does not know the source's frame of reference (no SEG was made from it with this map).
core::Result<void> applyDeidentifyMap(LoadedImage& source, const std::string& mapPath);

}  // namespace delineo::io
