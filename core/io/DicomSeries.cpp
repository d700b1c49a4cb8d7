#include "core/io/DicomSeries.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "core/io/DicomFrames.h"
#include "core/io/DicomGeometry.h"
#include "core/io/DicomHeader.h"

namespace delineo::io {

using core::makeError;
using core::ScalarType;

namespace {

namespace fs = std::filesystem;

// 2^31 voxels (4 GiB of int16) is far beyond any CT or MR series; a header claiming more is
// corrupt, and we refuse before allocating.
constexpr std::int64_t kMaxSeriesVoxels = std::int64_t{1} << 31;

// Share of the progress bar given to header reading; decoding takes the rest.
constexpr double kHeaderShare = 0.15;
constexpr double kDecodeShare = 0.8;

// Runs work(0..count-1) on a pool of threads while the calling thread reports progress in
// [from, to] and watches for cancellation. Stops at the first failure; returns the failure
// of the lowest index seen, or "cancelled".
core::Result<void> parallelFor(std::size_t count, int threads, const core::TaskControl& control,
                               double from, double to, std::string_view stage,
                               const std::function<core::Result<void>(std::size_t)>& work) {
  if (control.cancelled()) return makeError("cancelled");
  if (count == 0) return {};
  std::size_t poolSize = threads > 0 ? std::size_t(threads)
                                     : std::max(1u, std::thread::hardware_concurrency());
  poolSize = std::clamp<std::size_t>(poolSize, 1, count);

  std::atomic<std::size_t> next{0};
  std::atomic<std::size_t> done{0};
  std::atomic<bool> stop{false};
  std::mutex mutex;
  std::condition_variable wake;
  std::optional<std::pair<std::size_t, core::Error>> failure;

  auto worker = [&] {
    while (!stop.load(std::memory_order_relaxed) && !control.cancelled()) {
      std::size_t i = next.fetch_add(1);
      if (i >= count) break;
      core::Result<void> r = [&]() -> core::Result<void> {
        try {
          return work(i);
        } catch (const std::bad_alloc&) {
          return makeError("out of memory");
        } catch (const std::exception& e) {
          return makeError(e.what());
        }
      }();
      if (!r) {
        std::lock_guard lock(mutex);
        if (!failure || i < failure->first) failure.emplace(i, r.error());
        stop = true;
      }
      done.fetch_add(1);
      wake.notify_one();
    }
    wake.notify_one();
  };

  std::vector<std::thread> pool;
  try {
    for (std::size_t t = 0; t < poolSize; ++t) pool.emplace_back(worker);
  } catch (const std::system_error&) {
    if (pool.empty()) worker();  // no threads to be had: do the work here
  }
  {
    std::unique_lock lock(mutex);
    while (done.load() < count && !stop.load() && !control.cancelled()) {
      wake.wait_for(lock, std::chrono::milliseconds(50));
      lock.unlock();
      std::size_t finished = done.load();
      control.progress(finished >= count ? to : from + (to - from) * double(finished) / double(count), stage);
      lock.lock();
    }
  }
  stop = true;
  for (std::thread& t : pool) t.join();
  if (failure) return failure->second;
  if (done.load() < count) return makeError("cancelled");
  control.progress(to, stage);
  return {};
}

core::Result<std::vector<std::string>> collectFiles(const std::string& path) {
  std::error_code ec;
  fs::file_status status = fs::status(path, ec);
  if (ec || !fs::exists(status)) return makeError(path + ": no such file or folder");
  if (fs::is_regular_file(status)) return std::vector<std::string>{path};
  if (!fs::is_directory(status)) return makeError(path + ": not a file or folder");
  std::vector<std::string> files;
  for (fs::recursive_directory_iterator it(path, fs::directory_options::skip_permission_denied, ec), end;
       !ec && it != end; it.increment(ec)) {
    std::error_code fileEc;
    if (!it->is_regular_file(fileEc) || fileEc) continue;
    std::string name = it->path().filename().string();
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return char(std::toupper(c)); });
    if (name == "DICOMDIR") continue;
    files.push_back(it->path().string());
  }
  if (ec && files.empty()) return makeError(path + ": folder could not be read (" + ec.message() + ")");
  std::sort(files.begin(), files.end());
  return files;
}

struct Scan {
  std::vector<DicomHeader> headers;  // image headers only, in file order
  std::vector<std::string> skipped;  // files that are not DICOM images
  std::optional<core::Error> singleFileError;  // why `path` itself (a file) was not usable
};

