#include "core/arena_plan.h"

#include <algorithm>
#include <numeric>

namespace edgeport {
namespace {

bool overlap(const BufferLifetime& a, const BufferLifetime& b) {
  return a.first_step <= b.last_step && b.first_step <= a.last_step;
}

}  // namespace

ArenaPlan plan_arena(const std::vector<BufferLifetime>& buffers, std::int64_t alignment) {
  const auto aligned = [alignment](std::int64_t bytes) { return (bytes + alignment - 1) / alignment * alignment; };
  std::vector<std::int64_t> sizes;
  for (const BufferLifetime& buffer : buffers) sizes.push_back(aligned(buffer.bytes));
  std::vector<std::size_t> order(buffers.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return sizes[a] > sizes[b]; });
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
      if (plan.offsets[other] - offset >= sizes[index]) break;
      offset = std::max(offset, plan.offsets[other] + sizes[other]);
    }
    plan.offsets[index] = offset;
    plan.size = std::max(plan.size, offset + sizes[index]);
    placed.push_back(index);
  }
  return plan;
}

}  // namespace edgeport
