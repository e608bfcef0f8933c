// Quantize (see src/core/ops/quantization.cpp): code = clamp(round_half_even(
// x / scale) + zero_point) to the output dtype's range, with the parameters
// of the output value, per tensor or per axis.
#include <algorithm>
#include <cmath>
#include <limits>

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

void run_quantize(const KernelContext& context) {
  const Tensor& input = context.input(0);
  Tensor& output = context.output();
  const Value& value = context.output_value();
  const std::optional<QuantParams>& quant = value.quant ? value.quant : output.quant;
  if (!quant) fail_node(context.node, "output '" + value.name + "' has no quantization parameters");
  const QuantLayout layout = quant_layout(context.node, value.name, input.shape(), *quant);
  const float* x = input.data<float>();
  switch (output.dtype()) {
    case DType::Int8: quantize(x, *quant, layout, output.data<std::int8_t>()); break;
    case DType::UInt8: quantize(x, *quant, layout, output.data<std::uint8_t>()); break;
    default: fail_node(context.node, "cannot quantize to " + std::string(dtype_name(output.dtype())));
  }
}

const KernelRegistration registration(op::Quantize, run_quantize);

}  // namespace
}  // namespace edgeport
