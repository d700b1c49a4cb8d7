#pragma once
// Minimal data parallelism for the tools: split an index range over a few std::threads. No
// pool and no globals: tools run seconds, thread start-up costs microseconds.
#include <algorithm>
#include <cstdint>
#include <thread>
#include <vector>

namespace delineo::tools {

// `requested` > 0 is taken as is; 0 means one per hardware thread.
inline int workerCount(int requested) {
  if (requested > 0) return requested;
  return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

// Calls body(begin, end) on contiguous chunks of [0, count), one chunk per worker; the calling
// thread takes the first chunk. Blocks until all are done.
template <typename Body>
void parallelChunks(std::int64_t count, int threads, Body&& body) {
  const std::int64_t workers = std::clamp<std::int64_t>(workerCount(threads), 1, std::max<std::int64_t>(1, count));
  if (workers <= 1) {
    if (count > 0) body(std::int64_t{0}, count);
    return;
  }
  std::vector<std::thread> pool;
  auto chunk = [&](std::int64_t w) { return count * w / workers; };
  for (std::int64_t w = 1; w < workers; ++w) pool.emplace_back([&, w] { body(chunk(w), chunk(w + 1)); });
  body(chunk(0), chunk(1));
  for (auto& t : pool) t.join();
}

}  // namespace delineo::tools
