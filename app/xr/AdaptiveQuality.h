#pragma once
// AdaptiveQuality: keeps the headset's frame rate by trading quality for time. When the
// smoothed frame time rises above the budget it first lengthens the raymarch's sample distance,
// then lowers the render resolution; with time to spare it restores them (resolution first),
// and when the scene is idle (nothing moves) it returns to full quality at once. Pure logic.

#include <deque>

namespace delineo::app::xr {

struct AdaptiveOptions {
  double budgetMs = 1000.0 / 90;  // frame time to hold (90 Hz); a headset sets its display period
  double smoothing = 0.1;         // weight of the newest frame in the moving average
  double adjustEveryS = 0.25;     // at most one change per this interval
  double maxStepScale = 2.0;      // sample distance at most this times the default
  double minResolution = 0.5;     // resolution at least this fraction of the recommended
  double spareFraction = 0.7;     // restore when the frame time is below this share of the budget
  int periodWindow = 30;          // display periods the budget is the shortest of
  bool enabled = true;            // off: always full quality
};

class AdaptiveQuality {
 public:
  explicit AdaptiveQuality(const AdaptiveOptions& options = {}) : mOptions(options) {}

  // After each frame: how long Delineo's own work on it took (not time blocked in the
  // runtime), whether anything moved, and the frame's time step.
  void update(double frameMs, bool idle, double dtS);
  // The frame time to hold: the headset's display period, which the runtime reports every
  // frame (a 60 Hz display leaves 16.7 ms, not 90 Hz's 11.1). The budget is the shortest of the
  // last `periodWindow` periods: a runtime that paces a late frame at half rate reports a longer
  // period, which must not become the budget, and a runtime's first frames may report a
  // placeholder (Monado's null compositor: 16 ms, then its 50 ms) that must not stay it.
  // Ignored unless positive and finite.
  void setDisplayPeriodMs(double periodMs);
  double budgetMs() const { return mOptions.budgetMs; }
  double resolutionScale() const { return mResolution; }
  double stepScale() const { return mStep; }
  double smoothedMs() const { return mSmoothedMs; }

 private:
  AdaptiveOptions mOptions;
  double mResolution = 1;
  double mStep = 1;
  double mSmoothedMs = 0;
  double mSinceChangeS = 0;
  std::deque<double> mPeriodsMs;  // the last periodWindow display periods, newest last
};

}  // namespace delineo::app::xr
