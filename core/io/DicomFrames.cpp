#include "core/io/DicomFrames.h"

#include <algorithm>
#include <cstring>
#include <limits>

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdatset.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcxfer.h>

namespace delineo::io {

using core::makeError;
using core::ScalarType;

namespace {

// How stored values sit in their allocated bits (PS3.5 8.1.1): BitsStored bits ending at
// HighBit; the rest may hold overlays or garbage and must be masked off.
struct BitLayout {
  unsigned shift = 0;
  std::uint32_t mask = 0xFFFFFFFFu;
  bool isSigned = false;
  unsigned bitsStored = 32;

  explicit BitLayout(const DicomHeader& h) {
    bitsStored = static_cast<unsigned>(h.bitsStored);
    int lowBit = h.highBit + 1 - h.bitsStored;
    shift = (lowBit >= 0 && h.highBit < h.bitsAllocated) ? static_cast<unsigned>(lowBit) : 0u;
    mask = bitsStored >= 32 ? 0xFFFFFFFFu : ((std::uint32_t{1} << bitsStored) - 1u);
    isSigned = h.pixelRepresentation == 1;
  }
  bool identity(unsigned bitsAllocated) const { return shift == 0 && bitsStored == bitsAllocated; }

  std::int64_t value(std::uint32_t word) const {
    std::uint32_t v = (word >> shift) & mask;
    if (isSigned && bitsStored < 32 && (v >> (bitsStored - 1)) & 1u)
      return std::int64_t(v) - (std::int64_t{1} << bitsStored);
    if (isSigned && bitsStored == 32) return static_cast<std::int32_t>(v);
    return v;
  }
};

template <typename Src, typename Dst>
std::pair<double, double> convertFrame(const Src* src, Dst* dst, std::size_t count,
                                       const BitLayout& bits, unsigned bitsAllocated) {
  using Signed = std::make_signed_t<Src>;
  if (bits.identity(bitsAllocated) && sizeof(Src) <= 2) {
    // The common case (16 of 16 bits, 8 of 8): a straight reinterpretation.
    auto lo = std::numeric_limits<Dst>::max();
    auto hi = std::numeric_limits<Dst>::lowest();
    for (std::size_t n = 0; n < count; ++n) {
      Dst v = bits.isSigned ? static_cast<Dst>(static_cast<Signed>(src[n])) : static_cast<Dst>(src[n]);
      dst[n] = v;
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
    return {double(lo), double(hi)};
  }
  double lo = std::numeric_limits<double>::max();
  double hi = std::numeric_limits<double>::lowest();
  for (std::size_t n = 0; n < count; ++n) {
    std::int64_t v = bits.value(static_cast<std::uint32_t>(src[n]));
    dst[n] = static_cast<Dst>(v);
    lo = std::min(lo, double(v));
    hi = std::max(hi, double(v));
  }
  return {lo, hi};
}

}  // namespace

ScalarType rawScalarType(const DicomHeader& h) {
  if (h.bitsAllocated == 8) return h.pixelRepresentation == 1 ? ScalarType::Int16 : ScalarType::UInt8;
  if (h.bitsAllocated == 16) return h.pixelRepresentation == 1 ? ScalarType::Int16 : ScalarType::UInt16;
  return ScalarType::Float32;
}

core::Result<void> checkPixelFormat(const DicomHeader& h) {
  if (h.transferSyntaxUid.empty())
    return makeError(h.path + ": the transfer syntax could not be determined");
  if (!h.transferSyntaxSupported)
    return makeError(h.path + ": transfer syntax " + h.transferSyntaxName + " (" +
                     h.transferSyntaxUid + ") is not supported");
  if (h.hasFloatPixelData)
    return makeError(h.path + ": floating-point pixel data is not supported");
  bool grey = h.photometric == "MONOCHROME1" || h.photometric == "MONOCHROME2" || h.photometric.empty();
  if (h.samplesPerPixel != 1 || !grey)
    return makeError(h.path + ": colour images (PhotometricInterpretation " +
                     (h.photometric.empty() ? std::string("?") : h.photometric) + ", " +
                     std::to_string(h.samplesPerPixel) +
                     " samples per pixel) are not supported; only greyscale images can be loaded");
  if (h.bitsAllocated != 8 && h.bitsAllocated != 16 && h.bitsAllocated != 32)
    return makeError(h.path + ": BitsAllocated " + std::to_string(h.bitsAllocated) +
                     " is not supported (8, 16 or 32)");
  if (h.bitsStored < 1 || h.bitsStored > h.bitsAllocated)
    return makeError(h.path + ": BitsStored " + std::to_string(h.bitsStored) +
                     " is invalid for BitsAllocated " + std::to_string(h.bitsAllocated));
  return {};
}

core::Result<void> decodeDicomFrames(const DicomHeader& h, std::span<const FrameSlot> slots,
                                     core::Volume& raw,
                                     std::span<std::pair<double, double>> rangeBySlice) {
  registerDicomDecoders();
  DcmFileFormat file;
  OFCondition status = file.loadFile(h.path.c_str());
  DcmDataset* ds = file.getDataset();
  // DCMTK keeps an element whose value was cut short, with its declared length: any read
  // error means the pixels cannot be trusted.
  if (status.bad())
    return makeError(h.path + ": is truncated or corrupt (" + std::string(status.text()) + ")");
  DcmElement* pixels = nullptr;
  if (ds->findAndGetElement(DCM_PixelData, pixels).bad() || !pixels)
    return makeError(h.path + ": has no pixel data");

  E_TransferSyntax original = ds->getOriginalXfer();
  if (DcmXfer(original).isEncapsulated()) {
    OFCondition decoded = ds->chooseRepresentation(EXS_LittleEndianExplicit, nullptr);
    if (decoded.bad() || !ds->canWriteXfer(EXS_LittleEndianExplicit))
      return makeError(h.path + ": pixel data could not be decoded from " + h.transferSyntaxName +
                       " (" + std::string(decoded.bad() ? decoded.text() : "no decoder") +
                       "); the file may be corrupt");
    if (ds->findAndGetElement(DCM_PixelData, pixels).bad() || !pixels)
      return makeError(h.path + ": has no pixel data after decompression");
  }

  const std::size_t frameVoxels = std::size_t(h.rows) * std::size_t(h.columns);
  const std::size_t frameBytes = frameVoxels * std::size_t(h.bitsAllocated / 8);
  const std::size_t needed = frameBytes * std::size_t(h.frameCount);
  const std::size_t have = pixels->getLength();
  if (have < needed)
    return makeError(h.path + ": pixel data is truncated (" + std::to_string(have) + " of " +
                     std::to_string(needed) + " bytes)");

  const std::uint8_t* bytes = nullptr;
  if (h.bitsAllocated == 16) {
    Uint16* words = nullptr;
    if (pixels->getUint16Array(words).bad() || !words)
      return makeError(h.path + ": pixel data could not be read");
    bytes = reinterpret_cast<const std::uint8_t*>(words);
  } else {
    Uint8* b = nullptr;
    if (pixels->getUint8Array(b).bad() || !b) return makeError(h.path + ": pixel data could not be read");
    bytes = b;
  }

  // 32-bit words from a big-endian file arrive swapped as 16-bit words (DCMTK's OW rule):
  // swapping the halves restores them.
  bool swapHalves = h.bitsAllocated == 32 && original == EXS_BigEndianExplicit;
  std::vector<std::uint32_t> swapped;

  BitLayout bits(h);
  const std::size_t sliceVoxels = frameVoxels;
  for (const FrameSlot& slot : slots) {
    if (slot.frame < 0 || slot.frame >= h.frameCount)
      return makeError(h.path + ": frame " + std::to_string(slot.frame + 1) + " does not exist");
    const std::uint8_t* frame = bytes + frameBytes * std::size_t(slot.frame);
    const std::size_t offset = sliceVoxels * std::size_t(slot.k);
    auto unsignedBits = static_cast<unsigned>(h.bitsAllocated);
    std::pair<double, double> range;
    auto convert = [&](auto dstTag) {
      using Dst = decltype(dstTag);
      Dst* dst = raw.voxels<Dst>().data() + offset;
      if (h.bitsAllocated == 8) {
        range = convertFrame(frame, dst, frameVoxels, bits, unsignedBits);
      } else if (h.bitsAllocated == 16) {
        const auto* src = reinterpret_cast<const std::uint16_t*>(frame);
        range = convertFrame(src, dst, frameVoxels, bits, unsignedBits);
      } else {
        swapped.resize(frameVoxels);
        std::memcpy(swapped.data(), frame, frameBytes);
        if (swapHalves)
          for (auto& w : swapped) w = (w >> 16) | (w << 16);
        range = convertFrame(swapped.data(), dst, frameVoxels, bits, unsignedBits);
      }
    };
    switch (raw.scalarType()) {
      case ScalarType::UInt8: convert(std::uint8_t{}); break;
      case ScalarType::Int16: convert(std::int16_t{}); break;
      case ScalarType::UInt16: convert(std::uint16_t{}); break;
      case ScalarType::Float32: convert(float{}); break;
    }
    rangeBySlice[static_cast<std::size_t>(slot.k)] = range;
  }
  return {};
}

}  // namespace delineo::io
