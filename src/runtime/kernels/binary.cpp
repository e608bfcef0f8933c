// Add, Sub, Mul (see src/core/ops/binary.cpp): NumPy broadcasting, then the
// fused activation.
#include <functional>

#include "core/ops/binary.h"
#include "runtime/activation.h"
#include "runtime/kernel.h"
#include "runtime/strides.h"

namespace edgeport {
namespace {

// Strides that walk `operand` while iterating the broadcast output of `rank`
// axes: size-1 (and missing leading) axes stay put.
Shape broadcast_strides(const Shape& operand, std::size_t rank) {
  Shape strides(rank, 0);
  const Shape own = contiguous_strides(operand);
  const std::size_t lead = rank - operand.size();
  for (std::size_t i = 0; i < operand.size(); ++i) strides[lead + i] = operand[i] == 1 ? 0 : own[i];
  return strides;
}

template <typename Operation>
void run_broadcast(const KernelContext& context, Operation operation) {
  const Tensor& a = context.input(0);
  const Tensor& b = context.input(1);
  Tensor& result = context.output();
  const ActivationRange activation = fused_activation(context.node);
  if (result.numel() == 0) return;
  Shape shape = result.shape();
  if (shape.empty()) shape = {1};
  const Shape a_strides = broadcast_strides(a.shape(), shape.size());
  const Shape b_strides = broadcast_strides(b.shape(), shape.size());
  // The last axis is the inner loop; the others are stepped by advance_index.
  const std::int64_t inner = shape.back();
  const std::int64_t a_step = a_strides.back();
  const std::int64_t b_step = b_strides.back();
  const Shape outer(shape.begin(), shape.end() - 1);
  const std::vector<Shape> outer_strides{Shape(a_strides.begin(), a_strides.end() - 1),
                                         Shape(b_strides.begin(), b_strides.end() - 1)};
  Shape index(outer.size(), 0);
  std::vector<std::int64_t> offsets{0, 0};
  const float* x = a.data<float>();
  const float* y = b.data<float>();
  float* out = result.data<float>();
  do {
    const float* x_row = x + offsets[0];
    const float* y_row = y + offsets[1];
    for (std::int64_t i = 0; i < inner; ++i) out[i] = activation.apply(operation(x_row[i * a_step], y_row[i * b_step]));
    out += inner;
  } while (advance_index(outer, index, outer_strides, offsets));
}

// Operands of the output's own shape (a residual connection): one flat loop
// over contiguous elements that vectorizes, the same single rounding per
// element as run_broadcast.
template <typename Operation>
Kernel prepare_same_shape(const Graph& graph, const Node& node, const RunOptions&) {
  const Value& output = graph.value(node.outputs.at(0));
  for (int input : node.inputs) {
    const Value& operand = graph.value(input);
    if (operand.dtype != DType::Float32 || operand.shape != output.shape) return {};
  }
  return [count = shape_numel(output.shape), activation = fused_activation(node)](const KernelContext& context) {
    const float* x = context.input(0).data<float>();
    const float* y = context.input(1).data<float>();
    float* out = context.output().data<float>();
    const Operation operation;
    for (std::int64_t i = 0; i < count; ++i) out[i] = activation.apply(operation(x[i], y[i]));
  };
}

template <typename Operation>
void run_binary(const KernelContext& context) {
  run_broadcast(context, Operation());
}

const KernelRegistration add(op::Add, run_binary<std::plus<float>>, prepare_same_shape<std::plus<float>>);
const KernelRegistration sub(op::Sub, run_binary<std::minus<float>>, prepare_same_shape<std::minus<float>>);
const KernelRegistration mul(op::Mul, run_binary<std::multiplies<float>>, prepare_same_shape<std::multiplies<float>>);

}  // namespace
}  // namespace edgeport
