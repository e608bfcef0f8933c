// Elu (see src/core/ops/elu.cpp). expm1 keeps the small negative inputs
// accurate, where exp(x) - 1 cancels.
#include <cmath>

#include "core/ops/elu.h"
#include "runtime/kernel.h"

namespace edgeport {
namespace {

void run_elu(const KernelContext& context) {
  const auto alpha = static_cast<float>(context.node.attrs.get_float("alpha", 1.0));
  const Tensor& input = context.input(0);
  const float* x = input.data<float>();
  float* y = context.output().data<float>();
  for (std::int64_t i = 0, count = input.numel(); i < count; ++i) {
    y[i] = x[i] > 0.0f ? x[i] : alpha * std::expm1(x[i]);
  }
}

const KernelRegistration registration(op::Elu, run_elu);

}  // namespace
}  // namespace edgeport
