// IntegerMean (see src/core/ops/integer.cpp) with TFLite's reference int8
// MEAN over height and width (reference_integer_ops Mean, what TFLite Micro
// runs for a 4-d MEAN over axes 1 and 2 that keeps its dims): per channel
// the sum of the centred codes, scaled by input scale over output scale as a
// fixed-point multiply, then divided by the element count rounding half away
// from zero, plus the output zero point, clamped to int8.
#include <algorithm>

#include "core/ops/integer.h"
#include "runtime/fixed_point.h"
#include "runtime/integer_params.h"

namespace edgeport {
namespace {

void run_integer_mean(const KernelContext& context) {
  const TensorQuant in = per_tensor_quant(context, input_quant(context, 0), context.input_value(0).name);
  const TensorQuant out = per_tensor_quant(context, output_quant(context), context.output_value().name);
  const QuantizedMultiplier multiplier =
      quantize_multiplier(static_cast<double>(in.scale) / static_cast<double>(out.scale));
  const Shape& shape = context.input(0).shape();
  const std::int64_t planes = shape[0] * shape[1];
  const auto count = static_cast<std::int32_t>(shape[2] * shape[3]);
  const auto x = context.input(0).values<std::int8_t>();
  std::int8_t* result = context.output().data<std::int8_t>();
  for (std::int64_t plane = 0; plane < planes; ++plane) {
    std::int32_t sum = 0;
    for (std::int32_t i = 0; i < count; ++i) sum += x[static_cast<std::size_t>(plane * count + i)] - in.zero_point;
    const std::int32_t scaled = requantize(context, sum, multiplier);
    const std::int32_t mean = scaled > 0 ? (scaled + count / 2) / count : (scaled - count / 2) / count;
    result[plane] = static_cast<std::int8_t>(std::clamp(mean + out.zero_point, -128, 127));
  }
}

const KernelRegistration registration(op::IntegerMean, run_integer_mean);

}  // namespace
}  // namespace edgeport
