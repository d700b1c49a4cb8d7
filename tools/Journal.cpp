#include "tools/Journal.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <zlib.h>

#include "core/LabelTableJson.h"

namespace delineo::tools {

namespace {

constexpr char kMagic[8] = {'D', 'L', 'N', 'J', 'R', 'N', 'L', '1'};
// A record larger than this is corruption, not an edit (a full 1024^3 relabel RLE-encodes to
// far less).
constexpr std::uint32_t kMaxRecordBytes = 1u << 30;

class Writer {
 public:
  void u8(std::uint8_t v) { mBytes.push_back(v); }
  void u32(std::uint32_t v) { raw(&v, 4); }
  void u64(std::uint64_t v) { raw(&v, 8); }
  void i64(std::int64_t v) { raw(&v, 8); }
  void bytes(const std::vector<std::uint8_t>& b) {
    u32(static_cast<std::uint32_t>(b.size()));
    mBytes.insert(mBytes.end(), b.begin(), b.end());
  }
  void text(const std::string& s) {
    u32(static_cast<std::uint32_t>(s.size()));
    mBytes.insert(mBytes.end(), s.begin(), s.end());
  }
  std::vector<std::uint8_t>& data() { return mBytes; }

 private:
  void raw(const void* p, std::size_t n) {
    auto b = static_cast<const std::uint8_t*>(p);
    mBytes.insert(mBytes.end(), b, b + n);
  }
  std::vector<std::uint8_t> mBytes;
};

class Reader {
 public:
  Reader(const std::uint8_t* data, std::size_t size) : mData(data), mSize(size) {}
  bool u8(std::uint8_t& v) { return raw(&v, 1); }
  bool u32(std::uint32_t& v) { return raw(&v, 4); }
  bool u64(std::uint64_t& v) { return raw(&v, 8); }
  bool i64(std::int64_t& v) { return raw(&v, 8); }
  bool bytes(std::vector<std::uint8_t>& b) {
    std::uint32_t n;
    if (!u32(n) || n > mSize - mPos) return false;
    b.assign(mData + mPos, mData + mPos + n);
    mPos += n;
    return true;
  }
  bool text(std::string& s) {
    std::uint32_t n;
    if (!u32(n) || n > mSize - mPos) return false;
    s.assign(reinterpret_cast<const char*>(mData) + mPos, n);
    mPos += n;
    return true;
  }
  bool atEnd() const { return mPos == mSize; }