core::Result<Scan> scanHeaders(const std::string& path, int threads, const core::TaskControl& control,
                               double progressTo) {
  auto files = collectFiles(path);
  if (!files) return files.error();
  registerDicomDecoders();
  std::vector<std::optional<core::Result<DicomHeader>>> results(files->size());
  auto read = parallelFor(files->size(), threads, control, 0.0, progressTo, "reading headers",
                          [&](std::size_t i) -> core::Result<void> {
                            results[i].emplace(readDicomHeader((*files)[i]));
                            return {};
                          });
  if (!read) return read.error();
  Scan scan;
  for (std::size_t i = 0; i < results.size(); ++i) {
    core::Result<DicomHeader>& r = *results[i];
    if (!r) {
      if (files->size() == 1) scan.singleFileError = r.error();
      scan.skipped.push_back((*files)[i]);
    } else if (r->isDirectory) {
      if (files->size() == 1)
        scan.singleFileError = makeError((*files)[i] + ": is a DICOMDIR (a media index); open the folder that holds it instead");
      scan.skipped.push_back((*files)[i]);
    } else if (!r->isImage()) {
      if (files->size() == 1)
        scan.singleFileError = makeError(
            (*files)[i] + ": is a DICOM object without an image" +
            (r->source.sopClassUid.empty() ? std::string() : " (SOP class " + r->source.sopClassUid + ")"));
      scan.skipped.push_back((*files)[i]);
    } else {
      scan.headers.push_back(std::move(r.value()));
    }
  }
  return scan;
}

// Images grouped by SeriesInstanceUID, in order of their first file.
std::vector<std::vector<const DicomHeader*>> groupSeries(const Scan& scan) {
  std::vector<std::vector<const DicomHeader*>> groups;
  std::map<std::string, std::size_t> index;
  for (const DicomHeader& h : scan.headers) {
    // An image without a series UID stands alone rather than joining strangers.
    std::string key = h.source.seriesInstanceUid.empty() ? "file:" + h.path : h.source.seriesInstanceUid;
    auto [it, inserted] = index.emplace(key, groups.size());
    if (inserted) groups.emplace_back();
    groups[it->second].push_back(&h);
  }
  return groups;
}

SeriesSummary summarize(const std::vector<const DicomHeader*>& series) {
  const DicomHeader& first = *series.front();
  SeriesSummary s;
  s.seriesInstanceUid = first.source.seriesInstanceUid;
  s.modality = first.modality;
  s.description = first.seriesDescription;
  s.imageCount = static_cast<int>(series.size());
  for (const DicomHeader* h : series) s.frameCount += h->frameCount;
  s.rows = first.rows;
  s.columns = first.columns;
  s.firstFile = first.path;
  return s;
}

std::string describeSeries(const std::vector<std::vector<const DicomHeader*>>& groups) {
  std::string text;
  for (const auto& g : groups) {
    SeriesSummary s = summarize(g);
    text += "\n  " + (s.seriesInstanceUid.empty() ? std::string("(no SeriesInstanceUID)") : s.seriesInstanceUid) +
            " (" + (s.modality.empty() ? std::string("?") : s.modality) + ", \"" + s.description +
            "\", " + std::to_string(s.imageCount) + (s.imageCount == 1 ? " image" : " images") + ")";
  }
  return text;
}

// Bounds of `v * slope + intercept` for v in [lo, hi].
std::pair<double, double> rescaledRange(std::pair<double, double> stored, double slope, double intercept) {
  double a = stored.first * slope + intercept;
  double b = stored.second * slope + intercept;
  return {std::min(a, b), std::max(a, b)};
}

bool isIntegral(double v) { return std::abs(v - std::round(v)) < 1e-9 * std::max(1.0, std::abs(v)); }

bool fits(ScalarType t, double lo, double hi) {
  switch (t) {
    case ScalarType::UInt8: return lo >= 0 && hi <= 255;
    case ScalarType::Int16: return lo >= -32768 && hi <= 32767;
    case ScalarType::UInt16: return lo >= 0 && hi <= 65535;
    case ScalarType::Float32: return true;
  }
  return true;
}

// Native type when rescaled values are integers that still fit it, else int16 when they fit
// that, else float32: never loses a value, never widens without need.
ScalarType chooseOutputType(ScalarType raw, const std::vector<std::pair<double, double>>& rescale,
                            const std::vector<std::pair<double, double>>& storedRange) {
  if (raw == ScalarType::Float32) return raw;
  bool integral = true;
  double lo = std::numeric_limits<double>::max();
  double hi = std::numeric_limits<double>::lowest();
  for (std::size_t k = 0; k < rescale.size(); ++k) {
    integral = integral && isIntegral(rescale[k].first) && isIntegral(rescale[k].second);
    auto [a, b] = rescaledRange(storedRange[k], rescale[k].first, rescale[k].second);
    lo = std::min(lo, a);
    hi = std::max(hi, b);
  }
  if (!integral) return ScalarType::Float32;
  if (fits(raw, lo, hi)) return raw;
  if (fits(ScalarType::Int16, lo, hi)) return ScalarType::Int16;
  return ScalarType::Float32;
}

