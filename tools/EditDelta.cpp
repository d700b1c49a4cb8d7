#include "tools/EditDelta.h"

#include <algorithm>

namespace delineo::tools {

std::size_t EditDelta::byteSize() const {
  std::size_t bytes = sizeof(*this) + bricks.capacity() * sizeof(BrickDelta);
  for (const auto& b : bricks) bytes += b.before.capacity() + b.after.capacity();
  return bytes;
}

std::vector<std::int64_t> EditDelta::brickIndices() const {
  std::vector<std::int64_t> out;
  out.reserve(bricks.size());
  for (const auto& b : bricks) out.push_back(b.brick);
  return out;
}

BrickBox brickBox(const core::Labelmap& labelmap, std::int64_t brick) {
  const core::Dims bd = labelmap.brickDims();
  const core::Dims& d = labelmap.geometry().dims;
  std::int64_t b[3] = {brick % bd[0], (brick / bd[0]) % bd[1], brick / (bd[0] * bd[1])};
  BrickBox box{};
  for (int a = 0; a < 3; ++a) {
    box.lo[a] = b[a] * core::Labelmap::kBrickSize;
    box.hi[a] = std::min(box.lo[a] + core::Labelmap::kBrickSize, d[a]);
  }
  return box;
}

void readBrick(const core::Labelmap& labelmap, std::int64_t brick, std::vector<std::uint8_t>& out) {
  BrickBox box = brickBox(labelmap, brick);
  const auto& g = labelmap.geometry();
  auto voxels = labelmap.voxels();
  std::int64_t rowLength = box.hi[0] - box.lo[0];
  out.resize(static_cast<std::size_t>(box.voxelCount()));
  auto dst = out.begin();
  for (std::int64_t k = box.lo[2]; k < box.hi[2]; ++k)
    for (std::int64_t j = box.lo[1]; j < box.hi[1]; ++j) {
      auto src = voxels.begin() + g.linearIndex(box.lo[0], j, k);
      dst = std::copy(src, src + rowLength, dst);
    }
}

void writeBrick(core::Labelmap& labelmap, std::int64_t brick, std::span<const std::uint8_t> in) {
  BrickBox box = brickBox(labelmap, brick);
  const auto& g = labelmap.geometry();
  auto voxels = labelmap.voxels();
  std::int64_t rowLength = box.hi[0] - box.lo[0];
  auto src = in.begin();
  for (std::int64_t k = box.lo[2]; k < box.hi[2]; ++k)
    for (std::int64_t j = box.lo[1]; j < box.hi[1]; ++j) {
      std::copy(src, src + rowLength, voxels.begin() + g.linearIndex(box.lo[0], j, k));
      src += rowLength;
    }
}

std::vector<std::uint8_t> encodeRuns(std::span<const std::uint8_t> voxels) {
  std::vector<std::uint8_t> out;
  std::size_t i = 0;
  while (i < voxels.size()) {
    std::uint8_t value = voxels[i];
    std::size_t run = 1;
    while (i + run < voxels.size() && voxels[i + run] == value && run < 65536) ++run;
    std::uint16_t stored = static_cast<std::uint16_t>(run - 1);
    out.push_back(value);
    out.push_back(static_cast<std::uint8_t>(stored & 0xff));
    out.push_back(static_cast<std::uint8_t>(stored >> 8));
    i += run;
  }
  out.shrink_to_fit();
  return out;
}

bool decodeRuns(std::span<const std::uint8_t> runs, std::span<std::uint8_t> out) {
  if (runs.size() % 3 != 0) return false;
  std::size_t pos = 0;
  for (std::size_t r = 0; r < runs.size(); r += 3) {
    std::size_t run = std::size_t(runs[r + 1] | (runs[r + 2] << 8)) + 1;
    if (pos + run > out.size()) return false;
    std::fill_n(out.begin() + static_cast<std::ptrdiff_t>(pos), run, runs[r]);
    pos += run;
  }
  return pos == out.size();
}

LabelChanges labelChanges(const core::Labelmap& labelmap, const EditDelta& delta) {
  LabelChanges changes;
  std::vector<std::uint8_t> before, after;
  for (const auto& b : delta.bricks) {
    if (b.brick < 0 || b.brick >= labelmap.brickCount()) continue;
    auto n = static_cast<std::size_t>(brickBox(labelmap, b.brick).voxelCount());
    before.resize(n);
    after.resize(n);
    if (!decodeRuns(b.before, before) || !decodeRuns(b.after, after)) continue;
    for (std::size_t v = 0; v < n; ++v) {
      if (before[v] == after[v]) continue;
      ++changes.lost[before[v]];
      ++changes.gained[after[v]];
    }
  }
  return changes;
}

bool applyDelta(core::Labelmap& labelmap, const EditDelta& delta, DeltaDirection direction) {
  // Decode everything first so a corrupt delta leaves the labelmap untouched.
  std::vector<std::vector<std::uint8_t>> decoded;
  decoded.reserve(delta.bricks.size());
  const std::int64_t brickCount = labelmap.brickCount();
  for (const auto& b : delta.bricks) {
    if (b.brick < 0 || b.brick >= brickCount) return false;
    std::vector<std::uint8_t> voxels(static_cast<std::size_t>(brickBox(labelmap, b.brick).voxelCount()));
    if (!decodeRuns(direction == DeltaDirection::Undo ? b.before : b.after, voxels)) return false;
    decoded.push_back(std::move(voxels));
  }
  for (std::size_t i = 0; i < delta.bricks.size(); ++i) writeBrick(labelmap, delta.bricks[i].brick, decoded[i]);
  return true;
}

}  // namespace delineo::tools
