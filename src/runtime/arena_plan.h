#pragma once

#include <cstdint>
#include <vector>

namespace edgeport {

// One buffer the runtime needs from the step that writes it to the last step
// that reads it (both inclusive).
struct BufferLifetime {
  std::int64_t bytes = 0;
  int first_step = 0;
  int last_step = 0;
};

// Where each buffer lives in one arena: buffers whose lifetimes overlap never
// share bytes, the others may. Offsets are multiples of kArenaAlignment.
struct ArenaPlan {
  std::vector<std::int64_t> offsets;
  std::int64_t size = 0;
};

inline constexpr std::int64_t kArenaAlignment = 64;

// Greedy by size, largest first, each at the lowest offset that fits between
// the buffers already placed whose lifetimes overlap it (TFLite's planner
// works the same way).
ArenaPlan plan_arena(const std::vector<BufferLifetime>& buffers);

}  // namespace edgeport
