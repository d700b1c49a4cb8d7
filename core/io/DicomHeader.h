#pragma once
// DicomHeader: what one DICOM file says about its image, read without its pixel data. Built by
// readDicomHeader() (DCMTK); consumed by the series assembly, which never touches DCMTK itself.
// Internal to delineo_io.

#include <optional>
#include <string>
#include <vector>

#include "core/Math.h"
#include "core/Result.h"
#include "core/io/LoadedImage.h"

namespace delineo::io {

// Geometry and value mapping of one frame. A classic file has one frame; an enhanced
// multi-frame file has one per frame, from its functional groups.
struct DicomFrameInfo {
  std::optional<core::Vec3> positionMm;  // ImagePositionPatient (LPS) of the first voxel
  std::optional<core::Vec3> rowDirection;     // along a row: increasing column index (i)
  std::optional<core::Vec3> columnDirection;  // down a column: increasing row index (j)
  std::optional<core::Vec3> pixelSpacingMm;   // x = i spacing (columns), y = j spacing (rows)
  double rescaleSlope = 1.0;
  double rescaleIntercept = 0.0;
  int frameIndex = 0;  // frame number within its file (0-based)
};

struct DicomHeader {
  std::string path;
  bool isDirectory = false;  // a DICOMDIR (media directory), not an image

  // Identity and references (never logged).
  DicomSource source;
  std::string sopInstanceUid;
  std::string modality;
  std::string seriesDescription;

  // Image pixel module.
  int rows = 0;
  int columns = 0;
  int frameCount = 1;  // NumberOfFrames (1 when absent)
  int samplesPerPixel = 1;
  int bitsAllocated = 0;
  int bitsStored = 0;
  int highBit = 0;
  int pixelRepresentation = 0;  // 0 unsigned, 1 two's complement
  std::string photometric;      // PhotometricInterpretation
  bool hasFloatPixelData = false;

  std::string transferSyntaxUid;
  std::string transferSyntaxName;  // standard name, for messages
  bool transferSyntaxSupported = true;

  double sliceThicknessMm = 0.0;        // 0 when absent
  double spacingBetweenSlicesMm = 0.0;  // 0 when absent
  bool enhanced = false;                // geometry came from functional groups

  // One entry per frame. Classic multi-frame files without per-frame positions get frames
  // derived from GridFrameOffsetVector or SpacingBetweenSlices, or frames without position.
  std::vector<DicomFrameInfo> frames;

  bool isImage() const { return rows > 0 && columns > 0; }
};

// Reads the header (everything before PixelData) of `path`. Fails for files that are not DICOM.
core::Result<DicomHeader> readDicomHeader(const std::string& path);

// Registers DCMTK's RLE, JPEG and JPEG-LS decoders once per process (thread-safe).
void registerDicomDecoders();

// Standard name of a transfer syntax UID ("JPEG 2000 Image Compression (Lossless Only)"), and
// whether our DCMTK can decode it.
std::string transferSyntaxName(const std::string& uid);
bool transferSyntaxSupported(const std::string& uid);

}  // namespace delineo::io
