#pragma once
// LabelmapHash: a 64-bit fingerprint of a labelmap's voxels, kept per 32^3 brick so that an
// edit rehashes only the bricks it touched. The journal uses it to tell which of its steps a
// labelmap file already contains.

#include <cstdint>
#include <span>
#include <vector>

#include "core/Labelmap.h"

namespace delineo::tools {

class LabelmapHash {
 public:
  LabelmapHash() = default;
  explicit LabelmapHash(const core::Labelmap& labelmap);

  std::uint64_t value() const { return mTotal; }
  // Rehash the given bricks after they changed.
  void update(const core::Labelmap& labelmap, std::span<const std::int64_t> bricks);

  // Fingerprint of a labelmap computed from scratch.
  static std::uint64_t of(const core::Labelmap& labelmap) { return LabelmapHash(labelmap).value(); }

 private:
  std::uint64_t brickContribution(const core::Labelmap& labelmap, std::int64_t brick) const;

  std::vector<std::uint64_t> mBrickHashes;
  std::uint64_t mTotal = 0;
};

}  // namespace delineo::tools
