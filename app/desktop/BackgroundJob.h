#pragma once
// BackgroundJob: one long task (load, grow, save) on a worker thread while the UI keeps
// rendering: progress and stage for a progress bar, cancel, and a completion callback that runs
// on the UI thread (from poll()), where results are handed over. One job at a time.

#include <atomic>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "core/Result.h"
#include "core/TaskControl.h"

namespace delineo::app {

class BackgroundJob {
 public:
  using Work = std::function<core::Result<void>(const core::TaskControl& control)>;
  using Done = std::function<void(const core::Result<void>& outcome)>;

  BackgroundJob() = default;
  ~BackgroundJob();  // cancels a running job and waits for it
  BackgroundJob(const BackgroundJob&) = delete;
  BackgroundJob& operator=(const BackgroundJob&) = delete;

  // Starts `work` on the worker thread; false (nothing started) while another job is busy.
  bool start(std::string title, Work work, Done done);
  // Runs the completion callback once the work finished; call once per UI frame.
  void poll();
  // Blocks until the running job (if any) finished, then polls (tests, scripted runs, exit).
  void finish();

  bool busy() const { return mBusy; }
  void cancel() { mCancel = true; }
  const std::string& title() const { return mTitle; }
  double progress() const { return mProgress.load(); }
  std::string stage() const;

 private:
  std::thread mThread;
  std::string mTitle;
  Done mDone;
  bool mBusy = false;
  std::atomic<bool> mFinished{false};
  std::atomic<bool> mCancel{false};
  std::atomic<double> mProgress{0};
  mutable std::mutex mMutex;  // guards mStage and mOutcome
  std::string mStage;
  core::Result<void> mOutcome;
};

}  // namespace delineo::app
