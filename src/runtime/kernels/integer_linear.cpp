// IntegerLinear (see src/core/ops/integer.cpp) with TFLite's reference int8
// FULLY_CONNECTED arithmetic (reference_integer_ops FullyConnected, its
// per-channel form included): per output feature, the int32 sum of weight x
// (input - input zero point) plus the int32 bias, times the feature's
// fixed-point multiplier, plus the output zero point, clamped to the fused
// activation's codes.
#include <algorithm>

#include "core/ops/integer.h"
#include "runtime/integer_params.h"

namespace edgeport {
namespace {

void run_integer_linear(const KernelContext& context) {
  const Shape& weight_shape = context.input_value(1).shape;
  const std::int64_t features = weight_shape[0];
  const std::int64_t depth = weight_shape[1];
  const TensorQuant input = per_tensor_quant(context, input_quant(context, 0), context.input_value(0).name);
  const TensorQuant output = per_tensor_quant(context, output_quant(context), context.output_value().name);
  const std::vector<QuantizedMultiplier> multipliers = weight_multipliers(context, input.scale, output.scale, features);
  const CodeClamp clamp = int8_activation_clamp(fused_activation(context.node), output.scale, output.zero_point);
  const std::int8_t* x = context.input(0).data<std::int8_t>();
  const std::int8_t* w = context.input(1).data<std::int8_t>();
  const std::int32_t* bias = context.has_input(2) ? context.input(2).data<std::int32_t>() : nullptr;
  std::int8_t* y = context.output().data<std::int8_t>();
  const std::int64_t rows = context.input(0).numel() / depth;
  for (std::int64_t r = 0; r < rows; ++r) {
    for (std::int64_t o = 0; o < features; ++o) {
      std::int32_t sum = bias ? bias[o] : 0;
      for (std::int64_t i = 0; i < depth; ++i) sum += w[o * depth + i] * (x[r * depth + i] - input.zero_point);
      const std::int32_t code =
          requantize(context, sum, multipliers[static_cast<std::size_t>(o)]) + output.zero_point;
      y[r * features + o] = static_cast<std::int8_t>(std::clamp(code, clamp.low, clamp.high));
    }
  }
}

const KernelRegistration registration(op::IntegerLinear, run_integer_linear);

}  // namespace
}  // namespace edgeport
