#pragma once
// Islands and holes of one label: connected components (6- or 26-connected) to keep the largest
// or drop the small ones, and filling of the background pockets that do not reach the volume's
// border. Results are computed first, then written through the LabelEdit (undoable).
#include <cstdint>
#include <vector>

#include "core/Result.h"
#include "tools/LabelEdit.h"
#include "tools/VoxelMask.h"

namespace delineo::tools {

struct Components {
  std::vector<std::int32_t> id;     // per voxel: 0 = not in the mask, else 1-based component
  std::vector<std::int64_t> sizes;  // voxels per component; sizes[0] unused
};

// Connected components of `mask` in scan order (i fastest), as ITK's ConnectedComponentImageFilter
// numbers them. `connectivity` is 6 or 26.
Components connectedComponents(const VoxelMask& mask, int connectivity);

struct IslandParams {
  std::uint8_t label = 1;   // the label whose islands are considered
  int connectivity = 6;     // 6 (faces) or 26 (faces, edges, corners)
};

// Clears every island of the label but the largest (ties: the first in scan order). Returns
// the voxels changed.
core::Result<std::int64_t> keepLargestIsland(LabelEdit& edit, const IslandParams& params);
// Clears the islands of fewer than `minVoxels` voxels (ITK RelabelComponent's MinimumObjectSize).
core::Result<std::int64_t> removeSmallIslands(LabelEdit& edit, const IslandParams& params, std::int64_t minVoxels);
// Fills the label's holes: voxels not of the label that cannot reach the volume's border through
// other such voxels (`params.connectivity` is the connectivity of that background, as ITK's
// BinaryFillholeImageFilter: 6 unless FullyConnected).
core::Result<std::int64_t> fillHoles(LabelEdit& edit, const IslandParams& params);

}  // namespace delineo::tools
