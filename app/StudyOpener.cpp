#include "app/StudyOpener.h"

#include <cstdlib>
#include <filesystem>
#include <unistd.h>

#include "app/Samples.h"
#include "core/io/ImageIO.h"

namespace delineo::app {

namespace fs = std::filesystem;

std::string defaultLabelmapPath(const std::string& studyPath) {
  fs::path study(studyPath);
  std::string stem = study.filename().string();
  for (const char* ext : {".nii.gz", ".seg.nrrd", ".nii", ".nrrd", ".mha", ".mhd", ".inv3", ".dcm"})
    if (stem.size() > std::string(ext).size() && stem.ends_with(ext)) {
      stem.resize(stem.size() - std::string(ext).size());
      break;
    }
  if (stem.empty()) stem = "study";
  std::string name = stem + "-labels.nii.gz";
  fs::path dir = fs::is_directory(study) ? study.parent_path() : study.parent_path();
  std::error_code ec;
  auto perms = fs::status(dir, ec).permissions();
  // Never beside packaged data (/usr, e.g. the bundled samples), even where root may write.
  const std::string absolute = fs::absolute(dir, ec).lexically_normal().string();
  bool packaged = absolute.starts_with("/usr/") || absolute == "/usr";
  bool writable = !ec && !dir.empty() && !packaged && (perms & fs::perms::owner_write) != fs::perms::none &&
                  ::access(dir.c_str(), W_OK) == 0;
  if (writable) return (dir / name).string();
  const char* xdg = std::getenv("XDG_DATA_HOME");
  const char* home = std::getenv("HOME");
  fs::path base = xdg && *xdg ? fs::path(xdg) : fs::path(home ? home : ".") / ".local" / "share";
  fs::create_directories(base / "delineo", ec);
  return (base / "delineo" / name).string();
}

core::Result<Session> openStudySession(const std::string& path, const std::string& sample, const std::string& labels,
                                       const SessionOptions& options, const core::TaskControl& control) {
  std::string study = path;
  if (study.empty())
    for (const auto& s : samples())
      if (s.name == sample) study = s.volumePath;
  auto image = path.empty() ? loadSample(sample, control) : io::readImage(path, {}, control);
  if (!image) return image.error();
  control.progress(0.95, "opening the labelmap");
  return Session::open(std::move(image).value(), labels.empty() ? defaultLabelmapPath(study) : labels, options);
}

}  // namespace delineo::app
