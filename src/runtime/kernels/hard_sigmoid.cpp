// HardSigmoid (see src/core/ops/hard_sigmoid.cpp), in float32 as ONNX Runtime
// computes it: alpha * x + beta rounded, then clamped to [0, 1].
#include <algorithm>

#include "core/ops/hard_sigmoid.h"
#include "runtime/kernel.h"

namespace edgeport {
namespace {

void run_hard_sigmoid(const KernelContext& context) {
  const auto alpha = static_cast<float>(context.node.attrs.get_float("alpha", hard_sigmoid::kDefaultAlpha));
  const auto beta = static_cast<float>(context.node.attrs.get_float("beta", hard_sigmoid::kDefaultBeta));
  const Tensor& input = context.input(0);
  const float* x = input.data<float>();
  float* y = context.output().data<float>();
  // The sum goes first in std::max/min so that NaN passes through.
  for (std::int64_t i = 0, count = input.numel(); i < count; ++i) {
    y[i] = std::min(std::max(alpha * x[i] + beta, 0.0f), 1.0f);
  }
}

const KernelRegistration registration(op::HardSigmoid, run_hard_sigmoid);

}  // namespace
}  // namespace edgeport
