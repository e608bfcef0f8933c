// Slice (see src/core/ops/slice.cpp): copies the kept range of every axis;
// any dtype, moved as fixed-size words, one contiguous row of the last axis
// at a time.
#include <algorithm>

#include "core/ops/slice.h"
#include "core/op_registry.h"
#include "core/ops/slice.h"
#include "runtime/kernel.h"
#include "runtime/strides.h"

namespace edgeport {
namespace {

template <typename Word>
void copy_ranges(const Tensor& input, Tensor& output, const std::vector<SliceRange>& ranges) {
  if (output.numel() == 0) return;
  const auto* source = reinterpret_cast<const Word*>(input.raw());
  auto* target = reinterpret_cast<Word*>(output.raw());
  if (input.rank() == 0) {
    target[0] = source[0];
    return;
  }
  const Shape input_strides = contiguous_strides(input.shape());
  std::int64_t first = 0;
  for (std::size_t axis = 0; axis < ranges.size(); ++axis) first += ranges[axis].begin * input_strides[axis];
  const Shape& shape = output.shape();
  const Shape outer(shape.begin(), shape.end() - 1);
  const std::vector<Shape> outer_strides{Shape(input_strides.begin(), input_strides.end() - 1)};
  const std::int64_t row = shape.back();
  Shape index(outer.size(), 0);
  std::vector<std::int64_t> offsets{first};
  do {
    target = std::copy(source + offsets[0], source + offsets[0] + row, target);
  } while (advance_index(outer, index, outer_strides, offsets));
}

void run_slice(const KernelContext& context) {
  const Tensor& input = context.input(0);
  Tensor& output = context.output();
  const std::vector<SliceRange> ranges = slice_ranges(context.node, input.shape());
  switch (dtype_size(input.dtype())) {
    case 1: copy_ranges<std::uint8_t>(input, output, ranges); break;
    case 2: copy_ranges<std::uint16_t>(input, output, ranges); break;
    case 4: copy_ranges<std::uint32_t>(input, output, ranges); break;
    case 8: copy_ranges<std::uint64_t>(input, output, ranges); break;
    default: fail_node(context.node, "cannot slice " + std::string(dtype_name(input.dtype())) + " tensors");
  }
}

const KernelRegistration registration(op::Slice, run_slice);

}  // namespace
}  // namespace edgeport
