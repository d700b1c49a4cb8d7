#include "core/io/DicomGeometry.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <sstream>

namespace delineo::io {

using core::makeError;
using core::Vec3;

namespace {

// Direction cosines are written with ~6 decimals; differences above this are real.
constexpr double kOrientationTolerance = 1e-4;
// Two slices closer than this along the normal occupy the same position.
constexpr double kDuplicateToleranceMm = 1e-3;

struct Frame {
  SliceRef ref;
  Vec3 position;
  double along = 0.0;  // position projected on the slice normal
};

std::string frameName(const std::vector<DicomHeader>& files, SliceRef ref) {
  const DicomHeader& h = files[static_cast<std::size_t>(ref.file)];
  if (h.frameCount > 1) return h.path + " (frame " + std::to_string(ref.frame + 1) + ")";
  return h.path;
}

std::string mm(double v, int precision = 3) {
  std::ostringstream s;
  s.precision(precision);
  s << std::fixed << v << " mm";
  return s.str();
}

bool near(Vec3 a, Vec3 b, double tolerance) {
  return std::abs(a.x - b.x) <= tolerance && std::abs(a.y - b.y) <= tolerance &&
         std::abs(a.z - b.z) <= tolerance;
}

// A series of files without any patient geometry, stacked in frame order on request.
core::Result<SeriesLayout> stackWithoutGeometry(const std::vector<DicomHeader>& files) {
  const DicomHeader& h = files.front();
  SeriesLayout layout;
  for (int f = 0; f < h.frameCount; ++f) layout.slices.push_back({0, f});
  core::Geometry& g = layout.geometry;
  g.dims = {h.columns, h.rows, h.frameCount};
  const DicomFrameInfo& first = h.frames.front();
  if (first.pixelSpacingMm) {
    g.spacingMm.x = first.pixelSpacingMm->x;
    g.spacingMm.y = first.pixelSpacingMm->y;
  }
  if (h.spacingBetweenSlicesMm > 0) g.spacingMm.z = h.spacingBetweenSlicesMm;
  else if (h.sliceThicknessMm > 0) g.spacingMm.z = h.sliceThicknessMm;
  layout.warnings.push_back(h.path +
                            ": the image has no patient position or orientation; it is shown as a "
                            "stack of frames with an assumed orientation, not in patient space");
  return layout;
}

}  // namespace

core::Result<SeriesLayout> layoutSeries(const std::vector<DicomHeader>& files,
                                        const LayoutOptions& options) {
  if (files.empty()) return makeError("the series has no images");
  const DicomHeader& ref = files.front();
  for (const DicomHeader& h : files) {
    if (h.rows != ref.rows || h.columns != ref.columns)
      return makeError(h.path + ": image size " + std::to_string(h.columns) + "x" +
                       std::to_string(h.rows) + " differs from " + std::to_string(ref.columns) +
                       "x" + std::to_string(ref.rows) + " of " + ref.path +
                       " (mixed sizes in one series)");
  }

  bool noGeometryAtAll = std::all_of(files.begin(), files.end(), [](const DicomHeader& h) {
    return std::all_of(h.frames.begin(), h.frames.end(), [](const DicomFrameInfo& f) {
      return !f.positionMm && !f.rowDirection;
    });
  });
  if (noGeometryAtAll && options.allowMissingGeometry && files.size() == 1)
    return stackWithoutGeometry(files);

  // Every frame needs a position and an orientation; say which is missing where.
  for (std::size_t fi = 0; fi < files.size(); ++fi) {
    const DicomHeader& h = files[fi];
    for (const DicomFrameInfo& f : h.frames) {
      SliceRef r{static_cast<int>(fi), f.frameIndex};
      if (!f.rowDirection || !f.columnDirection)
        return makeError(frameName(files, r) +
                         ": ImageOrientationPatient is missing, so the image cannot be placed in "
                         "patient space");
      if (!f.positionMm) {
        if (h.frameCount > 1 && !h.enhanced)
          return makeError(h.path + ": multi-frame image (" + std::to_string(h.frameCount) +
                           " frames) has no per-frame positions; its slice geometry cannot be "
                           "derived");
        return makeError(frameName(files, r) +
                         ": ImagePositionPatient is missing, so the slice cannot be placed");
      }
    }
  }

  const DicomFrameInfo& f0 = ref.frames.front();
  Vec3 row = core::normalize(*f0.rowDirection);
  Vec3 col = core::normalize(*f0.columnDirection);
  if (core::length(*f0.rowDirection) < 0.5 || core::length(*f0.columnDirection) < 0.5 ||
      std::abs(core::dot(row, col)) > 1e-3)
    return makeError(ref.path + ": ImageOrientationPatient is not two orthogonal unit vectors");
  Vec3 normal = core::normalize(core::cross(row, col));

  std::optional<Vec3> spacing = f0.pixelSpacingMm;
  std::vector<Frame> frames;
  for (std::size_t fi = 0; fi < files.size(); ++fi) {
    for (const DicomFrameInfo& f : files[fi].frames) {
      SliceRef r{static_cast<int>(fi), f.frameIndex};
      if (!near(core::normalize(*f.rowDirection), row, kOrientationTolerance) ||
          !near(core::normalize(*f.columnDirection), col, kOrientationTolerance))
        return makeError(frameName(files, r) + ": image orientation differs from that of " +
                         frameName(files, {0, f0.frameIndex}) + " (mixed orientations in one series)");
      if (f.pixelSpacingMm.has_value() != spacing.has_value() ||
          (spacing && !near(*f.pixelSpacingMm, *spacing, 1e-4 * std::max(1.0, spacing->x))))
        return makeError(frameName(files, r) + ": pixel spacing differs from that of " +
                         frameName(files, {0, f0.frameIndex}) + " (mixed pixel spacing in one series)");
      frames.push_back({r, *f.positionMm, core::dot(*f.positionMm, normal)});
    }
  }
  std::stable_sort(frames.begin(), frames.end(),
                   [](const Frame& a, const Frame& b) { return a.along < b.along; });

  SeriesLayout layout;
  for (std::size_t n = 1; n < frames.size(); ++n) {
    if (frames[n].along - frames[n - 1].along < kDuplicateToleranceMm)
      return makeError("the series has 2 slices with the same position (" +
                       core::toString(frames[n].position, 3) + "): " +
                       frameName(files, frames[n - 1].ref) + " and " +
                       frameName(files, frames[n].ref));
  }

  // Gantry tilt: slices step along a direction that is not the normal of their planes. Each
  // slice's offset across the normal, relative to the series' mean offset, must be rounding.
  std::vector<Vec3> across;
  Vec3 meanAcross{};
  for (const Frame& f : frames) {
    Vec3 offset = f.position - frames.front().position;
    across.push_back(offset - normal * core::dot(offset, normal));
    meanAcross = meanAcross + across.back() / double(frames.size());
  }
  std::size_t worst = 0;
  for (std::size_t n = 0; n < frames.size(); ++n)
    if (core::length(across[n] - meanAcross) > core::length(across[worst] - meanAcross)) worst = n;
  if (core::length(across[worst] - meanAcross) > kPlacementToleranceMm) {
    // The tilt angle is what the whole stack shows: its drift across over its length.
    Vec3 span = frames.back().position - frames.front().position;
    double along = std::abs(core::dot(span, normal));
    double degrees = std::atan2(core::length(across.back()), along) * 180.0 / std::numbers::pi;
    std::ostringstream s;
    s.precision(2);
    s << std::fixed << "series " << ref.source.seriesInstanceUid << ": slices are not stacked along "
      << "their normal (gantry tilt of " << degrees << " degrees, " << frameName(files, frames[worst].ref)
      << " lies " << core::length(across[worst] - meanAcross) << " mm off the stack's axis); tilted "
      << "acquisitions are not supported";
    return makeError(s.str());
  }

  double stepMm = 1.0;
  if (frames.size() > 1) {
    std::vector<double> gaps;
    for (std::size_t n = 1; n < frames.size(); ++n) gaps.push_back(frames[n].along - frames[n - 1].along);
    std::vector<double> sorted = gaps;
    std::nth_element(sorted.begin(), sorted.begin() + static_cast<long>(sorted.size() / 2), sorted.end());
    double median = sorted[sorted.size() / 2];
    // Least-squares line along = a + step * n; residuals are how far each slice sits from an
    // evenly spaced grid.
    double count = double(frames.size());
    double meanN = (count - 1) / 2;
    double meanAlong = 0;
    for (const Frame& f : frames) meanAlong += f.along / count;
    double sxy = 0, sxx = 0;
    for (std::size_t n = 0; n < frames.size(); ++n) {
      sxy += (double(n) - meanN) * (frames[n].along - meanAlong);
      sxx += (double(n) - meanN) * (double(n) - meanN);
    }
    stepMm = sxy / sxx;
    double worstResidual = 0;
    for (std::size_t n = 0; n < frames.size(); ++n)
      worstResidual = std::max(worstResidual, std::abs(frames[n].along - (meanAlong + stepMm * (double(n) - meanN))));
    double tolerance = std::max(kSpacingToleranceMm, kRelativeSpacingTolerance * median);
    for (std::size_t n = 0; n < gaps.size(); ++n) {
      double deviation = std::abs(gaps[n] - median);
      bool rounding = worstResidual <= kPlacementToleranceMm && deviation <= kMissingSliceFraction * median;
      if (deviation > tolerance && !rounding)
        return makeError("slices are not evenly spaced: " + mm(gaps[n]) + " between " +
                         frameName(files, frames[n].ref) + " and " +
                         frameName(files, frames[n + 1].ref) + " where the series steps " +
                         mm(median) + (gaps[n] > median ? " (missing slices?)" : ""));
    }
  } else if (ref.sliceThicknessMm > 0) {
    stepMm = ref.sliceThicknessMm;
  } else if (ref.spacingBetweenSlicesMm > 0) {
    stepMm = ref.spacingBetweenSlicesMm;
  } else {
    layout.warnings.push_back(ref.path + ": single slice without SliceThickness; assuming 1 mm");
  }

  core::Geometry& g = layout.geometry;
  g.dims = {ref.columns, ref.rows, static_cast<std::int64_t>(frames.size())};
  if (spacing) {
    g.spacingMm = {spacing->x, spacing->y, stepMm};
  } else {
    g.spacingMm = {1.0, 1.0, stepMm};
    layout.warnings.push_back(ref.path + ": PixelSpacing is missing; assuming 1 mm pixels");
  }
  g.originMm = frames.front().position;
  g.direction = core::Mat3::fromColumns(row, col, normal);
  for (const Frame& f : frames) layout.slices.push_back(f.ref);
  return layout;
}

}  // namespace delineo::io
