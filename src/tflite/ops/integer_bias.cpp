#include "tflite/ops/integer_bias.h"

#include "tflite/lowering_context.h"

namespace edgeport {

// The int32 bias of an int8 convolution or fully-connected layer: the IR's codes, or zeros at scale
// input scale x weight scale per channel, as the TFLite quantization
// specification requires even when the model has no bias.
Tensor integer_bias(const Graph& graph, const Node& node, const Tensor& filter) {
  if (node.inputs.size() > 2 && node.inputs[2] != kNoValue) return graph.constant(node.inputs[2]);
  const Value& input = graph.value(node.inputs[0]);
  if (!input.quant || !filter.quant) fail_lowering(node, "int8 input or filter without quantization parameters");
  const std::int64_t channels = filter.dim(0);
  QuantParams quant{{}, std::vector<std::int32_t>(static_cast<std::size_t>(channels), 0), 0};
  for (std::int64_t o = 0; o < channels; ++o) {
    const std::size_t index = filter.quant->scale.size() == 1 ? 0 : static_cast<std::size_t>(o);
    quant.scale.push_back(input.quant->scale.at(0) * filter.quant->scale.at(index));
  }
  Tensor bias(DType::Int32, {channels});
  bias.quant = std::move(quant);
  return bias;
}

}  // namespace edgeport
