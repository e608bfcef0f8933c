#pragma once

#include <cstdint>
#include <vector>

#include "core/graph.h"

namespace edgeport {

// The IR names of the ops src/core/ops/slice.cpp declares.
namespace op {
inline constexpr char Slice[] = "Slice";
}  // namespace op

// The part of one input axis a Slice keeps: `count` elements from `begin`.
struct SliceRange {
  std::int64_t begin = 0;
  std::int64_t count = 0;
};

// One range per axis of `input` for a Slice node, with ONNX's rules: a
// negative start or end counts from the end of its axis, both are then
// clamped to the axis, and axes not listed are kept whole. Throws an Error
// naming the node for malformed attributes or a step other than 1.
std::vector<SliceRange> slice_ranges(const Node& node, const Shape& input);

}  // namespace edgeport
