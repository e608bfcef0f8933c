#include "runtime/weights.h"

#include "core/ops/quantization.h"
#include "core/op_registry.h"

namespace edgeport {

namespace {

const std::optional<QuantParams>& quant_of(const Value& value) {
  return value.quant ? value.quant : value.constant->quant;
}

}  // namespace

bool runs_hybrid(const KernelContext& context) {
  return context.options.hybrid && context.node.attrs.get_int("hybrid", 0) != 0;
}

FloatWeight::FloatWeight(const KernelContext& context) {
  const Tensor& weight = context.input(1);
  if (weight.dtype() == DType::Float32) {
    source_ = &weight;
    return;
  }
  const Value& value = context.input_value(1);
  const std::optional<QuantParams>& quant = value.quant ? value.quant : weight.quant;
  if (!quant) {
    fail_node(context.node, "weight '" + value.name + "' is " + std::string(dtype_name(weight.dtype())) +
                                " without quantization parameters");
  }
  Tensor codes = weight;
  codes.quant = quant;
  dequantized_ = codes.dequantized();
  source_ = &dequantized_;
}

HybridWeight hybrid_weight(const KernelContext& context) {
  const Graph& graph = context.graph;
  const Node& node = context.node;
  int weight_id = node.inputs.at(1);
  const int producer = graph.producer(weight_id);
  if (producer >= 0 && graph.nodes[static_cast<std::size_t>(producer)].op == op::Dequantize) {
    weight_id = graph.nodes[static_cast<std::size_t>(producer)].inputs.at(0);
  }
  const Value& weight = graph.value(weight_id);
  if (!weight.constant || weight.dtype != DType::Int8) {
    fail_node(node, "hybrid=1 needs an int8 constant weight, '" + weight.name + "' is " +
                        (weight.constant ? std::string(dtype_name(weight.dtype)) : std::string("not a constant")));
  }
  const std::optional<QuantParams>& quant = quant_of(weight);
  if (!quant) fail_node(node, "int8 weight '" + weight.name + "' has no quantization parameters");
  if (!quant->symmetric()) {
    fail_node(node, "hybrid=1 needs symmetric weights (all zero points 0), '" + weight.name + "' has others");
  }
  if (quant->per_channel() && quant->axis != 0) {
    fail_node(node, "weight '" + weight.name + "' must be quantized per tensor or per output channel (axis 0), not " +
                        "along axis " + std::to_string(quant->axis));
  }
  if (const std::optional<std::string> problem = quant->mismatch(weight.shape)) {
    fail_node(node, "weight '" + weight.name + "': " + *problem);
  }
  HybridWeight result;
  result.codes = weight.constant->data<std::int8_t>();
  result.channel_scales = quant->per_channel() ? quant->scale
                                               : std::vector<float>(static_cast<std::size_t>(weight.shape.at(0)),
                                                                    quant->scale.front());
  return result;
}

}  // namespace edgeport
