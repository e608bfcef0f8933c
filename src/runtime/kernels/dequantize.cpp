// Dequantize (see src/core/ops/quantization.cpp): real = scale * (code -
// zero_point) with the parameters of the input value, per tensor or per axis.
#include "core/ops/quantization.h"
#include "core/op_registry.h"
#include "runtime/kernel.h"
#include "runtime/quant_layout.h"

namespace edgeport {
namespace {

template <typename Code>
void dequantize(const Tensor& input, const QuantParams& params, const QuantLayout& layout, float* output) {
  const Code* codes = input.data<Code>();
  for (std::int64_t o = 0; o < layout.outer; ++o) {
    for (std::int64_t c = 0; c < layout.channels; ++c) {
      const float scale = params.scale[static_cast<std::size_t>(c)];
      const std::int64_t zero_point = params.zero_point[static_cast<std::size_t>(c)];
      const std::int64_t base = (o * layout.channels + c) * layout.inner;
      for (std::int64_t i = 0; i < layout.inner; ++i) {
        output[base + i] = scale * static_cast<float>(static_cast<std::int64_t>(codes[base + i]) - zero_point);
      }
    }
  }
}

void run_dequantize(const KernelContext& context) {
  const Tensor& input = context.input(0);
  const Value& value = context.input_value(0);
  const std::optional<QuantParams>& quant = value.quant ? value.quant : input.quant;
  if (!quant) fail_node(context.node, "input '" + value.name + "' has no quantization parameters");
  const QuantLayout layout = quant_layout(context.node, value.name, input.shape(), *quant);
  float* output = context.output().data<float>();
  switch (input.dtype()) {
    case DType::Int8: dequantize<std::int8_t>(input, *quant, layout, output); break;
    case DType::UInt8: dequantize<std::uint8_t>(input, *quant, layout, output); break;
    case DType::Int32: dequantize<std::int32_t>(input, *quant, layout, output); break;
    default:
      fail_node(context.node, "cannot dequantize " + std::string(dtype_name(input.dtype())) + " '" + value.name +
                                  "' (int8, uint8 or int32 only)");
  }
}

const KernelRegistration registration(op::Dequantize, run_dequantize);

}  // namespace
}  // namespace edgeport
