#pragma once
// Opening a study for annotation, the same way in every front end (desktop viewer, VR headset,
// XR simulator): read the study (or a bundled sample), then open its labelmap in a Session.

#include <string>

#include "app/Session.h"
#include "core/Result.h"
#include "core/TaskControl.h"

namespace delineo::app {

// Where a study's labelmap goes when none is given: beside the study when its folder is
// writable, else in $XDG_DATA_HOME/delineo (~/.local/share/delineo).
std::string defaultLabelmapPath(const std::string& studyPath);

// Reads `path` (or, when it is empty, the sample named `sample`) and opens `labels` on it
// (empty: defaultLabelmapPath of the study). Recovery notices are in the Session's notices().
core::Result<Session> openStudySession(const std::string& path, const std::string& sample, const std::string& labels,
                                       const SessionOptions& options, const core::TaskControl& control = {});

}  // namespace delineo::app
