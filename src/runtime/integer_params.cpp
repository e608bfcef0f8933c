#include "runtime/integer_params.h"

#include "core/op_registry.h"

namespace edgeport {

const QuantParams& input_quant(const KernelContext& context, std::size_t index) {
  const Value& value = context.input_value(index);
  if (value.quant) return *value.quant;
  if (context.input(index).quant) return *context.input(index).quant;
  fail_node(context.node, "input '" + value.name + "' has no quantization parameters");
}

const QuantParams& output_quant(const KernelContext& context) {
  const Value& value = context.output_value();
  if (value.quant) return *value.quant;
  if (context.output().quant) return *context.output().quant;
  fail_node(context.node, "output '" + value.name + "' has no quantization parameters");
}

TensorQuant per_tensor_quant(const KernelContext& context, const QuantParams& params, const std::string& value) {
  if (params.per_channel() || params.scale.size() != 1 || params.zero_point.size() != 1) {
    fail_node(context.node, "'" + value + "' must be quantized per tensor");
  }
  return {params.scale[0], params.zero_point[0]};
}

std::vector<QuantizedMultiplier> weight_multipliers(const KernelContext& context, float input_scale,
                                                   float output_scale, std::int64_t channels) {
  const QuantParams& weight = input_quant(context, 1);
  const std::string& name = context.input_value(1).name;
  if (weight.scale.size() != 1 && weight.scale.size() != static_cast<std::size_t>(channels)) {
    fail_node(context.node, "weight '" + name + "' has " + std::to_string(weight.scale.size()) + " scales for " +
                                std::to_string(channels) + " output channels");
  }
  for (std::int32_t zero_point : weight.zero_point) {
    if (zero_point != 0) fail_node(context.node, "weight '" + name + "' is not symmetric (zero point " +
                                                     std::to_string(zero_point) + ")");
  }
  std::vector<QuantizedMultiplier> multipliers;
  for (std::int64_t o = 0; o < channels; ++o) {
    const double weight_scale = weight.scale[weight.scale.size() == 1 ? 0 : static_cast<std::size_t>(o)];
    multipliers.push_back(quantize_multiplier(static_cast<double>(input_scale) * weight_scale /
                                              static_cast<double>(output_scale)));
  }
  return multipliers;
}

std::int32_t requantize(const KernelContext& context, std::int32_t x, const QuantizedMultiplier& multiplier) {
  return context.options.integer == IntegerArithmetic::TfliteSingleRounding
             ? multiply_by_quantized_multiplier_single_rounding(x, multiplier)
             : multiply_by_quantized_multiplier(x, multiplier);
}

}  // namespace edgeport
