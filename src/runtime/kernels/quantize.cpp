// Quantize (see src/core/ops/quantization.cpp): code = clamp(round_half_even(
// x / scale) + zero_point) to the output dtype's range, with the parameters
// of the output value, per tensor or per axis. An int8 or uint8 input is a
// requantization, as TFLite's QUANTIZE of an integer tensor: its real values
// (per-tensor parameters of the input value) are quantized again. The
// interfaces edgeport writes keep the scale and move the zero point, which
// is exact here and in TFLite alike.
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "core/ops/quantization.h"
#include "core/op_registry.h"
#include "runtime/kernel.h"
#include "runtime/quant_layout.h"

namespace edgeport {
namespace {

template <typename Code>
void quantize(const float* input, const QuantParams& params, const QuantLayout& layout, Code* output) {
  constexpr auto kLowest = static_cast<double>(std::numeric_limits<Code>::lowest());
  constexpr auto kHighest = static_cast<double>(std::numeric_limits<Code>::max());
  for (std::int64_t o = 0; o < layout.outer; ++o) {
    for (std::int64_t c = 0; c < layout.channels; ++c) {
      const float scale = params.scale[static_cast<std::size_t>(c)];
      const auto zero_point = static_cast<double>(params.zero_point[static_cast<std::size_t>(c)]);
      const std::int64_t base = (o * layout.channels + c) * layout.inner;
      for (std::int64_t i = 0; i < layout.inner; ++i) {
        // nearbyint rounds half to even in the default rounding mode; the sum is
        // clamped in double so no out-of-range value (or NaN) is converted.
        const double code = static_cast<double>(std::nearbyint(input[base + i] / scale)) + zero_point;
        output[base + i] = static_cast<Code>(std::isnan(code) ? zero_point : std::clamp(code, kLowest, kHighest));
      }
    }
  }
}

template <typename Code>
std::vector<float> real_values(const Tensor& input, float scale, std::int32_t zero_point) {
  std::vector<float> real(static_cast<std::size_t>(input.numel()));
  const Code* codes = input.data<Code>();
  for (std::size_t i = 0; i < real.size(); ++i) {
    real[i] = scale * static_cast<float>(static_cast<std::int32_t>(codes[i]) - zero_point);
  }
  return real;
}

std::vector<float> real_values(const KernelContext& context) {
  const Tensor& input = context.input(0);
  const Value& value = context.input_value(0);
  const std::optional<QuantParams>& quant = value.quant ? value.quant : input.quant;
  if (!quant || quant->scale.size() != 1 || quant->zero_point.size() != 1) {
    fail_node(context.node, "requantized input '" + value.name + "' needs per-tensor quantization parameters");
  }
  switch (input.dtype()) {
    case DType::Int8: return real_values<std::int8_t>(input, quant->scale[0], quant->zero_point[0]);
    case DType::UInt8: return real_values<std::uint8_t>(input, quant->scale[0], quant->zero_point[0]);
    default:
      fail_node(context.node, "cannot quantize " + std::string(dtype_name(input.dtype())) + " '" + value.name +
                                  "' (float32, int8 or uint8 only)");
  }
}

void run_quantize(const KernelContext& context) {
  const Tensor& input = context.input(0);
  Tensor& output = context.output();
  const Value& value = context.output_value();
  const std::optional<QuantParams>& quant = value.quant ? value.quant : output.quant;
  if (!quant) fail_node(context.node, "output '" + value.name + "' has no quantization parameters");
  const QuantLayout layout = quant_layout(context.node, value.name, input.shape(), *quant);
  const std::vector<float> requantized = input.dtype() == DType::Float32 ? std::vector<float>{} : real_values(context);
  const float* x = input.dtype() == DType::Float32 ? input.data<float>() : requantized.data();
  switch (output.dtype()) {
    case DType::Int8: quantize(x, *quant, layout, output.data<std::int8_t>()); break;
    case DType::UInt8: quantize(x, *quant, layout, output.data<std::uint8_t>()); break;
    default: fail_node(context.node, "cannot quantize to " + std::string(dtype_name(output.dtype())));
  }
}

const KernelRegistration registration(op::Quantize, run_quantize);

}  // namespace
}  // namespace edgeport
