// Loads one DICOM series with Delineo's reader (parallel decode) and with ITK's GDCM series
// reader in the same process, checks that both give the same voxels in patient space, and
// prints a table: ours, ITK, and the ratio.
// Usage: bench_dicom_load [SERIES_FOLDER] [REPEATS]
// Without a folder it writes a 512x512x120 int16 CT phantom series to a temporary folder.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>

#include <itkGDCMImageIO.h>
#include <itkGDCMSeriesFileNames.h>
#include <itkImage.h>
#include <itkImageSeriesReader.h>

#include "core/io/DicomSeries.h"
#include "tests/unit/DicomPhantom.h"
#include "tests/unit/ItkVolume.h"
#include "tests/unit/TestSupport.h"

namespace {

namespace fs = std::filesystem;
using namespace delineo;

using Clock = std::chrono::steady_clock;
double msSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

fs::path writeDefaultSeries() {
  fs::path dir = fs::temp_directory_path() / "delineo-bench-dicom";
  fs::path done = dir / ".complete";
  if (fs::exists(done)) return dir;
  fs::remove_all(dir);
  test::PhantomSpec spec;
  spec.geometry.dims = {512, 512, 120};
  spec.geometry.spacingMm = {0.7, 0.7, 1.25};
  spec.geometry.originMm = {-179.0, -179.0, -60.0};
  spec.rescaleIntercept = -1024;
  spec.bitsStored = 12;
  spec.signedPixels = false;
  spec.stored = [](std::int64_t i, std::int64_t j, std::int64_t k) {
    return int((i * 3 + j * 5 + k * 7) % 4096);
  };
  std::printf("writing a 512x512x120 int16 phantom series to %s\n", dir.c_str());
  test::writePhantomSeries(spec, dir);
  std::FILE* f = std::fopen(done.c_str(), "w");
  if (f) std::fclose(f);
  return dir;
}

core::Result<core::Volume> loadWithItk(const fs::path& dir) {
  using Image = itk::Image<float, 3>;
  try {
    auto names = itk::GDCMSeriesFileNames::New();
    names->SetUseSeriesDetails(false);
    names->SetDirectory(dir.string());
    const auto& uids = names->GetSeriesUIDs();
    if (uids.empty()) return core::makeError("ITK found no series in " + dir.string());
    auto reader = itk::ImageSeriesReader<Image>::New();
    reader->SetImageIO(itk::GDCMImageIO::New());
    reader->SetFileNames(names->GetFileNames(uids.front()));
    reader->Update();
    return test::volumeFromItk(*reader->GetOutput());
  } catch (const std::exception& e) {
    return core::makeError(std::string("ITK: ") + e.what());
  }
}

}  // namespace

int main(int argc, char** argv) {
  fs::path dir = argc > 1 ? fs::path(argv[1]) : writeDefaultSeries();
  int repeats = argc > 2 ? std::max(1, std::atoi(argv[2])) : 3;

  // Warm the page cache once so both readers see the same disk state.
  auto warm = io::loadDicomSeries(dir.string());
  if (!warm.ok()) {
    std::fprintf(stderr, "ours: %s\n", warm.message().c_str());
    return 1;
  }
  double oursMs = 1e300, itkMs = 1e300;
  core::Volume ours, theirs;
  for (int r = 0; r < repeats; ++r) {
    auto start = Clock::now();
    auto a = io::loadDicomSeries(dir.string());
    oursMs = std::min(oursMs, msSince(start));
    if (!a.ok()) return 1;
    ours = std::move(a->volume);

    start = Clock::now();
    auto b = loadWithItk(dir);
    itkMs = std::min(itkMs, msSince(start));
    if (!b.ok()) {
      std::fprintf(stderr, "%s\n", b.message().c_str());
      return 1;
    }
    theirs = std::move(b.value());
  }

  std::string difference = test::compareInPatientSpace(ours, theirs, 1e-3, 0.0);
  const core::Geometry& g = ours.geometry();
  std::printf("\nseries: %s (%s, %s, %u threads)\n", dir.c_str(), core::toString(g.dims).c_str(),
              core::scalarName(ours.scalarType()), std::thread::hardware_concurrency());
  std::printf("voxels equal to ITK's: %s\n", difference.empty() ? "yes" : difference.c_str());
  std::printf("\n| reader                      | best of %d (ms) |\n", repeats);
  std::printf("|-----------------------------|----------------|\n");
  std::printf("| delineo loadDicomSeries     | %14.1f |\n", oursMs);
  std::printf("| ITK ImageSeriesReader+GDCM  | %14.1f |\n", itkMs);
  std::printf("| ratio ITK / ours            | %14.2f |\n", itkMs / oursMs);
  return difference.empty() ? 0 : 2;
}
