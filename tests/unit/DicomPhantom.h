#pragma once
// Synthetic DICOM series for exact-answer tests: a known geometry and known voxel values,
// written by DCMTK in a chosen transfer syntax, with file names and InstanceNumbers shuffled,
// optionally with one fault injected. Keep phantoms small: the suite runs on 2 cores.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "core/Geometry.h"

namespace delineo::test {

enum class PhantomSyntax {
  ImplicitLittle,
  ExplicitLittle,
  ExplicitBig,
  Deflated,
  Rle,
  JpegLossless,    // process 14, selection value 1
  JpegLsLossless,
  JpegBaseline,    // lossy, 8-bit only
};
const char* toString(PhantomSyntax syntax);

enum class PhantomFault {
  None,
  DuplicateSlice,      // slice faultSlice written twice (second copy under another name)
  MissingSlice,        // slice faultSlice not written
  GantryTilt,          // slice positions step along the normal tilted by tiltDegrees
  DifferentSize,       // slice faultSlice has 2 more rows
  MixedOrientation,    // slice faultSlice rotated 5 degrees in its plane
  MissingPosition,     // slice faultSlice lacks ImagePositionPatient
  TruncatedPixelData,  // slice faultSlice's file cut short inside its pixel data
};

struct PhantomSpec {
  // Grid in LPS. direction's third column must be cross(first, second) (DICOM's normal).
  core::Geometry geometry;
  // Stored value of voxel (i, j, k); the real-world value is stored * slope + intercept.
  std::function<int(std::int64_t i, std::int64_t j, std::int64_t k)> stored;
  std::string modality = "CT";
  std::string seriesDescription = "Phantom";
  std::string seriesUid;  // generated when empty
  std::string patientName = "Phantom^Secret";  // must never appear in messages
  std::string patientId = "PHANTOM-ID-0042";   // ... nor in anything we write by default
  std::string patientBirthDate = "19470312";
  std::string accessionNumber = "ACC-55501";
  double rescaleSlope = 1.0;
  double rescaleIntercept = 0.0;
  bool perSliceIntercept = false;  // intercept of slice k is rescaleIntercept + 10 k
  int bitsAllocated = 16;
  int bitsStored = 16;
  bool signedPixels = true;
  PhantomSyntax syntax = PhantomSyntax::ExplicitLittle;
  bool shuffle = true;  // file names and InstanceNumbers in an order unrelated to position
  unsigned seed = 7;
  PhantomFault fault = PhantomFault::None;
  int faultSlice = -1;  // -1: the middle slice
  double tiltDegrees = 12.0;
};

struct PhantomSeries {
  std::vector<std::filesystem::path> files;  // all files written, in slice order
  std::string seriesUid;
  std::vector<std::filesystem::path> faultFiles;  // files the injected fault involves
};

// A small oblique, anisotropic grid: 24x20x12, spacing (0.7, 0.9, 2.5) mm, rotated about a
// non-axis direction, origin off-centre.
core::Geometry obliquePhantomGeometry();
// Default stored values: distinct per voxel, negative and positive.
int defaultPhantomValue(std::int64_t i, std::int64_t j, std::int64_t k);

// Writes one file per slice into `dir` (created).
PhantomSeries writePhantomSeries(const PhantomSpec& spec, const std::filesystem::path& dir);
// Writes one Enhanced CT/MR multi-frame file (per-frame functional groups, frames shuffled).
std::filesystem::path writeEnhancedPhantom(const PhantomSpec& spec, const std::filesystem::path& dir);

// Real-world value the loader must produce at (i, j, k).
double expectedPhantomValue(const PhantomSpec& spec, std::int64_t i, std::int64_t j, std::int64_t k);

}  // namespace delineo::test
