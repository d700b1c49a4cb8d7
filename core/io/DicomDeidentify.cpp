#include "core/io/DicomDeidentify.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <nlohmann/json.hpp>
#include <openssl/evp.h>

#include "core/io/AtomicFile.h"

namespace delineo::io {

using core::makeError;

namespace {

constexpr const char* kMapFormat = "delineo-deidentify-map";

std::string toHex(const unsigned char* bytes, std::size_t size) {
  static const char* const kDigits = "0123456789abcdef";
  std::string out;
  for (std::size_t n = 0; n < size; ++n) {
    out += kDigits[bytes[n] >> 4];
    out += kDigits[bytes[n] & 15];
  }
  return out;
}

std::string sha256Hex(const std::string& text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(text.data(), text.size(), digest, &size, EVP_sha256(), nullptr);
  return toHex(digest, size);
}

std::string randomSalt() {
  std::random_device device;
  unsigned char bytes[16];
  for (unsigned char& b : bytes) b = static_cast<unsigned char>(device() & 0xff);
  return toHex(bytes, sizeof bytes);
}

std::string newUid() {
  char uid[100];
  dcmGenerateUniqueIdentifier(uid, SITE_INSTANCE_UID_ROOT);
  return uid;
}

}  // namespace

DeidentifyMap::DeidentifyMap() : mSalt(randomSalt()) {}

core::Result<DeidentifyMap> DeidentifyMap::load(const std::string& path) {
  DeidentifyMap map;
  std::error_code ec;
  if (path.empty() || !std::filesystem::exists(path, ec)) return map;
  std::ifstream in(path, std::ios::binary);
  if (!in) return makeError(path + ": cannot read the de-identification map");
  nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_discarded() || !j.is_object() || j.value("format", "") != kMapFormat || !j.contains("salt") ||
      !j["salt"].is_string())
    return makeError(path + ": not a Delineo de-identification map (expected JSON with \"format\": \"" +
                     std::string(kMapFormat) + "\"); choose another --uid-map file");
  map.mSalt = j["salt"].get<std::string>();
  if (j.contains("dateShiftDays") && j["dateShiftDays"].is_number_integer())
    map.dateShiftDays = j["dateShiftDays"].get<int>();
  map.datesRemoved = j.value("datesRemoved", false);
  if (j.contains("uids") && j["uids"].is_object())
    for (const auto& [from, to] : j["uids"].items())
      if (to.is_string()) map.mUids[from] = to.get<std::string>();
  return map;
}

core::Result<void> DeidentifyMap::save(const std::string& path) const {
  nlohmann::json j{{"format", kMapFormat},
                   {"version", 1},
                   {"note", "Re-identification key: keep it with the source data, never with the exports."},
                   {"salt", mSalt},
                   {"datesRemoved", datesRemoved},
                   {"uids", mUids}};
  j["dateShiftDays"] = dateShiftDays ? nlohmann::json(*dateShiftDays) : nlohmann::json();
  auto written = writeFileAtomically(path, j.dump(2) + "\n");
  if (!written) return makeError(path + ": cannot write the de-identification map: " + written.message());
  return {};
}

std::string DeidentifyMap::uid(const std::string& sourceUid) {
  if (sourceUid.empty()) return {};
  auto [it, inserted] = mUids.try_emplace(sourceUid);
  if (inserted) it->second = newUid();
  return it->second;
}

std::optional<std::string> DeidentifyMap::findUid(const std::string& sourceUid) const {
  auto it = mUids.find(sourceUid);
  if (it == mUids.end()) return std::nullopt;
  return it->second;
}

// Keyed by the salt, so the pseudonym cannot be recomputed from a guessed ID without the map.
std::string DeidentifyMap::hashOf(const DicomSource& source) const {
  const std::string& key = !source.patientId.empty()     ? source.patientId
                           : !source.patientName.empty() ? source.patientName
                                                         : source.studyInstanceUid;
  return sha256Hex(mSalt + '\n' + key).substr(0, 12);
}

std::string DeidentifyMap::patientName(const DicomSource& source) const { return "ANON^" + hashOf(source); }
std::string DeidentifyMap::patientId(const DicomSource& source) const { return "ANON-" + hashOf(source); }

DicomSource deidentifySource(const DicomSource& source, DeidentifyMap& map) {
  DicomSource out;
  // PS3.15 Table E.1-1: names and IDs replaced (D), the rest emptied (Z) or left out (X).
  out.patientName = map.patientName(source);
  out.patientId = map.patientId(source);
  out.studyInstanceUid = map.uid(source.studyInstanceUid);
  out.seriesInstanceUid = map.uid(source.seriesInstanceUid);
  out.frameOfReferenceUid = map.uid(source.frameOfReferenceUid);
  out.studyDate = source.studyDate;  // shifted or removed with the other dates
  out.studyTime = source.studyTime;
  out.sopClassUid = source.sopClassUid;  // a class, not an instance: kept
  for (const std::string& uid : source.sopInstanceUids) out.sopInstanceUids.push_back(map.uid(uid));
  out.sliceFileIndex = source.sliceFileIndex;
  out.frameNumbers = source.frameNumbers;
  out.specificCharacterSet = source.specificCharacterSet;
  return out;
}

std::optional<std::string> shiftDicomDate(const std::string& date, int days) {
  if (date.empty()) return std::string();
  if (date.size() != 8 || date.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  using namespace std::chrono;
  year_month_day ymd{year{std::stoi(date.substr(0, 4))}, month{static_cast<unsigned>(std::stoi(date.substr(4, 2)))},
                     day{static_cast<unsigned>(std::stoi(date.substr(6, 2)))}};
  if (!ymd.ok()) return std::nullopt;
  year_month_day shifted{sys_days{ymd} + std::chrono::days{days}};
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d%02u%02u", static_cast<int>(shifted.year()),
                static_cast<unsigned>(shifted.month()), static_cast<unsigned>(shifted.day()));
  return std::string(buffer);
}

core::Result<void> applyDeidentifyMap(LoadedImage& source, const std::string& mapPath) {
  if (!source.dicom) return makeError(mapPath + ": a de-identification map applies only to a DICOM series");
  std::error_code ec;
  if (!std::filesystem::exists(mapPath, ec)) return makeError(mapPath + ": no such de-identification map");
  auto map = DeidentifyMap::load(mapPath);
  if (!map) return map.error();
  DicomSource& s = *source.dicom;
  auto frame = map->findUid(s.frameOfReferenceUid);
  if (!frame)
    return makeError(mapPath + ": this map does not know the series' frame of reference (" +
                     shortUid(s.frameOfReferenceUid) + "); it was not used to de-identify an export of this series");
  s.frameOfReferenceUid = *frame;
  auto mapped = [&](std::string& uid) {
    if (auto to = map->findUid(uid)) uid = *to;
  };
  mapped(s.studyInstanceUid);
  mapped(s.seriesInstanceUid);
  for (std::string& uid : s.sopInstanceUids) mapped(uid);
  return {};
}

}  // namespace delineo::io
