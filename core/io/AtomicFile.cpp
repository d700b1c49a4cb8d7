#include "core/io/AtomicFile.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <vector>

namespace delineo::io {

namespace fs = std::filesystem;

namespace {

std::string lowerCase(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string systemError(int error) { return std::strerror(error); }

// A name that no other writer (thread or process) picks: pid, a process-wide counter and the
// clock. The caller still creates it with O_EXCL, so a collision fails instead of clobbering.
std::string uniqueTag() {
  static std::atomic<unsigned> counter{0};
  auto now = static_cast<unsigned long long>(std::chrono::steady_clock::now().time_since_epoch().count());
  return std::to_string(::getpid()) + "-" + std::to_string(counter.fetch_add(1)) + "-" +
         std::to_string(now % 1000000);
}

core::Result<void> fsyncPath(const std::string& path, bool directory) {
  int fd = ::open(path.c_str(), directory ? (O_RDONLY | O_DIRECTORY) : O_RDONLY);
  if (fd < 0) return core::makeError(path + ": cannot open to flush it to disk: " + systemError(errno));
  int rc = ::fsync(fd);
  int error = errno;
  ::close(fd);
  // Some file systems (tmpfs, certain network mounts) refuse fsync on folders; the rename is
  // still atomic there, so only a failed fsync of the file itself is an error.
  if (rc != 0 && !directory) return core::makeError(path + ": cannot flush to disk: " + systemError(error));
  return {};
}

std::string parentFolder(const std::string& path) {
  fs::path parent = fs::path(path).parent_path();
  return parent.empty() ? std::string(".") : parent.string();
}

// Gives the new file the permissions of the file it replaces (a user's group-readable
// labelmap stays group-readable); a new file keeps the umask default it was created with.
void copyPermissions(const std::string& from, const std::string& to) {
  struct stat st {};
  if (::stat(from.c_str(), &st) == 0) ::chmod(to.c_str(), st.st_mode & 07777);
}

// Replacing a symbolic link would cut the user's link; the file it points at is replaced instead.
std::string resolveLink(const std::string& path) {
  std::error_code ec;
  if (!fs::is_symlink(path, ec)) return path;
  fs::path target = fs::read_symlink(path, ec);
  if (ec) return path;
  return target.is_absolute() ? target.string() : (fs::path(path).parent_path() / target).string();
}

}  // namespace

std::string fileExtension(const std::string& path) {
  std::string name = lowerCase(fs::path(path).filename().string());
  // A leading dot marks a hidden file, not an extension.
  std::size_t start = name.find_first_not_of('.');
  if (start == std::string::npos) return {};
  std::size_t last = name.rfind('.');
  if (last == std::string::npos || last < start) return {};
  std::string ext = name.substr(last);
  // Compound extensions: a compression suffix and Slicer's ".seg.nrrd" keep the part before.
  if (ext == ".gz" || ext == ".bz2" || ext == ".xz" || ext == ".nrrd" || ext == ".txt") {
    std::size_t prev = name.rfind('.', last - 1);
    if (last > 0 && prev != std::string::npos && prev >= start) {
      std::string inner = name.substr(prev, last - prev);
      bool compound = ext == ".gz" || ext == ".bz2" || ext == ".xz"
                          ? inner.size() > 1 && inner.size() <= 5 &&
                                std::all_of(inner.begin() + 1, inner.end(), [](unsigned char c) { return std::isalpha(c); })
                          : (ext == ".nrrd" ? inner == ".seg" : inner == ".labels");
      if (compound) return inner + ext;
    }
  }
  return ext;
}

std::string temporaryPathFor(const std::string& path) {
  fs::path target(path);
  std::string name = target.filename().string();
  std::string ext = fileExtension(path);
  std::string stem = name.substr(0, name.size() - ext.size());
  // Hidden, and ending in the target's own extension so ITK picks the IO by suffix.
  std::string tempName = "." + stem + ".tmp-" + uniqueTag() + name.substr(name.size() - ext.size());
  return (target.parent_path() / tempName).string();
}

core::Result<void> writeAtomically(
    const std::string& userPath, const std::function<core::Result<void>(const std::string& tempPath)>& write) {
  if (userPath.empty()) return core::makeError("cannot write a file with an empty name");
  std::error_code ec;
  const std::string path = resolveLink(userPath);
  if (fs::is_directory(path, ec)) return core::makeError(path + ": is a folder, not a file");
  std::string folder = parentFolder(path);
  if (!fs::is_directory(folder, ec)) return core::makeError(path + ": folder " + folder + " does not exist");

  std::string temp = temporaryPathFor(path);
  // Reserve the name so two writers never share a temporary file.
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (fd < 0) return core::makeError(path + ": cannot create a temporary file in " + folder + ": " + systemError(errno));
  ::close(fd);

  auto fail = [&](const std::string& message) -> core::Result<void> {
    std::error_code ignored;
    fs::remove(temp, ignored);
    return core::makeError(message);
  };

  core::Result<void> written = write(temp);
  if (!written) return fail(written.message());
  if (!fs::is_regular_file(temp, ec)) return fail(path + ": the writer produced no file");
  if (auto synced = fsyncPath(temp, false); !synced) return fail(synced.message());
  copyPermissions(path, temp);
  if (::rename(temp.c_str(), path.c_str()) != 0)
    return fail(path + ": cannot replace the file: " + systemError(errno));
  (void)fsyncPath(folder, true);
  return {};
}

core::Result<void> writeAtomicallyWithCompanions(
    const std::string& path, const std::function<core::Result<void>(const std::string& tempPath)>& write) {
  if (path.empty()) return core::makeError("cannot write a file with an empty name");
  std::error_code ec;
  if (fs::is_directory(path, ec)) return core::makeError(path + ": is a folder, not a file");
  std::string folder = parentFolder(path);
  if (!fs::is_directory(folder, ec)) return core::makeError(path + ": folder " + folder + " does not exist");

  // A private folder beside the target: the writer names its data files after the header's
  // own name, which is already the final one, so the header's reference stays valid.
  fs::path tempFolder = fs::path(folder) / (".delineo-tmp-" + uniqueTag());
  if (!fs::create_directory(tempFolder, ec))
    return core::makeError(path + ": cannot create a temporary folder in " + folder + ": " + ec.message());
  auto cleanup = [&] {
    std::error_code ignored;
    fs::remove_all(tempFolder, ignored);
  };
  std::string header = fs::path(path).filename().string();
  std::string tempHeader = (tempFolder / header).string();

  core::Result<void> written = write(tempHeader);
  if (!written) {
    cleanup();
    return written;
  }
  if (!fs::is_regular_file(tempHeader, ec)) {
    cleanup();
    return core::makeError(path + ": the writer produced no file");
  }
  std::vector<std::string> companions;
  for (const auto& entry : fs::directory_iterator(tempFolder, ec)) {
    std::string name = entry.path().filename().string();
    if (auto synced = fsyncPath(entry.path().string(), false); !synced) {
      cleanup();
      return synced;
    }
    if (name != header) companions.push_back(name);
  }
  // Data files first, header last: the new header never points at data that is not there yet.
  companions.push_back(header);
  for (const auto& name : companions) {
    std::string from = (tempFolder / name).string();
    std::string to = (fs::path(folder) / name).string();
    copyPermissions(to, from);
    if (::rename(from.c_str(), to.c_str()) != 0) {
      int error = errno;
      cleanup();
      return core::makeError(to + ": cannot replace the file: " + systemError(error));
    }
  }
  cleanup();
  (void)fsyncPath(folder, true);
  return {};
}

core::Result<void> writeFileAtomically(const std::string& path, const std::string& bytes) {
  return writeAtomically(path, [&](const std::string& tempPath) -> core::Result<void> {
    int fd = ::open(tempPath.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
    if (fd < 0) return core::makeError(path + ": cannot write: " + systemError(errno));
    std::size_t done = 0;
    while (done < bytes.size()) {
      ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        int error = n < 0 ? errno : ENOSPC;
        ::close(fd);
        return core::makeError(path + ": cannot write: " + systemError(error));
      }
      done += static_cast<std::size_t>(n);
    }
    if (::close(fd) != 0) return core::makeError(path + ": cannot write: " + systemError(errno));
    return {};
  });
}

}  // namespace delineo::io
