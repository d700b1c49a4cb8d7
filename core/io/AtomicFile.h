#pragma once
// Writes a file atomically: the content goes to a temporary file in the same folder (same
// extension, so format detection by suffix still works), is flushed to disk, and only then
// renamed over the target. A failed write leaves the user's existing file untouched.

#include <functional>
#include <string>

#include "core/Result.h"

namespace delineo::io {

// Calls write(tempPath); on success fsyncs and renames tempPath to path, otherwise removes it.
core::Result<void> writeAtomically(const std::string& path,
                                   const std::function<core::Result<void>(const std::string& tempPath)>& write);

// Writes `bytes` to `path` atomically.
core::Result<void> writeFileAtomically(const std::string& path, const std::string& bytes);

// Lower-cased "compound" extension: ".nii.gz", ".seg.nrrd", ".nrrd", ".mha", "" if none.
std::string fileExtension(const std::string& path);

}  // namespace delineo::io
