// IntegerConv (see src/core/ops/integer.cpp) with TFLite's reference integer
// arithmetic (reference_integer_ops ConvPerChannel / DepthwiseConvPerChannel,
// what TFLite Micro runs): per output, the int32 sum of weight x (input -
// input zero point) over the taps inside the image (taps in the padding read
// the zero point, so add nothing), plus the int32 bias, times the channel's
// fixed-point multiplier input scale x weight scale / output scale, plus the
// output zero point, clamped to the fused activation's codes.
#include <vector>

#include "core/op_registry.h"
#include "core/ops/integer.h"
#include "runtime/conv_geometry.h"
#include "runtime/fixed_point.h"
#include "runtime/integer_conv_sums.h"
#include "runtime/integer_params.h"

namespace edgeport {
namespace {

void run_integer_conv(const KernelContext& context) {
  const ConvGeometry g = ConvGeometry::of(context);
  const TensorQuant input = per_tensor_quant(context, input_quant(context, 0), context.input_value(0).name);
  const TensorQuant output = per_tensor_quant(context, output_quant(context), context.output_value().name);
  const std::vector<QuantizedMultiplier> multipliers =
      weight_multipliers(context, input.scale, output.scale, g.out_channels);
  const CodeClamp clamp = int8_activation_clamp(fused_activation(context.node), output.scale, output.zero_point);

  const auto codes = context.input(0).values<std::int8_t>();
  std::vector<std::int16_t> centred(codes.size());
  for (std::size_t i = 0; i < codes.size(); ++i) centred[i] = static_cast<std::int16_t>(codes[i] - input.zero_point);
  const std::int8_t* weights = context.input(1).data<std::int8_t>();
  const std::int32_t* bias = context.has_input(2) ? context.input(2).data<std::int32_t>() : nullptr;
  std::int8_t* out = context.output().data<std::int8_t>();

  const std::int64_t image_size = g.in_channels * g.in_h * g.in_w;
  const std::int64_t out_plane = g.out_h * g.out_w;
  std::vector<std::int32_t> sums(static_cast<std::size_t>(g.out_channels * out_plane));
  for (std::int64_t n = 0; n < g.batch; ++n) {
    integer_conv_sums(g, centred.data() + n * image_size, weights, sums.data(), context.options.threads);
    for (std::int64_t o = 0; o < g.out_channels; ++o) {
      const std::int32_t* channel_sums = sums.data() + o * out_plane;
      std::int8_t* plane = out + (n * g.out_channels + o) * out_plane;
      const QuantizedMultiplier& multiplier = multipliers[static_cast<std::size_t>(o)];
      for (std::int64_t i = 0; i < out_plane; ++i) {
        const std::int32_t sum = channel_sums[i] + (bias ? bias[o] : 0);
        const std::int32_t code = requantize(context, sum, multiplier) + output.zero_point;
        plane[i] = static_cast<std::int8_t>(std::clamp(code, clamp.low, clamp.high));
      }
    }
  }
}

const KernelRegistration registration(op::IntegerConv, run_integer_conv);

}  // namespace
}  // namespace edgeport
