// Pad (see src/core/ops/pad.cpp): constant padding with attrs pads
// [begins..., ends...] and value (default 0).
#include <algorithm>
#include <cmath>
#include <limits>

#include "core/ops/pad.h"
#include "core/op_registry.h"
#include "runtime/kernel.h"
#include "runtime/strides.h"

namespace edgeport {
namespace {

template <typename T>
void pad_with(const KernelContext& context, T fill) {
  const Tensor& input = context.input(0);
  Tensor& output = context.output();
  const std::vector<std::int64_t> pads = context.node.attrs.get_ints("pads");
  T* out = output.data<T>();
  std::fill(out, out + output.numel(), fill);
  if (input.numel() == 0) return;
  const T* in = input.data<T>();
  if (input.rank() == 0) {
    out[0] = in[0];
    return;
  }
  // Rows along the last axis stay contiguous; the rest is stepped by index.
  const Shape& shape = input.shape();
  const Shape input_strides = contiguous_strides(shape);
  const Shape output_strides = contiguous_strides(output.shape());
  std::int64_t first = 0;
  for (std::size_t axis = 0; axis < shape.size(); ++axis) first += pads[axis] * output_strides[axis];
  const Shape outer(shape.begin(), shape.end() - 1);
  const std::vector<Shape> outer_strides{Shape(input_strides.begin(), input_strides.end() - 1),
                                         Shape(output_strides.begin(), output_strides.end() - 1)};
  const std::int64_t row = shape.back();
  Shape index(outer.size(), 0);
  std::vector<std::int64_t> offsets{0, first};
  do {
    std::copy(in + offsets[0], in + offsets[0] + row, out + offsets[1]);
  } while (advance_index(outer, index, outer_strides, offsets));
}

template <typename T>
void pad_integer(const KernelContext& context, double value) {
  // max() + 1 is a power of two, exact in double (int64's max() already rounds
  // up to it), so values just past the range are rejected, not wrapped.
  const auto lowest = static_cast<double>(std::numeric_limits<T>::lowest());
  const double past_max = static_cast<double>(std::numeric_limits<T>::max()) + 1.0;
  if (value != std::trunc(value) || value < lowest || value >= past_max) {
    fail_node(context.node, "pad value " + std::to_string(value) + " does not fit " +
                                std::string(dtype_name(context.input(0).dtype())));
  }
  pad_with<T>(context, static_cast<T>(value));
}

void run_pad(const KernelContext& context) {
  const double value = context.node.attrs.get_float("value", 0.0);
  switch (context.input(0).dtype()) {
    case DType::Float32: pad_with<float>(context, static_cast<float>(value)); break;
    case DType::Int8: pad_integer<std::int8_t>(context, value); break;
    case DType::UInt8: pad_integer<std::uint8_t>(context, value); break;
    case DType::Int32: pad_integer<std::int32_t>(context, value); break;
    case DType::Int64: pad_integer<std::int64_t>(context, value); break;
    default:
      fail_node(context.node, "cannot pad " + std::string(dtype_name(context.input(0).dtype())) + " tensors");
  }
}

const KernelRegistration registration(op::Pad, run_pad);

}  // namespace
}  // namespace edgeport
