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

}  // namespace edgeport
