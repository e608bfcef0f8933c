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
  // The buffers placed so far, by offset: one pass finds the lowest gap, so
  // the plan takes O(n^2) steps, however many buffers overlap.
  std::vector<std::size_t> by_offset;
  for (std::size_t index : order) {
    const BufferLifetime& buffer = buffers[index];
    std::int64_t offset = 0;
    for (std::size_t other : by_offset) {
      if (!overlap(buffer, buffers[other])) continue;
      if (plan.offsets[other] - offset >= sizes[index]) break;
      offset = std::max(offset, plan.offsets[other] + sizes[other]);
    }
    plan.offsets[index] = offset;
    plan.size = std::max(plan.size, offset + sizes[index]);
    const auto position = std::upper_bound(by_offset.begin(), by_offset.end(), offset,
                                           [&](std::int64_t value, std::size_t other) { return value < plan.offsets[other]; });
    by_offset.insert(position, index);
  }
  return plan;
}

}  // namespace edgeport
