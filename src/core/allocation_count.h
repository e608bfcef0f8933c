#pragma once

#include <cstdint>

namespace edgeport {

// How many times this process has allocated through operator new so far, or
// -1 when the count is not kept (a sanitizer build brings its own allocator).
// bench reads it around the timed runs.
std::int64_t allocation_count();

}  // namespace edgeport
