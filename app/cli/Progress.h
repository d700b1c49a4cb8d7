#pragma once
// Progress of a long command-line operation on stderr (one updating line when stderr is a
// terminal, nothing otherwise), and Ctrl+C turned into a cancel request.

#include <atomic>
#include <string>

#include "core/TaskControl.h"

namespace delineo::app {

class ProgressPrinter {
 public:
  explicit ProgressPrinter(bool enabled);
  ~ProgressPrinter();
  ProgressPrinter(const ProgressPrinter&) = delete;
  ProgressPrinter& operator=(const ProgressPrinter&) = delete;

  const core::TaskControl& control() const { return mControl; }
  void finish();  // ends the progress line

 private:
  core::TaskControl mControl;
  bool mEnabled = false;
  bool mPrinted = false;
  int mLastPercent = -1;
  std::string mLastStage;
};

}  // namespace delineo::app
