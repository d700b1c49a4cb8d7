#pragma once
// NIfTI (.nii, .nii.gz), NRRD (.nrrd, .nhdr) and MetaImage (.mha, .mhd) through ITK. ITK works
// in LPS, so NIfTI's RAS is converted inside ITK's reader/writer: this boundary only.
// Writes are atomic (temporary file in the same folder, then rename). For .nhdr and .mhd the
// header and its data file are each replaced atomically, data file first (AtomicFile.h).

#include <string>

#include "core/Labelmap.h"
#include "core/Result.h"
#include "core/TaskControl.h"
#include "core/Volume.h"
#include "core/io/LoadedImage.h"

namespace delineo::io {

// True for the extensions this module reads and writes.
bool isItkImagePath(const std::string& path);

// Reads a scalar image, keeping its native type when it is one of ours (uint8, int16, uint16,
// float32), converting others (int8 -> int16, int32/uint32/double... -> float32) and applying
// NIfTI's scl_slope/scl_inter.
core::Result<LoadedImage> readItkImage(const std::string& path, const core::TaskControl& control = {});

// Reads a labelmap (integer voxels 0..255). Label names and colours come from an ITK-SNAP
// label description sidecar (see labelSidecarPath) when present.
core::Result<core::Labelmap> readItkLabelmap(const std::string& path);
// The voxels of readItkLabelmap with an empty table (no sidecar, no default labels).
core::Result<core::Labelmap> readItkLabelVoxels(const std::string& path);

core::Result<void> writeItkVolume(const core::Volume& volume, const std::string& path);
// Writes voxels as uint8 and the label table to the ITK-SNAP sidecar beside it.
core::Result<void> writeItkLabelmap(const core::Labelmap& labelmap, const std::string& path);

// "<folder>/<stem>.labels.txt" for "<folder>/<stem>.nii.gz" (any of our extensions).
std::string labelSidecarPath(const std::string& imagePath);

}  // namespace delineo::io
