#pragma once
// Pixel decoding: reads one DICOM file in full (DCMTK, any supported transfer syntax), and
// writes its frames' stored values, masked to BitsStored and sign-extended, into slices of a
// "raw" volume. Rescale is applied later, once the value range of the whole series is known.
// Safe to call from several threads on different files and different slices.
// Internal to delineo_io.

#include <cstdint>
#include <span>
#include <utility>

#include "core/Result.h"
#include "core/Volume.h"
#include "core/io/DicomHeader.h"

namespace delineo::io {

// Where one frame of a file goes: slice k of the raw volume.
struct FrameSlot {
  int frame = 0;
  std::int64_t k = 0;
};

// Scalar type that holds the stored values of `h` exactly (before rescale): uint8, int16,
// uint16, or float32 for 32-bit pixels.
core::ScalarType rawScalarType(const DicomHeader& h);

// Checks that we can decode the pixels of `h` at all (grey, 8/16/32 bits, known syntax);
// the message names the file and the reason.
core::Result<void> checkPixelFormat(const DicomHeader& h);

// Decodes the frames named in `slots` into `raw` (whose type is rawScalarType(h)) and records
// each slice's stored-value range in rangeBySlice[k].
core::Result<void> decodeDicomFrames(const DicomHeader& h, std::span<const FrameSlot> slots,
                                     core::Volume& raw,
                                     std::span<std::pair<double, double>> rangeBySlice);

}  // namespace delineo::io
