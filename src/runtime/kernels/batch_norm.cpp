// BatchNorm (see src/core/ops/batch_norm.cpp), inference mode:
// y = x * a + b with a = gamma / sqrt(var + eps), b = beta - mean * a, the
// per-channel affine form PyTorch's CPU kernel uses.
#include "core/batch_norm_affine.h"
#include "core/ops/batch_norm.h"
#include "runtime/kernel.h"

namespace edgeport {
namespace {

void run_batch_norm(const KernelContext& context) {
  const Tensor& input = context.input(0);
  const ChannelAffine<float> affine =
      batch_norm_affine<float>(context.input(1), context.input(2), context.input(3), context.input(4),
                               context.node.attrs.get_float("epsilon", 1e-5));
  const std::int64_t batch = input.dim(0);
  const std::int64_t channels = input.dim(1);
  const std::int64_t inner = batch * channels == 0 ? 0 : input.numel() / (batch * channels);
  const float* x = input.data<float>();
  float* y = context.output().data<float>();
  for (std::int64_t c = 0; c < channels; ++c) {
    const float scale = affine.scale[static_cast<std::size_t>(c)];
    const float shift = affine.shift[static_cast<std::size_t>(c)];
    for (std::int64_t n = 0; n < batch; ++n) {
      const std::int64_t base = (n * channels + c) * inner;
      for (std::int64_t i = 0; i < inner; ++i) y[base + i] = x[base + i] * scale + shift;
    }
  }
}

const KernelRegistration registration(op::BatchNorm, run_batch_norm);

}  // namespace
}  // namespace edgeport
