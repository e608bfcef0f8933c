#pragma once

#include "core/tensor.h"

namespace edgeport {

// Element strides of a dense row-major tensor of this shape.
Shape contiguous_strides(const Shape& shape);

// Steps a row-major multi-index over `shape` by one element, keeping `offsets`
// (one per operand, each moving by its own `strides[operand][axis]`) in step.
// Returns false once the index wraps past the last element.
bool advance_index(const Shape& shape, Shape& index, const std::vector<Shape>& strides,
                   std::vector<std::int64_t>& offsets);

}  // namespace edgeport