 private:
  bool raw(void* p, std::size_t n) {
    if (n > mSize - mPos) return false;
    std::memcpy(p, mData + mPos, n);
    mPos += n;
    return true;
  }
  const std::uint8_t* mData;
  std::size_t mSize;
  std::size_t mPos = 0;
};

std::uint32_t crcOf(const std::vector<std::uint8_t>& payload) {
  return static_cast<std::uint32_t>(crc32(0L, payload.data(), static_cast<uInt>(payload.size())));
}

std::vector<std::uint8_t> encodeRecord(const JournalRecord& r) {
  Writer w;
  w.u8(static_cast<std::uint8_t>(r.kind));
  w.u64(r.hashAfter);
  w.i64(r.step.timeMs);
  nlohmann::json meta{{"name", r.step.name}, {"tool", r.step.tool}, {"params", r.step.paramsJson}};
  if (!r.step.annotator.empty()) meta["annotator"] = r.step.annotator;
  if (r.step.tableAfter) meta["table"] = core::toJson(*r.step.tableAfter);
  if (r.step.tableBefore) meta["table_before"] = core::toJson(*r.step.tableBefore);
  w.text(meta.dump());
  w.u32(static_cast<std::uint32_t>(r.step.voxels.bricks.size()));
  for (const auto& b : r.step.voxels.bricks) {
    w.i64(b.brick);
    w.bytes(b.before);
    w.bytes(b.after);
  }
  w.i64(r.step.voxels.changedVoxels);
  Writer framed;
  framed.u32(static_cast<std::uint32_t>(w.data().size()));
  framed.u32(crcOf(w.data()));
  framed.data().insert(framed.data().end(), w.data().begin(), w.data().end());
  return std::move(framed.data());
}

bool decodeRecord(const std::vector<std::uint8_t>& payload, JournalRecord& r) {
  Reader in(payload.data(), payload.size());
  std::uint8_t kind;
  std::string metaText;
  std::uint32_t brickCount;
  if (!in.u8(kind) || kind < 1 || kind > 5 || !in.u64(r.hashAfter) || !in.i64(r.step.timeMs) ||
      !in.text(metaText) || !in.u32(brickCount))
    return false;
  r.kind = static_cast<JournalRecord::Kind>(kind);
  auto meta = nlohmann::json::parse(metaText, nullptr, false);
  if (meta.is_discarded() || !meta.is_object()) return false;
  r.step.name = meta.value("name", "");
  r.step.tool = meta.value("tool", "");
  r.step.paramsJson = meta.value("params", "");
  r.step.annotator = meta.value("annotator", "");
  if (meta.contains("table")) {
    auto t = core::labelTableFromJson(meta["table"]);
    if (!t) return false;
    r.step.tableAfter = std::move(t).value();
  }
  if (meta.contains("table_before")) {
    auto t = core::labelTableFromJson(meta["table_before"]);
    if (!t) return false;
    r.step.tableBefore = std::move(t).value();
  }
  r.step.voxels.bricks.resize(brickCount);
  for (auto& b : r.step.voxels.bricks)
    if (!in.i64(b.brick) || !in.bytes(b.before) || !in.bytes(b.after)) return false;
  return in.i64(r.step.voxels.changedVoxels) && in.atEnd();
}

std::string geometryHeader(const core::Geometry& g) {
  nlohmann::json j{{"version", 1},
                   {"dims", {g.dims[0], g.dims[1], g.dims[2]}},
                   {"spacing_mm", {g.spacingMm.x, g.spacingMm.y, g.spacingMm.z}},
                   {"origin_mm", {g.originMm.x, g.originMm.y, g.originMm.z}}};
  nlohmann::json dir = nlohmann::json::array();
  for (int r = 0; r < 3; ++r) dir.push_back({g.direction.m[r][0], g.direction.m[r][1], g.direction.m[r][2]});
  j["direction"] = dir;
  return j.dump();
}

core::Result<core::Geometry> parseGeometryHeader(const std::string& text, const std::string& path) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  try {
    if (j.is_discarded() || j.value("version", 0) != 1) throw std::runtime_error("bad header");
    core::Geometry g;
    for (int a = 0; a < 3; ++a) {
      g.dims[a] = j.at("dims").at(a).get<std::int64_t>();
      g.spacingMm[a] = j.at("spacing_mm").at(a).get<double>();
      g.originMm[a] = j.at("origin_mm").at(a).get<double>();
      for (int c = 0; c < 3; ++c) g.direction.m[a][c] = j.at("direction").at(a).at(c).get<double>();
    }
    if (auto r = g.validate(path); !r) return r.error();
    return g;
  } catch (const std::exception&) {
    return core::makeError(path + ": not a Delineo journal (unreadable header)");
  }
}

core::Result<void> writeAll(int fd, const std::vector<std::uint8_t>& bytes, const std::string& path) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return core::makeError(path + ": cannot write the journal: " + std::strerror(errno));
    }
    done += static_cast<std::size_t>(n);
  }
  return {};
}

void syncFolder(const std::string& path) {
  auto folder = std::filesystem::path(path).parent_path();
  int dfd = ::open(folder.empty() ? "." : folder.c_str(), O_RDONLY | O_DIRECTORY);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
}

struct Scan {
  JournalContents contents;
  std::size_t validEnd = 0;  // byte offset just past the last intact record
};