template <typename In, typename Out>
void rescaleSlice(const In* src, Out* dst, std::size_t count, double slope, double intercept) {
  for (std::size_t n = 0; n < count; ++n)
    dst[n] = static_cast<Out>(double(src[n]) * slope + intercept);
}

// Pixel formats that differ between files cannot share one raw volume.
core::Result<void> checkSamePixelFormat(const std::vector<DicomHeader>& files) {
  const DicomHeader& a = files.front();
  for (const DicomHeader& b : files) {
    if (b.bitsAllocated != a.bitsAllocated || b.pixelRepresentation != a.pixelRepresentation)
      return makeError(b.path + ": pixel format (" + std::to_string(b.bitsAllocated) + " bits, " +
                       (b.pixelRepresentation ? "signed" : "unsigned") + ") differs from " + a.path +
                       " (" + std::to_string(a.bitsAllocated) + " bits, " +
                       (a.pixelRepresentation ? "signed" : "unsigned") + ")");
  }
  return {};
}

// Uncompressed pixel data must fit in the file; checking the size up front turns a truncated
// file into a clear message before anything large is allocated.
core::Result<void> checkFileSize(const DicomHeader& h) {
  bool uncompressed = h.transferSyntaxUid == "1.2.840.10008.1.2" ||
                      h.transferSyntaxUid == "1.2.840.10008.1.2.1" ||
                      h.transferSyntaxUid == "1.2.840.10008.1.2.2";
  if (!uncompressed) return {};
  std::error_code ec;
  auto size = fs::file_size(h.path, ec);
  auto needed = std::uintmax_t(h.rows) * std::uintmax_t(h.columns) * std::uintmax_t(h.frameCount) *
                std::uintmax_t(h.bitsAllocated / 8);
  if (!ec && size < needed)
    return makeError(h.path + ": pixel data is truncated (the file has " + std::to_string(size) +
                     " bytes, the image needs " + std::to_string(needed) + ")");
  return {};
}

}  // namespace

bool isDicomFile(const std::string& path) {
  auto h = readDicomHeader(path);
  return h.ok();
}

core::Result<std::vector<SeriesSummary>> scanDicom(const std::string& path,
                                                   const core::TaskControl& control,
                                                   std::vector<std::string>* skipped) {
  auto scan = scanHeaders(path, 0, control, 1.0);
  if (!scan) return scan.error();
  if (scan->singleFileError) return *scan->singleFileError;
  if (skipped) *skipped = scan->skipped;
  std::vector<SeriesSummary> list;
  for (const auto& g : groupSeries(*scan)) list.push_back(summarize(g));
  return list;
}

