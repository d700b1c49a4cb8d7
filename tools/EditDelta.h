#pragma once
// EditDelta: what one committed edit changed, per touched 32^3 brick: the brick's voxels
// before and after, run-length encoded. Undo writes the before-values back, redo the
// after-values; the journal stores the same bytes. Memory is proportional to the bricks an
// edit touched, never to the labelmap.

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "core/Labelmap.h"

namespace delineo::tools {

struct BrickDelta {
  std::int64_t brick = 0;            // linear brick index (i fastest) in the labelmap's brick grid
  std::vector<std::uint8_t> before;  // run-length encoded voxels of the brick before the edit
  std::vector<std::uint8_t> after;   // ... and after it
};

struct EditDelta {
  std::vector<BrickDelta> bricks;  // sorted by brick index
  std::int64_t changedVoxels = 0;  // voxels whose id differs before/after

  bool empty() const { return bricks.empty(); }
  std::size_t byteSize() const;  // memory held by the encoded bricks
  std::vector<std::int64_t> brickIndices() const;
};

// Voxel box of a brick: [lo, hi) along each axis, clipped to the labelmap.
struct BrickBox {
  std::int64_t lo[3];
  std::int64_t hi[3];
  std::int64_t voxelCount() const { return (hi[0] - lo[0]) * (hi[1] - lo[1]) * (hi[2] - lo[2]); }
};
BrickBox brickBox(const core::Labelmap& labelmap, std::int64_t brick);

// Copies a brick's voxels out (i fastest within the clipped box) / back in.
void readBrick(const core::Labelmap& labelmap, std::int64_t brick, std::vector<std::uint8_t>& out);
void writeBrick(core::Labelmap& labelmap, std::int64_t brick, std::span<const std::uint8_t> voxels);

// Run-length codec: pairs of (value, run-1 as little-endian uint16).
std::vector<std::uint8_t> encodeRuns(std::span<const std::uint8_t> voxels);
// Decodes into `out` (its size is the expected voxel count); false when the data is corrupt.
bool decodeRuns(std::span<const std::uint8_t> runs, std::span<std::uint8_t> out);

// Voxels each label id gained and lost in a delta (index = id), for audits and review state.
struct LabelChanges {
  std::array<std::int64_t, 256> gained{};
  std::array<std::int64_t, 256> lost{};
  bool touches(std::uint8_t id) const { return gained[id] > 0 || lost[id] > 0; }
};
// `labelmap` supplies the brick grid only. Corrupt bricks are skipped.
LabelChanges labelChanges(const core::Labelmap& labelmap, const EditDelta& delta);

enum class DeltaDirection { Undo, Redo };
// Writes the before- (Undo) or after-values (Redo) of every brick of `delta` into `labelmap`.
// False when the delta does not fit this labelmap (corrupt or foreign); nothing is written then.
bool applyDelta(core::Labelmap& labelmap, const EditDelta& delta, DeltaDirection direction);

}  // namespace delineo::tools
