#pragma once
// Shared by the semi-automatic tool tests: the real head CT (loaded once per process), ITK views
// of our volumes and masks, and brute-force references. ITK stays in tests.
#include <gtest/gtest.h>

#include <cstring>
#include <deque>

#include <itkImage.h>

#include "core/Volume.h"
#include "core/io/ImageIO.h"
#include "tests/unit/TestSupport.h"
#include "tools/VoxelMask.h"

namespace delineo::test {

// Cranium.inv3: int16 HU, 256x256x108. Loaded once; the tests only read it.
inline const core::Volume& headCt() {
  static const core::Volume volume = [] {
    auto image = io::readImage(kCraniumInv3);
    if (!image) {
      ADD_FAILURE() << image.message();
      return core::Volume{};
    }
    return std::move(image->volume);
  }();
  return volume;
}

template <typename T>
typename itk::Image<T, 3>::Pointer toItk(const T* voxels, const core::Dims& d) {
  auto image = itk::Image<T, 3>::New();
  typename itk::Image<T, 3>::RegionType region;
  region.SetSize({{static_cast<itk::SizeValueType>(d[0]), static_cast<itk::SizeValueType>(d[1]),
                   static_cast<itk::SizeValueType>(d[2])}});
  image->SetRegions(region);
  image->Allocate();
  std::memcpy(image->GetBufferPointer(), voxels, sizeof(T) * static_cast<std::size_t>(d[0] * d[1] * d[2]));
  return image;
}

template <typename T>
typename itk::Image<T, 3>::Pointer toItk(const core::Volume& volume) {
  return toItk<T>(volume.voxels<T>().data(), volume.geometry().dims);
}

inline itk::Image<std::uint8_t, 3>::Pointer toItk(const tools::VoxelMask& mask) {
  return toItk<std::uint8_t>(mask.data(), mask.dims());
}

// Voxels where `ours` (non-zero) and `theirs` (non-zero) disagree.
template <typename Image>
std::int64_t differingVoxels(const tools::VoxelMask& ours, const Image* theirs) {
  const auto* p = theirs->GetBufferPointer();
  std::int64_t n = 0;
  for (std::int64_t v = 0; v < ours.size(); ++v) n += (ours[v] != 0) != (p[v] != 0);
  return n;
}

// Textbook breadth-first flood fill over a neighbour list: the reference for 18-connectivity.
template <typename T>
tools::VoxelMask bruteForceGrow(const T* voxels, const core::Dims& d, std::vector<std::array<std::int64_t, 3>> seeds,
                                double lower, double upper, int connectivity) {
  tools::VoxelMask mask(d);
  std::deque<std::array<std::int64_t, 3>> queue;
  auto in = [&](std::int64_t i, std::int64_t j, std::int64_t k) {
    double v = double(voxels[i + d[0] * (j + d[1] * k)]);
    return v >= lower && v <= upper;
  };
  for (auto s : seeds)
    if (in(s[0], s[1], s[2]) && !mask.at(s[0], s[1], s[2])) {
      mask[s[0] + d[0] * (s[1] + d[1] * s[2])] = 1;
      queue.push_back(s);
    }
  while (!queue.empty()) {
    auto p = queue.front();
    queue.pop_front();
    for (int dk = -1; dk <= 1; ++dk)
      for (int dj = -1; dj <= 1; ++dj)
        for (int di = -1; di <= 1; ++di) {
          int nonZero = (di != 0) + (dj != 0) + (dk != 0);
          if (nonZero == 0 || (connectivity == 6 && nonZero > 1) || (connectivity == 18 && nonZero > 2)) continue;
          std::int64_t i = p[0] + di, j = p[1] + dj, k = p[2] + dk;
          if (i < 0 || j < 0 || k < 0 || i >= d[0] || j >= d[1] || k >= d[2]) continue;
          std::int64_t idx = i + d[0] * (j + d[1] * k);
          if (mask[idx] || !in(i, j, k)) continue;
          mask[idx] = 1;
          queue.push_back({i, j, k});
        }
  }
  return mask;
}

}  // namespace delineo::test
