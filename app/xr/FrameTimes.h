#pragma once
// FrameTimes: one per-frame duration sampled over a run (Delineo's frame work, the runtime's
// display period), summarised as mean and median for `delineo vr --timing`. Pure logic.

#include <cstddef>
#include <vector>

namespace delineo::app::xr {

class FrameTimes {
 public:
  void add(double ms) { mMs.push_back(ms); }
  size_t count() const { return mMs.size(); }
  // 0 when empty.
  double meanMs() const;
  // The middle sample (the mean of the two middle ones for an even count); 0 when empty.
  double medianMs() const;

 private:
  std::vector<double> mMs;
};

}  // namespace delineo::app::xr
