// Relu, Relu6, Sigmoid, HardSwish (see src/core/ops/unary.cpp), element-wise
// with PyTorch's formulas.
#include <algorithm>
#include <cmath>

#include "core/ops/unary.h"
#include "runtime/kernel.h"

namespace edgeport {
namespace {

template <typename Function>
void run_elementwise(const KernelContext& context, Function function) {
  const Tensor& input = context.input(0);
  const float* x = input.data<float>();
  float* y = context.output().data<float>();
  const std::int64_t count = input.numel();
  for (std::int64_t i = 0; i < count; ++i) y[i] = function(x[i]);
}

// x goes first in std::max/min so that NaN passes through, as in PyTorch.
float relu(float x) { return std::max(x, 0.0f); }
float relu6(float x) { return std::min(std::max(x, 0.0f), 6.0f); }
float sigmoid(float x) { return 1.0f / (1.0f + std::exp(-x)); }
float hard_swish(float x) { return x * std::min(std::max(x + 3.0f, 0.0f), 6.0f) / 6.0f; }

const KernelRegistration relu_kernel(op::Relu, [](const KernelContext& context) { run_elementwise(context, relu); });
const KernelRegistration relu6_kernel(op::Relu6, [](const KernelContext& context) { run_elementwise(context, relu6); });
const KernelRegistration sigmoid_kernel(op::Sigmoid,
                                        [](const KernelContext& context) { run_elementwise(context, sigmoid); });
const KernelRegistration hard_swish_kernel(op::HardSwish,
                                           [](const KernelContext& context) { run_elementwise(context, hard_swish); });

}  // namespace
}  // namespace edgeport
