#include "core/io/TarGzReader.h"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <filesystem>

namespace delineo::io {

namespace {

constexpr std::size_t kBlock = 512;
constexpr std::size_t kChunk = std::size_t{1} << 20;
// Long-name and pax records are a few hundred bytes; anything larger is a damaged header.
constexpr std::uint64_t kMaxMetaMember = 1 << 20;
// Past the end-of-archive marker only tar padding and the gzip trailer should follow; reading
// on is what verifies the CRC, but trailing junk is not worth unbounded time.
constexpr std::uint64_t kMaxTrailing = std::uint64_t{64} << 20;

std::string field(const std::uint8_t* block, std::size_t offset, std::size_t length) {
  const char* begin = reinterpret_cast<const char*>(block + offset);
  return std::string(begin, strnlen(begin, length));
}

// Octal, or GNU's base-256 for sizes of 8 GiB and more (high bit of the first byte set).
std::optional<std::uint64_t> parseNumber(const std::uint8_t* p, std::size_t length) {
  if (p[0] & 0x80) {
    std::uint64_t value = p[0] & 0x3f;
    for (std::size_t i = 1; i < length; ++i) {
      if (value >> 55) return std::nullopt;
      value = (value << 8) | p[i];
    }
    return value;
  }
  std::size_t i = 0;
  while (i < length && (p[i] == ' ' || p[i] == 0)) ++i;
  std::uint64_t value = 0;
  bool any = false;
  for (; i < length && p[i] >= '0' && p[i] <= '7'; ++i) {
    if (value >> 60) return std::nullopt;
    value = value * 8 + static_cast<std::uint64_t>(p[i] - '0');
    any = true;
  }
  if (i < length && p[i] != ' ' && p[i] != 0) return std::nullopt;
  return any ? std::optional<std::uint64_t>(value) : std::optional<std::uint64_t>(0);
}

bool checksumMatches(const std::uint8_t* block) {
  auto stored = parseNumber(block + 148, 8);
  if (!stored) return false;
  std::uint64_t unsignedSum = 0;
  std::int64_t signedSum = 0;  // some old tars summed signed chars
  for (std::size_t i = 0; i < kBlock; ++i) {
    std::uint8_t b = (i >= 148 && i < 156) ? std::uint8_t{' '} : block[i];
    unsignedSum += b;
    signedSum += static_cast<signed char>(b);
  }
  return *stored == unsignedSum || static_cast<std::int64_t>(*stored) == signedSum;
}

// The "path" record of a pax extended header ("<len> path=<value>\n" records).
std::optional<std::string> paxPath(const std::vector<std::uint8_t>& data) {
  std::string text(data.begin(), data.end());
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t space = text.find(' ', pos);
    if (space == std::string::npos) break;
    std::size_t length = 0;
    for (std::size_t i = pos; i < space; ++i) {
      if (text[i] < '0' || text[i] > '9' || length > text.size()) return std::nullopt;
      length = length * 10 + static_cast<std::size_t>(text[i] - '0');
    }
    if (length <= space - pos || pos + length > text.size()) return std::nullopt;
    std::string record = text.substr(space + 1, pos + length - space - 1);
    if (!record.empty() && record.back() == '\n') record.pop_back();
    if (record.rfind("path=", 0) == 0) return record.substr(5);
    pos += length;
  }
  return std::nullopt;
}

// zlib's gzerror prefixes the path, which our messages already name.
std::string zlibMessage(const char* message, const std::string& path) {
  std::string text = message && *message ? message : "read error";
  if (text.rfind(path + ": ", 0) == 0) text.erase(0, path.size() + 2);
  return text;
}

}  // namespace

struct TarGzReader::Stream {
  gzFile file = nullptr;
  std::string path;
  std::uint64_t fileSize = 0;
  std::uint64_t remaining = 0;  // unread data bytes of the current member
  std::uint64_t padding = 0;    // zero bytes after them up to the next 512-byte block
  std::string current;          // name of the current member, for messages
  int memberIndex = 0;
  bool ended = false;

  ~Stream() {
    if (file) gzclose(file);
  }
};

TarGzReader::TarGzReader(std::unique_ptr<Stream> stream) : mStream(std::move(stream)) {}
TarGzReader::TarGzReader(TarGzReader&&) noexcept = default;
TarGzReader& TarGzReader::operator=(TarGzReader&&) noexcept = default;
TarGzReader::~TarGzReader() = default;

core::Result<TarGzReader> TarGzReader::open(const std::string& path) {
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  if (ec) return core::makeError("Cannot open " + path + ": " + ec.message() + ".");
  auto stream = std::make_unique<Stream>();
  stream->path = path;
  stream->fileSize = size;
  // gzopen reads a file without a gzip header as it is, so plain tars work too.
  stream->file = gzopen(path.c_str(), "rb");
  if (!stream->file) return core::makeError("Cannot open " + path + ".");
  gzbuffer(stream->file, 256 * 1024);
  return TarGzReader(std::move(stream));
}

double TarGzReader::fraction() const {
  if (mStream->fileSize == 0) return 1.0;
  z_off_t offset = gzoffset(mStream->file);
  if (offset < 0) return 0.0;
  return std::min(1.0, static_cast<double>(offset) / static_cast<double>(mStream->fileSize));
}

