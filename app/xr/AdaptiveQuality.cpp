#include "app/xr/AdaptiveQuality.h"

#include <algorithm>
#include <cmath>

namespace delineo::app::xr {

void AdaptiveQuality::setDisplayPeriodMs(double periodMs) {
  if (!(periodMs > 0) || !std::isfinite(periodMs)) return;
  mPeriodsMs.push_back(periodMs);
  while (static_cast<int>(mPeriodsMs.size()) > std::max(1, mOptions.periodWindow)) mPeriodsMs.pop_front();
  mOptions.budgetMs = *std::min_element(mPeriodsMs.begin(), mPeriodsMs.end());
}

void AdaptiveQuality::update(double frameMs, bool idle, double dtS) {
  mSmoothedMs = mSmoothedMs <= 0 ? frameMs : mSmoothedMs + mOptions.smoothing * (frameMs - mSmoothedMs);
  mSinceChangeS += dtS;
  if (!mOptions.enabled || idle) {
    mResolution = mStep = 1;
    return;
  }
  if (mSinceChangeS < mOptions.adjustEveryS) return;
  if (mSmoothedMs > mOptions.budgetMs) {
    if (mStep < mOptions.maxStepScale) mStep = std::min(mOptions.maxStepScale, mStep * 1.25);
    else if (mResolution > mOptions.minResolution) mResolution = std::max(mOptions.minResolution, mResolution * 0.85);
    else return;
    mSinceChangeS = 0;
  } else if (mSmoothedMs < mOptions.budgetMs * mOptions.spareFraction) {
    if (mResolution < 1) mResolution = std::min(1.0, mResolution / 0.85);
    else if (mStep > 1) mStep = std::max(1.0, mStep / 1.25);
    else return;
    mSinceChangeS = 0;
  }
}

}  // namespace delineo::app::xr
