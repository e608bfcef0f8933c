#pragma once

#include <cstdint>
#include <functional>

namespace edgeport {

// Runs body over [0, count) split into at most `threads` contiguous chunks:
// the caller's thread takes the first, worker threads kept for the life of
// the process the others. Chunks must be independent. threads <= 1, or a call
// from inside another parallel_for, runs body(0, count) inline.
void parallel_for(std::int64_t count, int threads, const std::function<void(std::int64_t, std::int64_t)>& body);

}  // namespace edgeport
