// IntegerAdd (see src/core/ops/integer.cpp) with TFLite's reference int8 ADD
// arithmetic (reference_integer_ops Add, TFLite Micro's): each operand's
// centred code is shifted left by 20 bits and scaled by its scale over twice
// the larger input scale, the sum is scaled by that over 2^20 x the output
// scale, every scaling a fixed-point multiply with a rounding shift; then the
// output zero point and the fused activation's clamp.
#include <algorithm>

#include "core/ops/integer.h"
#include "runtime/fixed_point.h"
#include "runtime/integer_params.h"

namespace edgeport {
namespace {

constexpr int kLeftShift = 20;

void run_integer_add(const KernelContext& context) {
  const TensorQuant a = per_tensor_quant(context, input_quant(context, 0), context.input_value(0).name);
  const TensorQuant b = per_tensor_quant(context, input_quant(context, 1), context.input_value(1).name);
  const TensorQuant out = per_tensor_quant(context, output_quant(context), context.output_value().name);
  const double twice_max_scale = 2.0 * static_cast<double>(std::max(a.scale, b.scale));
  const QuantizedMultiplier a_multiplier = quantize_multiplier(static_cast<double>(a.scale) / twice_max_scale);
  const QuantizedMultiplier b_multiplier = quantize_multiplier(static_cast<double>(b.scale) / twice_max_scale);
  const QuantizedMultiplier out_multiplier =
      quantize_multiplier(twice_max_scale / (static_cast<double>(1 << kLeftShift) * static_cast<double>(out.scale)));
  const CodeClamp clamp = int8_activation_clamp(fused_activation(context.node), out.scale, out.zero_point);
  const auto x = context.input(0).values<std::int8_t>();
  const auto y = context.input(1).values<std::int8_t>();
  std::int8_t* result = context.output().data<std::int8_t>();
  for (std::size_t i = 0; i < x.size(); ++i) {
    const std::int32_t scaled_a = requantize(context, (x[i] - a.zero_point) * (1 << kLeftShift), a_multiplier);
    const std::int32_t scaled_b = requantize(context, (y[i] - b.zero_point) * (1 << kLeftShift), b_multiplier);
    const std::int32_t code = requantize(context, scaled_a + scaled_b, out_multiplier) + out.zero_point;
    result[i] = static_cast<std::int8_t>(std::clamp(code, clamp.low, clamp.high));
  }
}

const KernelRegistration registration(op::IntegerAdd, run_integer_add);

}  // namespace
}  // namespace edgeport