core::Result<void> TarGzReader::readExact(std::uint8_t* out, std::size_t n, const char* what) {
  std::size_t done = 0;
  while (done < n) {
    auto want = static_cast<unsigned>(std::min<std::size_t>(n - done, kChunk));
    int got = gzread(mStream->file, out + done, want);
    if (got < 0 || (got == 0 && !gzeof(mStream->file))) {
      int code = Z_OK;
      const char* message = gzerror(mStream->file, &code);
      return core::makeError(mStream->path + " is damaged: decompression failed in " + what + " (" +
                             zlibMessage(message, mStream->path) + ").");
    }
    if (got == 0) {
      int code = Z_OK;
      const char* message = gzerror(mStream->file, &code);
      std::string detail = code != Z_OK ? " (" + zlibMessage(message, mStream->path) + ")" : "";
      return core::makeError(mStream->path + " is truncated: it ends inside " + what + detail + ".");
    }
    done += static_cast<std::size_t>(got);
  }
  return {};
}

core::Result<void> TarGzReader::skipRemaining() {
  std::array<std::uint8_t, 64 * 1024> scratch;
  std::uint64_t left = mStream->remaining + mStream->padding;
  std::string what = "'" + mStream->current + "'";
  while (left > 0) {
    auto n = static_cast<std::size_t>(std::min<std::uint64_t>(left, scratch.size()));
    if (auto r = readExact(scratch.data(), n, what.c_str()); !r) return r;
    left -= n;
  }
  mStream->remaining = 0;
  mStream->padding = 0;
  return {};
}

core::Result<void> TarGzReader::drainToEnd() {
  std::array<std::uint8_t, 64 * 1024> scratch;
  std::uint64_t total = 0;
  while (total < kMaxTrailing) {
    int got = gzread(mStream->file, scratch.data(), static_cast<unsigned>(scratch.size()));
    if (got > 0) {
      total += static_cast<std::uint64_t>(got);
      continue;
    }
    int code = Z_OK;
    const char* message = gzerror(mStream->file, &code);
    if (got < 0 || (code != Z_OK && code != Z_STREAM_END))
      return core::makeError(mStream->path + " is damaged: the end of its compressed stream is invalid (" +
                             zlibMessage(message, mStream->path) + ").");
    break;
  }
  return {};
}

core::Result<std::optional<TarMember>> TarGzReader::next() {
  if (mStream->ended) return std::optional<TarMember>{};
  if (auto r = skipRemaining(); !r) return r.error();

  std::optional<std::string> longName;
  while (true) {
    std::array<std::uint8_t, kBlock> block;
    std::string where = "the header of member " + std::to_string(mStream->memberIndex + 1);
    if (auto r = readExact(block.data(), block.size(), where.c_str()); !r) return r.error();

    if (std::all_of(block.begin(), block.end(), [](std::uint8_t b) { return b == 0; })) {
      mStream->ended = true;
      if (auto r = drainToEnd(); !r) return r.error();
      return std::optional<TarMember>{};
    }
    if (!checksumMatches(block.data())) {
      if (mStream->memberIndex == 0)
        return core::makeError(mStream->path +
                               " is not a tar archive (its first header is not a tar header).");
      return core::makeError(mStream->path + " is damaged: " + where + " has a wrong checksum.");
    }
    auto size = parseNumber(block.data() + 124, 12);
    if (!size) return core::makeError(mStream->path + " is damaged: " + where + " has an unreadable size.");

    TarMember member;
    member.size = *size;
    char type = static_cast<char>(block[156]);
    std::string name = field(block.data(), 0, 100);
    // POSIX ustar splits long paths into prefix + name; GNU tar uses those bytes otherwise.
    if (std::memcmp(block.data() + 257, "ustar\0", 6) == 0) {
      std::string prefix = field(block.data(), 345, 155);
      if (!prefix.empty()) name = prefix + "/" + name;
    }
    member.name = longName ? *longName : name;
    member.regularFile = type == '0' || type == '\0' || type == '7';
    mStream->current = member.name;
    mStream->remaining = member.size;
    mStream->padding = (kBlock - member.size % kBlock) % kBlock;
    ++mStream->memberIndex;

    if (type == 'L' || type == 'x') {
      auto data = readData(kMaxMetaMember);
      if (!data) return data.error();
      if (type == 'L') {
        std::string text(data->begin(), data->end());
        longName = text.substr(0, text.find('\0'));
      } else if (auto path = paxPath(*data)) {
        longName = *path;
      }
      if (auto r = skipRemaining(); !r) return r.error();
      continue;
    }
    if (type == 'K' || type == 'g') {  // long link names and global pax records: not needed
      if (auto r = skipRemaining(); !r) return r.error();
      continue;
    }
    return std::optional<TarMember>(std::move(member));
  }
}

core::Result<std::vector<std::uint8_t>> TarGzReader::readData(std::uint64_t maxBytes,
                                                              const std::function<bool()>& keepGoing) {
  if (mStream->remaining > maxBytes)
    return core::makeError(mStream->path + ": member '" + mStream->current + "' claims " +
                           std::to_string(mStream->remaining) + " bytes, more than the " +
                           std::to_string(maxBytes) + " it may have.");
  std::vector<std::uint8_t> data;
  std::string what = "'" + mStream->current + "'";
  while (mStream->remaining > 0) {
    auto n = static_cast<std::size_t>(std::min<std::uint64_t>(mStream->remaining, kChunk));
    std::size_t old = data.size();
    data.resize(old + n);  // grows with what arrives, never with what the header claims
    if (auto r = readExact(data.data() + old, n, what.c_str()); !r) return r.error();
    mStream->remaining -= n;
    if (keepGoing && !keepGoing()) return core::makeError("cancelled");
  }
  return data;
}

}  // namespace delineo::io
