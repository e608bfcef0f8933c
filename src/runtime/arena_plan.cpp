#include "runtime/arena_plan.h"

#include <algorithm>
#include <numeric>

namespace edgeport {
namespace {

std::int64_t aligned(std::int64_t bytes) { return (bytes + kArenaAlignment - 1) / kArenaAlignment * kArenaAlignment; }

bool overlap(const BufferLifetime& a, const BufferLifetime& b) {
  return a.first_step <= b.last_step && b.first_step <= a.last_step;
}

}  // namespace

ArenaPlan plan_arena(const std::vector<BufferLifetime>& buffers) {
  std::vector<std::size_t> order(buffers.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return buffers[a].bytes > buffers[b].bytes; });
  ArenaPlan plan;
  plan.offsets.assign(buffers.size(), 0);
  std::vector<std::size_t> placed;
  for (std::size_t index : order) {
    const BufferLifetime& buffer = buffers[index];
    std::vector<std::size_t> neighbours;
    for (std::size_t other : placed) {
      if (overlap(buffer, buffers[other])) neighbours.push_back(other);
    }
    std::sort(neighbours.begin(), neighbours.end(),
              [&](std::size_t a, std::size_t b) { return plan.offsets[a] < plan.offsets[b]; });
    std::int64_t offset = 0;
    for (std::size_t other : neighbours) {
      if (plan.offsets[other] - offset >= buffer.bytes) break;
      offset = std::max(offset, aligned(plan.offsets[other] + buffers[other].bytes));
    }
    plan.offsets[index] = offset;
    plan.size = std::max(plan.size, aligned(offset + buffer.bytes));
    placed.push_back(index);
  }
  return plan;
}

}  // namespace edgeport
