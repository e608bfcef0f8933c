// GlobalAveragePool (see src/core/ops/mean.cpp): the mean of each H x W
// plane, summed in double; NCHW or NHWC.
#include <algorithm>
#include <vector>

#include "core/ops/mean.h"
#include "core/ops/shape_rules.h"
#include "runtime/kernel.h"

namespace edgeport {
namespace {

// Channels-last: each channel's sum over the pixels in the same order as the
// NCHW kernel's, so the same bits.
void global_average_pool_channels_last(const Tensor& input, float* y) {
  const std::int64_t plane_size = input.dim(1) * input.dim(2);
  const std::int64_t channels = input.dim(3);
  std::vector<double> sums(static_cast<std::size_t>(channels));
  for (std::int64_t n = 0; n < input.dim(0); ++n) {
    const float* x = input.data<float>() + n * plane_size * channels;
    std::fill(sums.begin(), sums.end(), 0.0);
    for (std::int64_t p = 0; p < plane_size; ++p) {
      for (std::int64_t c = 0; c < channels; ++c) sums[static_cast<std::size_t>(c)] += x[p * channels + c];
    }
    for (std::int64_t c = 0; c < channels; ++c) {
      y[n * channels + c] = static_cast<float>(sums[static_cast<std::size_t>(c)] / static_cast<double>(plane_size));
    }
  }
}

void run_global_average_pool(const KernelContext& context) {
  const Tensor& input = context.input(0);
  if (channels_last(context.node)) {
    global_average_pool_channels_last(input, context.output().data<float>());
    return;
  }
  const std::int64_t planes = input.dim(0) * input.dim(1);
  const std::int64_t plane_size = input.dim(2) * input.dim(3);
  const float* x = input.data<float>();
  float* y = context.output().data<float>();
  for (std::int64_t plane = 0; plane < planes; ++plane) {
    double sum = 0.0;
    for (std::int64_t i = 0; i < plane_size; ++i) sum += x[plane * plane_size + i];
    y[plane] = static_cast<float>(sum / static_cast<double>(plane_size));
  }
}

const KernelRegistration registration(op::GlobalAveragePool, run_global_average_pool);

}  // namespace
}  // namespace edgeport
