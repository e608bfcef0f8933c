#pragma once

#include <cstdint>
#include <vector>

namespace edgeport {

// One buffer an interpreter needs from the step that writes it to the last
// step that reads it (both inclusive).
struct BufferLifetime {
  std::int64_t bytes = 0;
  int first_step = 0;
  int last_step = 0;
};

// Where each buffer lives in one arena: buffers whose lifetimes overlap never
// share bytes, the others may. Offsets are multiples of the alignment.
struct ArenaPlan {
  std::vector<std::int64_t> offsets;
  std::int64_t size = 0;
};

// Greedy by size, largest first (ties keep the order given), each at the
// lowest offset that fits between the buffers already placed whose lifetimes
// overlap it. TFLite Micro's GreedyMemoryPlanner works the same way, so one
// planner serves our runtime's arena and the estimate of a microcontroller's.
// Each buffer takes its bytes rounded up to `alignment`.
ArenaPlan plan_arena(const std::vector<BufferLifetime>& buffers, std::int64_t alignment);

}  // namespace edgeport
