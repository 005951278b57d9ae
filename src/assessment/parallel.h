// Splits a batch's independent per-item work (decoding and validating NDJSON lines, screening
// declarations) across the machine's cores. A request thread would otherwise do a whole
// 1,000-line batch alone while the other cores wait for the next request; the server's worker
// pool cannot help because one request is one task.
//
// Chunks run on short-lived threads plus the calling thread: starting a thread costs tens of
// microseconds, nothing beside a chunk of at least `min_chunk` items that take tens of
// microseconds each. Small batches (single requests) run inline with no thread at all.
#pragma once

#include <algorithm>
#include <cstddef>
#include <thread>
#include <vector>

namespace cordon::assessment {

// Calls fn(begin, end) over [0, n) in contiguous chunks, at most one per core, and returns
// when all are done. fn must not throw and must only touch its own items.
template <typename Fn>
void parallel_chunks(std::size_t n, std::size_t min_chunk, Fn&& fn) {
  static const std::size_t cores = std::max(1u, std::thread::hardware_concurrency());
  std::size_t chunks = std::min(cores, n / std::max<std::size_t>(1, min_chunk));
  if (chunks <= 1) {
    if (n > 0) fn(std::size_t{0}, n);
    return;
  }
  std::vector<std::jthread> helpers;
  helpers.reserve(chunks - 1);
  const std::size_t per = (n + chunks - 1) / chunks;
  for (std::size_t c = 1; c < chunks; ++c) {
    std::size_t begin = c * per, end = std::min(n, begin + per);
    if (begin < end) helpers.emplace_back([&fn, begin, end] { fn(begin, end); });
  }
  fn(std::size_t{0}, std::min(n, per));
}  // the jthreads join here

}  // namespace cordon::assessment
