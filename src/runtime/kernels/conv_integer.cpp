// ConvInteger (see src/core/ops/onnx_integer_ops.cpp): exact int32
// accumulation of (x - x_zero_point) * (w - w_zero_point). Padded positions are
// skipped, which is ONNX Runtime's padding with the input zero point.
#include "core/ops/shape_rules.h"
#include "runtime/kernels/integer_operands.h"

namespace edgeport {
namespace {

void run_conv_integer(const KernelContext& context) {
  const Tensor& x = context.input(0);
  const Tensor& w = context.input(1);
  Tensor& y = context.output();
  const Window2d window = read_window(context.node, {w.dim(2), w.dim(3)});
  const std::int64_t batch = x.dim(0), in_channels = x.dim(1), in_h = x.dim(2), in_w = x.dim(3);
  const std::int64_t out_channels = y.dim(1), out_h = y.dim(2), out_w = y.dim(3);
  const std::int64_t kernel_h = w.dim(2), kernel_w = w.dim(3);
  const std::int64_t group = context.node.attrs.get_int("group", 1);
  const std::int64_t group_in = in_channels / group;
  const std::int64_t group_out = out_channels / group;

  const std::vector<std::int32_t> input = centered_codes(x, zero_points(context, 2, 1)[0]);
  const std::vector<std::int32_t> w_zero = zero_points(context, 3, out_channels);
  std::vector<std::int32_t> weight = centered_codes(w, 0);
  const std::int64_t weight_per_channel = group_in * kernel_h * kernel_w;
  for (std::int64_t o = 0; o < out_channels; ++o) {
    for (std::int64_t i = 0; i < weight_per_channel; ++i) {
      weight[static_cast<std::size_t>(o * weight_per_channel + i)] -= w_zero[static_cast<std::size_t>(o)];
    }
  }

  std::int32_t* output = y.data<std::int32_t>();
  std::fill(output, output + y.numel(), 0);
  for (std::int64_t n = 0; n < batch; ++n) {
    for (std::int64_t o = 0; o < out_channels; ++o) {
      std::int32_t* plane = output + (n * out_channels + o) * out_h * out_w;
      const std::int64_t first_input = (o / group_out) * group_in;
      for (std::int64_t c = 0; c < group_in; ++c) {
        const std::int32_t* source = input.data() + ((n * in_channels + first_input + c) * in_h) * in_w;
        const std::int32_t* kernel = weight.data() + (o * group_in + c) * kernel_h * kernel_w;
        for (std::int64_t ky = 0; ky < kernel_h; ++ky) {
          for (std::int64_t kx = 0; kx < kernel_w; ++kx) {
            const std::int32_t tap = kernel[ky * kernel_w + kx];
            if (tap == 0) continue;
            for (std::int64_t oy = 0; oy < out_h; ++oy) {
              const std::int64_t iy = oy * window.strides[0] + ky * window.dilations[0] - window.pads[0];
              if (iy < 0 || iy >= in_h) continue;
              const std::int32_t* row = source + iy * in_w;
              std::int32_t* out_row = plane + oy * out_w;
              for (std::int64_t ox = 0; ox < out_w; ++ox) {
                const std::int64_t ix = ox * window.strides[1] + kx * window.dilations[1] - window.pads[1];
                if (ix >= 0 && ix < in_w) out_row[ox] += tap * row[ix];
              }
            }
          }
        }
      }
    }
  }
}

const KernelRegistration registration("ConvInteger", run_conv_integer);

}  // namespace
}  // namespace edgeport
