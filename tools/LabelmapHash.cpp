#include "tools/LabelmapHash.h"

#include <cstring>

#include "tools/EditDelta.h"

namespace delineo::tools {

namespace {

std::uint64_t mix(std::uint64_t x) {  // splitmix64 finaliser
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ull;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebull;
  x ^= x >> 31;
  return x;
}

std::uint64_t hashBytes(std::span<const std::uint8_t> bytes) {
  std::uint64_t h = 0x9e3779b97f4a7c15ull ^ bytes.size();
  std::size_t i = 0;
  for (; i + 8 <= bytes.size(); i += 8) {
    std::uint64_t w;
    std::memcpy(&w, bytes.data() + i, 8);
    h = mix(h ^ w) + 0x632be59bd9b4e019ull;
  }
  std::uint64_t tail = 0;
  std::memcpy(&tail, bytes.data() + i, bytes.size() - i);
  return mix(h ^ tail);
}

}  // namespace

LabelmapHash::LabelmapHash(const core::Labelmap& labelmap) {
  mBrickHashes.resize(static_cast<std::size_t>(labelmap.brickCount()));
  for (std::int64_t b = 0; b < labelmap.brickCount(); ++b) {
    mBrickHashes[static_cast<std::size_t>(b)] = brickContribution(labelmap, b);
    mTotal += mBrickHashes[static_cast<std::size_t>(b)];
  }
}

std::uint64_t LabelmapHash::brickContribution(const core::Labelmap& labelmap, std::int64_t brick) const {
  std::vector<std::uint8_t> voxels;
  readBrick(labelmap, brick, voxels);
  return mix(hashBytes(voxels) + static_cast<std::uint64_t>(brick) * 0x9e3779b97f4a7c15ull);
}

void LabelmapHash::update(const core::Labelmap& labelmap, std::span<const std::int64_t> bricks) {
  for (std::int64_t b : bricks) {
    auto& h = mBrickHashes[static_cast<std::size_t>(b)];
    mTotal -= h;
    h = brickContribution(labelmap, b);
    mTotal += h;
  }
}

}  // namespace delineo::tools
