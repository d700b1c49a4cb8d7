#pragma once
// TaskControl: how a long operation (load, save, grow) reports progress and learns that the
// user cancelled. Both members may be empty; the operation checks cancel between units of work
// and returns an error "cancelled" when it is set.

#include <atomic>
#include <functional>
#include <string_view>

namespace delineo::core {

struct TaskControl {
  // Called with the fraction done (0..1) and a short stage name ("reading headers").
  std::function<void(double fraction, std::string_view stage)> onProgress;
  // Set by another thread to ask the operation to stop.
  const std::atomic<bool>* cancel = nullptr;

  bool cancelled() const { return cancel && cancel->load(std::memory_order_relaxed); }
  void progress(double fraction, std::string_view stage) const {
    if (onProgress) onProgress(fraction, stage);
  }
};

}  // namespace delineo::core
