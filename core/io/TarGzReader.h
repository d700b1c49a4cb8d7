#pragma once
// TarGzReader: reads the members of a tar archive, gzip'd or plain, one after another from the
// start (ustar, GNU long names and pax path records). It owns the open file; each member's data
// is read or skipped before the next header. Sizes in headers are never trusted for allocation:
// buffers grow only as data actually arrives, so a corrupt header cannot cause a huge allocation.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/Result.h"

namespace delineo::io {

struct TarMember {
  std::string name;         // path inside the archive, long names resolved
  std::uint64_t size = 0;   // data bytes, as the header states
  bool regularFile = true;  // false for directories, links and other special members
};

class TarGzReader {
 public:
  static core::Result<TarGzReader> open(const std::string& path);

  TarGzReader(TarGzReader&&) noexcept;
  TarGzReader& operator=(TarGzReader&&) noexcept;
  ~TarGzReader();

  // The next member's header (the previous member's unread data is skipped), or nullopt at the
  // end of the archive. At the end the rest of the gzip stream is read, so its CRC is checked.
  core::Result<std::optional<TarMember>> next();
  // The current member's data; fails when the archive ends early or the member exceeds maxBytes.
  // keepGoing is asked after each MiB; when it says no, the result is the error "cancelled".
  core::Result<std::vector<std::uint8_t>> readData(std::uint64_t maxBytes,
                                                   const std::function<bool()>& keepGoing = {});

  // Fraction of the compressed file consumed so far (0..1), for progress reports.
  double fraction() const;

 private:
  struct Stream;
  explicit TarGzReader(std::unique_ptr<Stream> stream);

  core::Result<void> skipRemaining();
  core::Result<void> readExact(std::uint8_t* out, std::size_t n, const char* what);
  core::Result<void> drainToEnd();

  std::unique_ptr<Stream> mStream;
};

}  // namespace delineo::io