core::Result<LoadedImage> loadDicomSeries(const std::string& path, const DicomLoadOptions& options,
                                          const core::TaskControl& control) {
  auto scan = scanHeaders(path, options.threads, control, kHeaderShare);
  if (!scan) return scan.error();
  if (scan->singleFileError) return *scan->singleFileError;
  auto groups = groupSeries(*scan);
  if (groups.empty())
    return makeError(path + ": no DICOM images found (" + std::to_string(scan->skipped.size()) +
                     " files skipped)");

  const std::vector<const DicomHeader*>* chosen = nullptr;
  if (!options.seriesUid.empty()) {
    for (const auto& g : groups)
      if (g.front()->source.seriesInstanceUid == options.seriesUid) chosen = &g;
    if (!chosen)
      return makeError(path + ": no series with SeriesInstanceUID " + options.seriesUid +
                       "; it holds:" + describeSeries(groups));
  } else if (groups.size() > 1) {
    return makeError(path + " holds " + std::to_string(groups.size()) +
                     " image series; choose one by SeriesInstanceUID:" + describeSeries(groups));
  } else {
    chosen = &groups.front();
  }

  std::vector<DicomHeader> files;
  for (const DicomHeader* h : *chosen) files.push_back(*h);
  for (const DicomHeader& h : files) {
    if (auto ok = checkPixelFormat(h); !ok) return ok.error();
    if (auto ok = checkFileSize(h); !ok) return ok.error();
  }
  if (auto ok = checkSamePixelFormat(files); !ok) return ok.error();

  auto layout = layoutSeries(files, {options.allowMissingGeometry});
  if (!layout) return layout.error();
  const core::Geometry& geometry = layout->geometry;
  const DicomHeader& first = files.front();
  std::string seriesName = first.source.seriesInstanceUid.empty() ? first.path
                                                                  : "series " + first.source.seriesInstanceUid;
  if (auto ok = geometry.validate(seriesName); !ok) return ok.error();
  if (geometry.voxelCount() > kMaxSeriesVoxels)
    return makeError(seriesName + ": " + core::toString(geometry.dims) + " voxels is too large to load");

  // Where each frame goes, grouped by file so that each file is read once.
  std::vector<std::vector<FrameSlot>> slotsByFile(files.size());
  std::vector<std::pair<double, double>> rescaleBySlice(layout->slices.size());
  for (std::size_t k = 0; k < layout->slices.size(); ++k) {
    SliceRef ref = layout->slices[k];
    slotsByFile[std::size_t(ref.file)].push_back({ref.frame, static_cast<std::int64_t>(k)});
    const DicomFrameInfo& frame = files[std::size_t(ref.file)].frames[std::size_t(ref.frame)];
    rescaleBySlice[k] = {frame.rescaleSlope, frame.rescaleIntercept};
  }

  ScalarType rawType = rawScalarType(first);
  std::optional<core::Volume> raw;
  try {
    raw.emplace(geometry, rawType);
  } catch (const std::bad_alloc&) {
    return makeError(seriesName + ": not enough memory for " + core::toString(geometry.dims) + " voxels");
  }
  std::vector<std::pair<double, double>> storedRange(layout->slices.size());
  auto decoded = parallelFor(files.size(), options.threads, control, kHeaderShare,
                             kHeaderShare + kDecodeShare, "decoding", [&](std::size_t f) {
                               return decodeDicomFrames(files[f], slotsByFile[f], *raw, storedRange);
                             });
  if (!decoded) return decoded.error();

  ScalarType outType = chooseOutputType(rawType, rescaleBySlice, storedRange);
  std::optional<core::Volume> converted;
  if (outType != rawType) {
    try {
      converted.emplace(geometry, outType);
    } catch (const std::bad_alloc&) {
      return makeError(seriesName + ": not enough memory to rescale " + core::toString(geometry.dims) + " voxels");
    }
  }
  core::Volume& target = converted ? *converted : *raw;
  const std::size_t sliceVoxels = std::size_t(geometry.dims[0] * geometry.dims[1]);
  auto rescaled = parallelFor(layout->slices.size(), options.threads, control,
                              kHeaderShare + kDecodeShare, 1.0, "decoding", [&](std::size_t k) {
    auto [slope, intercept] = rescaleBySlice[k];
    if (outType == rawType && slope == 1.0 && intercept == 0.0) return core::Result<void>{};
    core::dispatchScalar(rawType, [&](auto in) {
      using In = decltype(in);
      const In* src = raw->voxels<In>().data() + k * sliceVoxels;
      core::dispatchScalar(outType, [&](auto out) {
        using Out = decltype(out);
        rescaleSlice(src, target.voxels<Out>().data() + k * sliceVoxels, sliceVoxels, slope, intercept);
      });
    });
    return core::Result<void>{};
  });
  if (!rescaled) return rescaled.error();

  LoadedImage image;
  image.volume = std::move(target);
  image.volume.modality = first.modality;
  image.volume.description = first.seriesDescription;
  image.format = "DICOM";
  image.warnings = layout->warnings;
  if (first.photometric == "MONOCHROME1")
    image.warnings.push_back(seriesName + ": MONOCHROME1 (low values bright); values are kept as stored, "
                             "so a default grey map shows it inverted");

  DicomSource source = first.source;
  bool oneFilePerSlice = files.size() == layout->slices.size();
  if (oneFilePerSlice) {
    for (SliceRef ref : layout->slices) {
      source.sopInstanceUids.push_back(files[std::size_t(ref.file)].sopInstanceUid);
      source.files.push_back(files[std::size_t(ref.file)].path);
    }
  } else {
    std::vector<int> listedAs(files.size(), -1);
    for (SliceRef ref : layout->slices) {
      int& index = listedAs[std::size_t(ref.file)];
      if (index < 0) {
        index = static_cast<int>(source.sopInstanceUids.size());
        source.sopInstanceUids.push_back(files[std::size_t(ref.file)].sopInstanceUid);
        source.files.push_back(files[std::size_t(ref.file)].path);
      }
      source.sliceFileIndex.push_back(index);
      source.frameNumbers.push_back(ref.frame + 1);
    }
  }
  image.dicom = std::move(source);
  control.progress(1.0, "decoding");
  return image;
}

}  // namespace delineo::io
