// ConvInteger (see src/core/ops/onnx_integer_ops.cpp): exact int32
// accumulation of (x - x_zero_point) * (w - w_zero_point). Padded positions are
// skipped, which is ONNX Runtime's padding with the input zero point.
#include "core/ops/onnx_integer_ops.h"
#include "runtime/conv_geometry.h"
#include "runtime/kernels/integer_operands.h"
#include "runtime/parallel.h"

namespace edgeport {
namespace {

void run_conv_integer(const KernelContext& context) {
  const ConvGeometry g = ConvGeometry::of(context);
  const std::vector<std::int32_t> input = centered_codes(context.input(0), zero_points(context, 2, 1)[0]);
  const std::vector<std::int32_t> w_zero = zero_points(context, 3, g.out_channels);
  std::vector<std::int32_t> weight = centered_codes(context.input(1), 0);
  const std::int64_t per_channel = g.kernel_size();
  for (std::int64_t o = 0; o < g.out_channels; ++o) {
    for (std::int64_t i = 0; i < per_channel; ++i) {
      weight[static_cast<std::size_t>(o * per_channel + i)] -= w_zero[static_cast<std::size_t>(o)];
    }
  }
  const std::int64_t plane = g.out_h * g.out_w;
  std::int32_t* output = context.output().data<std::int32_t>();
  std::fill(output, output + context.output().numel(), 0);
  // Each (image, output channel) plane is independent.
  parallel_for(g.batch * g.out_channels, context.options.threads, [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t index = begin; index < end; ++index) {
      const std::int64_t n = index / g.out_channels;
      const std::int64_t o = index % g.out_channels;
      const std::int64_t first_input = (o / g.out_channels_per_group()) * g.in_channels_per_group();
      for (std::int64_t c = 0; c < g.in_channels_per_group(); ++c) {
        const std::int32_t* source = input.data() + (n * g.in_channels + first_input + c) * g.in_h * g.in_w;
        const std::int32_t* kernel = weight.data() + (o * g.in_channels_per_group() + c) * g.kernel_h * g.kernel_w;
        accumulate_plane(g, source, kernel, output + index * plane);
      }
    }
  });
}

const KernelRegistration registration(op::ConvInteger, run_conv_integer);

}  // namespace
}  // namespace edgeport
