#include "tools/Islands.h"

#include <algorithm>

namespace delineo::tools {

namespace {

using core::makeError;

core::Result<void> checkParams(const IslandParams& p) {
  if (p.label == 0) return makeError("choose a label (1..255), not the background");
  if (p.connectivity != 6 && p.connectivity != 26)
    return makeError("island connectivity must be 6 or 26 (got " + std::to_string(p.connectivity) + ")");
  return {};
}

// Flood of `mask` from `start` with the given connectivity, numbering voxels `id`.
std::int64_t floodComponent(const VoxelMask& mask, std::vector<std::int32_t>& ids, std::int64_t start, std::int32_t id,
                            int connectivity, std::vector<std::int64_t>& stack) {
  const core::Dims& d = mask.dims();
  std::int64_t size = 0;
  stack.clear();
  stack.push_back(start);
  ids[std::size_t(start)] = id;
  while (!stack.empty()) {
    std::int64_t p = stack.back();
    stack.pop_back();
    ++size;
    const std::int64_t i = p % d[0], j = (p / d[0]) % d[1], k = p / (d[0] * d[1]);
    for (int dk = -1; dk <= 1; ++dk)
      for (int dj = -1; dj <= 1; ++dj)
        for (int di = -1; di <= 1; ++di) {
          int nonZero = (di != 0) + (dj != 0) + (dk != 0);
          if (nonZero == 0 || (connectivity == 6 && nonZero > 1)) continue;
          std::int64_t ni = i + di, nj = j + dj, nk = k + dk;
          if (ni < 0 || nj < 0 || nk < 0 || ni >= d[0] || nj >= d[1] || nk >= d[2]) continue;
          std::int64_t n = ni + d[0] * (nj + d[1] * nk);
          if (!mask[n] || ids[std::size_t(n)]) continue;
          ids[std::size_t(n)] = id;
          stack.push_back(n);
        }
  }
  return size;
}

// Clears the voxels of `label` whose component is not kept.
std::int64_t clearComponents(LabelEdit& edit, const Components& c, const std::vector<bool>& keep) {
  const core::Dims& d = edit.geometry().dims;
  std::int64_t changed = 0, v = 0;
  for (std::int64_t k = 0; k < d[2]; ++k)
    for (std::int64_t j = 0; j < d[1]; ++j)
      for (std::int64_t i = 0; i < d[0]; ++i, ++v) {
        std::int32_t id = c.id[std::size_t(v)];
        if (id && !keep[std::size_t(id)]) changed += edit.set(i, j, k, 0);
      }
  return changed;
}

}  // namespace

Components connectedComponents(const VoxelMask& mask, int connectivity) {
  Components c;
  c.id.assign(std::size_t(mask.size()), 0);
  c.sizes.push_back(0);
  std::vector<std::int64_t> stack;
  for (std::int64_t v = 0; v < mask.size(); ++v) {
    if (!mask[v] || c.id[std::size_t(v)]) continue;
    auto id = static_cast<std::int32_t>(c.sizes.size());
    c.sizes.push_back(floodComponent(mask, c.id, v, id, connectivity, stack));
  }
  return c;
}

core::Result<std::int64_t> keepLargestIsland(LabelEdit& edit, const IslandParams& params) {
  if (auto r = checkParams(params); !r) return r.error();
  Components c = connectedComponents(maskOfLabel(edit.labelmap(), params.label), params.connectivity);
  if (c.sizes.size() <= 2) return std::int64_t{0};
  std::size_t largest = 1;
  for (std::size_t n = 2; n < c.sizes.size(); ++n)
    if (c.sizes[n] > c.sizes[largest]) largest = n;
  std::vector<bool> keep(c.sizes.size(), false);
  keep[largest] = true;
  return clearComponents(edit, c, keep);
}

core::Result<std::int64_t> removeSmallIslands(LabelEdit& edit, const IslandParams& params, std::int64_t minVoxels) {
  if (auto r = checkParams(params); !r) return r.error();
  if (minVoxels < 1) return makeError("the minimum island size must be at least 1 voxel");
  Components c = connectedComponents(maskOfLabel(edit.labelmap(), params.label), params.connectivity);
  std::vector<bool> keep(c.sizes.size(), false);
  for (std::size_t n = 1; n < c.sizes.size(); ++n) keep[n] = c.sizes[n] >= minVoxels;
  return clearComponents(edit, c, keep);
}

core::Result<std::int64_t> fillHoles(LabelEdit& edit, const IslandParams& params) {
  if (auto r = checkParams(params); !r) return r.error();
  const core::Labelmap& m = edit.labelmap();
  const core::Dims& d = m.geometry().dims;
  VoxelMask background(d);
  auto voxels = m.voxels();
  for (std::int64_t v = 0; v < background.size(); ++v) background[v] = voxels[std::size_t(v)] != params.label;
  // Flood the background from every border voxel; what stays unreached is a hole.
  std::vector<std::int32_t> reached(std::size_t(background.size()), 0);
  std::vector<std::int64_t> stack;
  auto seed = [&](std::int64_t i, std::int64_t j, std::int64_t k) {
    std::int64_t v = i + d[0] * (j + d[1] * k);
    if (background[v] && !reached[std::size_t(v)]) floodComponent(background, reached, v, 1, params.connectivity, stack);
  };
  for (std::int64_t k = 0; k < d[2]; ++k)
    for (std::int64_t j = 0; j < d[1]; ++j)
      for (std::int64_t i = 0; i < d[0]; ++i)
        if (i == 0 || j == 0 || k == 0 || i == d[0] - 1 || j == d[1] - 1 || k == d[2] - 1) seed(i, j, k);
  std::int64_t changed = 0, v = 0;
  for (std::int64_t k = 0; k < d[2]; ++k)
    for (std::int64_t j = 0; j < d[1]; ++j)
      for (std::int64_t i = 0; i < d[0]; ++i, ++v)
        if (background[v] && !reached[std::size_t(v)]) changed += edit.set(i, j, k, params.label);
  return changed;
}

}  // namespace delineo::tools
