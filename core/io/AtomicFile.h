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

// For formats whose header names a detached data file (.nhdr, .mhd): write(tempPath) is given
// a path with the target's own file name inside a hidden temporary folder beside the target;
// every file it creates there is fsynced and moved into the target folder, data files first
// and the header last. Each file is replaced atomically; the pair is not (a crash between the
// renames leaves the new data beside the old header). On failure nothing in the target folder
// changes and the temporary folder is removed.
core::Result<void> writeAtomicallyWithCompanions(
    const std::string& path, const std::function<core::Result<void>(const std::string& tempPath)>& write);

// Writes `bytes` to `path` atomically.
core::Result<void> writeFileAtomically(const std::string& path, const std::string& bytes);

// Lower-cased "compound" extension: ".nii.gz", ".seg.nrrd", ".labels.txt", ".nrrd", ".mha",
// "" if none. A compression suffix (.gz, .bz2, .xz) keeps the extension before it.
std::string fileExtension(const std::string& path);

// "<folder>/.<stem>.tmp-<unique><ext>" for "<folder>/<stem><ext>": hidden, same folder (so the
// rename stays on one file system), same compound extension.
std::string temporaryPathFor(const std::string& path);

}  // namespace delineo::io