core::Result<Scan> scanJournal(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::makeError(path + ": cannot open the journal");
  std::vector<std::uint8_t> data((std::istreambuf_iterator<char>(in)), {});
  if (data.size() < 12 || std::memcmp(data.data(), kMagic, 8) != 0)
    return core::makeError(path + ": not a Delineo journal (bad magic)");
  std::uint32_t headerLength;
  std::memcpy(&headerLength, data.data() + 8, 4);
  if (headerLength > data.size() - 12) return core::makeError(path + ": journal header is truncated");
  Scan scan;
  auto geometry = parseGeometryHeader(
      std::string(reinterpret_cast<const char*>(data.data()) + 12, headerLength), path);
  if (!geometry) return geometry.error();
  scan.contents.geometry = *geometry;
  std::size_t pos = 12 + headerLength;
  scan.validEnd = pos;
  while (pos < data.size()) {
    const std::size_t index = scan.contents.records.size() + 1;
    if (data.size() - pos < 8) {
      scan.contents.warnings.push_back(path + ": the last record (" + std::to_string(index) +
                                       ") was torn by a crash mid-write and is dropped");
      break;
    }
    std::uint32_t length, crc;
    std::memcpy(&length, data.data() + pos, 4);
    std::memcpy(&crc, data.data() + pos + 4, 4);
    if (length > kMaxRecordBytes || length > data.size() - pos - 8) {
      scan.contents.warnings.push_back(path + ": the last record (" + std::to_string(index) +
                                       ") was torn by a crash mid-write and is dropped");
      break;
    }
    std::vector<std::uint8_t> payload(data.begin() + static_cast<std::ptrdiff_t>(pos + 8),
                                      data.begin() + static_cast<std::ptrdiff_t>(pos + 8 + length));
    JournalRecord record;
    if (crcOf(payload) != crc || !decodeRecord(payload, record)) {
      bool last = pos + 8 + length == data.size();
      scan.contents.warnings.push_back(
          path + ": record " + std::to_string(index) + " fails its checksum" +
          (last ? " (torn by a crash mid-write) and is dropped" : "; it and every later record are ignored"));
      break;
    }
    scan.contents.records.push_back(std::move(record));
    pos += 8 + length;
    scan.validEnd = pos;
  }
  return scan;
}

}  // namespace

core::Result<Journal> Journal::create(const std::string& path, const core::Labelmap& labelmap, std::uint64_t hash) {
  std::string temp = path + ".tmp";
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return core::makeError(path + ": cannot create the journal: " + std::strerror(errno));
  Writer header;
  for (char c : kMagic) header.u8(static_cast<std::uint8_t>(c));
  header.text(geometryHeader(labelmap.geometry()));

  // The base: every non-empty brick, as a delta from all-background.
  JournalRecord base;
  base.kind = JournalRecord::Kind::Base;
  base.hashAfter = hash;
  base.step.name = "Base";
  base.step.tool = "base";
  base.step.tableAfter = labelmap.labels();
  std::vector<std::uint8_t> voxels;
  for (std::int64_t b = 0; b < labelmap.brickCount(); ++b) {
    readBrick(labelmap, b, voxels);
    std::int64_t nonZero = 0;
    for (auto v : voxels) nonZero += v != 0;
    if (!nonZero) continue;
    std::vector<std::uint8_t> zeros(voxels.size(), 0);
    base.step.voxels.bricks.push_back({b, encodeRuns(zeros), encodeRuns(voxels)});
    base.step.voxels.changedVoxels += nonZero;
  }
  auto bytes = std::move(header.data());
  auto record = encodeRecord(base);
  bytes.insert(bytes.end(), record.begin(), record.end());
  auto written = writeAll(fd, bytes, path);
  if (!written || ::fsync(fd) != 0) {
    ::close(fd);
    ::unlink(temp.c_str());
    return written ? core::makeError(path + ": cannot flush the journal to disk") : written.error();
  }
  ::close(fd);
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    ::unlink(temp.c_str());
    return core::makeError(path + ": cannot create the journal: " + std::strerror(errno));
  }
  syncFolder(path);
  return openForAppend(path);
}

