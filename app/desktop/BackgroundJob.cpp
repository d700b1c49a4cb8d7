#include "app/desktop/BackgroundJob.h"

namespace delineo::app {

BackgroundJob::~BackgroundJob() {
  mCancel = true;
  if (mThread.joinable()) mThread.join();
}

bool BackgroundJob::start(std::string title, Work work, Done done) {
  if (mBusy) return false;
  if (mThread.joinable()) mThread.join();
  mTitle = std::move(title);
  mDone = std::move(done);
  mBusy = true;
  mFinished = false;
  mCancel = false;
  mProgress = 0;
  {
    std::lock_guard lock(mMutex);
    mStage.clear();
  }
  mThread = std::thread([this, work = std::move(work)] {
    core::TaskControl control;
    control.cancel = &mCancel;
    control.onProgress = [this](double fraction, std::string_view stage) {
      mProgress = fraction;
      std::lock_guard lock(mMutex);
      mStage = stage;
    };
    core::Result<void> outcome = work(control);
    {
      std::lock_guard lock(mMutex);
      mOutcome = std::move(outcome);
    }
    mFinished = true;
  });
  return true;
}

void BackgroundJob::poll() {
  if (!mBusy || !mFinished) return;
  if (mThread.joinable()) mThread.join();  // finish() may have joined already
  core::Result<void> outcome;
  {
    std::lock_guard lock(mMutex);
    outcome = std::move(mOutcome);
    mOutcome = {};
  }
  mBusy = false;
  Done done = std::move(mDone);
  mDone = {};
  if (done) done(outcome);
}

void BackgroundJob::finish() {
  if (!mBusy) return;
  if (mThread.joinable()) mThread.join();
  mFinished = true;
  poll();
}

std::string BackgroundJob::stage() const {
  std::lock_guard lock(mMutex);
  return mStage;
}

}  // namespace delineo::app
