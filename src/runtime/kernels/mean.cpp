// Mean (see src/core/ops/mean.cpp): average over the listed axes, summed in
// double so the result does not depend on the summation order.
#include <vector>

#include "core/ops/mean.h"
#include "runtime/kernel.h"
#include "runtime/strides.h"

namespace edgeport {
namespace {

void run_mean(const KernelContext& context) {
  const Tensor& input = context.input(0);
  Tensor& result = context.output();
  const Shape& shape = input.shape();
  const auto rank = static_cast<std::int64_t>(shape.size());
  // keepdims only drops size-1 axes, so the output is laid out as the input
  // with reduced axes of extent 1; walking the input, a reduced axis does not
  // move the output offset.
  Shape reduced_shape = shape;
  std::vector<bool> reduced(shape.size(), false);
  for (std::int64_t axis : context.node.attrs.get_ints("axes")) {
    const auto normalized = static_cast<std::size_t>(axis < 0 ? axis + rank : axis);
    reduced[normalized] = true;
    reduced_shape[normalized] = 1;
  }
  Shape output_strides = contiguous_strides(reduced_shape);
  for (std::size_t axis = 0; axis < shape.size(); ++axis) {
    if (reduced[axis]) output_strides[axis] = 0;
  }
  std::vector<double> sums(static_cast<std::size_t>(result.numel()), 0.0);
  if (input.numel() > 0) {
    const float* x = input.data<float>();
    Shape index(shape.size(), 0);
    std::vector<std::int64_t> offsets{0};
    std::int64_t i = 0;
    do {
      sums[static_cast<std::size_t>(offsets[0])] += x[i++];
    } while (advance_index(shape, index, {output_strides}, offsets));
  }
  const double count = result.numel() == 0 ? 1.0 : static_cast<double>(input.numel()) / static_cast<double>(result.numel());
  float* out = result.data<float>();
  for (std::size_t k = 0; k < sums.size(); ++k) out[k] = static_cast<float>(sums[k] / count);
}

const KernelRegistration registration(op::Mean, run_mean);

}  // namespace
}  // namespace edgeport