core::Result<Journal> Journal::openForAppend(const std::string& path) {
  auto scan = scanJournal(path);
  if (!scan) return scan.error();
  int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return core::makeError(path + ": cannot open the journal: " + std::strerror(errno));
  // Cut a torn tail so new records follow the last intact one.
  if (::ftruncate(fd, static_cast<off_t>(scan->validEnd)) != 0 ||
      ::lseek(fd, 0, SEEK_END) < 0 || ::fsync(fd) != 0) {
    ::close(fd);
    return core::makeError(path + ": cannot repair the journal: " + std::strerror(errno));
  }
  return Journal(path, fd);
}

core::Result<JournalContents> Journal::read(const std::string& path) {
  auto scan = scanJournal(path);
  if (!scan) return scan.error();
  return std::move(scan->contents);
}

Journal::Journal(Journal&& other) noexcept : mPath(std::move(other.mPath)), mFd(other.mFd) { other.mFd = -1; }

Journal& Journal::operator=(Journal&& other) noexcept {
  if (this != &other) {
    if (mFd >= 0) ::close(mFd);
    mPath = std::move(other.mPath);
    mFd = other.mFd;
    other.mFd = -1;
  }
  return *this;
}

Journal::~Journal() {
  if (mFd >= 0) ::close(mFd);
}

core::Result<void> Journal::append(const JournalRecord& record) {
  auto bytes = encodeRecord(record);
  if (auto r = writeAll(mFd, bytes, mPath); !r) return r;
  // fdatasync: the record's bytes and the file length reach the disk before the edit counts.
  if (::fdatasync(mFd) != 0)
    return core::makeError(mPath + ": cannot flush the journal to disk: " + std::strerror(errno));
  return {};
}

core::Result<void> Journal::moveTo(const std::string& newPath) {
  if (newPath == mPath) return {};
  if (::rename(mPath.c_str(), newPath.c_str()) != 0)
    return core::makeError(newPath + ": cannot move the journal here: " + std::strerror(errno));
  syncFolder(newPath);
  mPath = newPath;
  return {};
}

bool replayRecords(const std::vector<JournalRecord>& records, std::size_t applyFrom,
                   core::Labelmap& labelmap, History& history) {
  for (std::size_t i = 0; i < records.size(); ++i) {
    const JournalRecord& r = records[i];
    const bool apply = i >= applyFrom;
    switch (r.kind) {
      case JournalRecord::Kind::Base:
      case JournalRecord::Kind::Step:
        if (apply) {
          if (!applyDelta(labelmap, r.step.voxels, DeltaDirection::Redo)) return false;
          if (r.step.tableAfter) labelmap.labels() = *r.step.tableAfter;
        }
        if (r.kind == JournalRecord::Kind::Step) history.push(r.step);
        break;
      case JournalRecord::Kind::Undo:
        if (apply) history.undo(labelmap);
        else history.skipUndo();
        break;
      case JournalRecord::Kind::Redo:
        if (apply) history.redo(labelmap);
        else history.skipRedo();
        break;
      case JournalRecord::Kind::Checkpoint:
        if (apply && r.step.tableAfter) labelmap.labels() = *r.step.tableAfter;
        break;
    }
  }
  return true;
}

std::optional<std::size_t> recoveryStart(const std::vector<JournalRecord>& records, std::uint64_t fileHash) {
  if (records.empty()) return std::nullopt;
  std::size_t lastSave = 0;
  for (std::size_t i = 0; i < records.size(); ++i)
    if (records[i].kind == JournalRecord::Kind::Base || records[i].kind == JournalRecord::Kind::Checkpoint)
      lastSave = i;
  if (records[lastSave].hashAfter == fileHash) return lastSave + 1;
  // Saved, but the crash came before the checkpoint was appended: nothing newer to replay.
  if (records.back().hashAfter == fileHash) return records.size();
  return std::nullopt;
}

}  // namespace delineo::tools
