#include "app/cli/Progress.h"

#include <csignal>
#include <cstdio>
#include <unistd.h>

namespace delineo::app {

namespace {
// Signal handlers can only reach static storage; this is the one flag SIGINT sets.
std::atomic<bool> gInterrupted{false};
extern "C" void onInterrupt(int) { gInterrupted.store(true); }
}  // namespace

ProgressPrinter::ProgressPrinter(bool enabled) : mEnabled(enabled && isatty(STDERR_FILENO)) {
  gInterrupted.store(false);
  std::signal(SIGINT, onInterrupt);
  mControl.cancel = &gInterrupted;
  if (mEnabled) {
    mControl.onProgress = [this](double fraction, std::string_view stage) {
      int percent = static_cast<int>(fraction * 100.0);
      if (percent == mLastPercent && stage == mLastStage) return;
      mLastPercent = percent;
      mLastStage = std::string(stage);
      std::fprintf(stderr, "\r%-24s %3d%%", mLastStage.c_str(), percent);
      std::fflush(stderr);
      mPrinted = true;
    };
  }
}

ProgressPrinter::~ProgressPrinter() {
  finish();
  std::signal(SIGINT, SIG_DFL);
}

void ProgressPrinter::finish() {
  if (mPrinted) std::fprintf(stderr, "\n");
  mPrinted = false;
}

}  // namespace delineo::app
