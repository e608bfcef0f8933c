#include "runtime/parallel.h"

#include <algorithm>
#include <exception>
#include <thread>
#include <vector>

namespace edgeport {

void parallel_for(std::int64_t count, int threads, const std::function<void(std::int64_t, std::int64_t)>& body) {
  const std::int64_t chunks = std::min<std::int64_t>(std::max(threads, 1), count);
  if (chunks <= 1) {
    if (count > 0) body(0, count);
    return;
  }
  // A worker's exception is carried back to the caller rather than terminating the process.
  std::vector<std::exception_ptr> failures(static_cast<std::size_t>(chunks));
  auto run_chunk = [&](std::int64_t chunk) {
    try {
      body(chunk * count / chunks, (chunk + 1) * count / chunks);
    } catch (...) {
      failures[static_cast<std::size_t>(chunk)] = std::current_exception();
    }
  };
  std::vector<std::thread> workers;
  for (std::int64_t chunk = 1; chunk < chunks; ++chunk) workers.emplace_back(run_chunk, chunk);
  run_chunk(0);
  for (std::thread& worker : workers) worker.join();
  for (const std::exception_ptr& failure : failures) {
    if (failure) std::rethrow_exception(failure);
  }
}

}  // namespace edgeport
