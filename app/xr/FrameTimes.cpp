#include "app/xr/FrameTimes.h"

#include <algorithm>
#include <numeric>

namespace delineo::app::xr {

double FrameTimes::meanMs() const {
  if (mMs.empty()) return 0;
  return std::accumulate(mMs.begin(), mMs.end(), 0.0) / static_cast<double>(mMs.size());
}

double FrameTimes::medianMs() const {
  if (mMs.empty()) return 0;
  std::vector<double> sorted = mMs;
  std::sort(sorted.begin(), sorted.end());
  size_t mid = sorted.size() / 2;
  return sorted.size() % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

}  // namespace delineo::app::xr
