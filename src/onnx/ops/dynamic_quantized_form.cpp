#include "onnx/ops/dynamic_quantized_form.h"

#include <algorithm>

#include "onnx/onnx_emitter.h"

namespace edgeport {
namespace {

std::string channel_bias(OnnxEmitter& emitter, const Node& node, const Shape& shape) {
  const int bias = node.inputs.at(2);
  const Value& value = emitter.graph().value(bias);
  if (shape.size() == 1) return emitter.tensor(bias);
  if (value.constant && value.dtype == DType::Float32) {
    return emitter.initializer(emitter.output_name(bias) + "_channels", value.constant->reshaped(shape));
  }
  const std::string output = emitter.fresh(emitter.output_name(bias) + "_channels");
  emitter.add_node("Reshape", emitter.fresh(node.name + "_bias_reshape"),
                   {emitter.tensor(bias), emitter.int64_vector(node.name + "_bias_shape", shape)}, {output});
  return output;
}

void check_dynamic_weight(const OnnxEmitter& emitter, const Node& node, const QuantizedWeight& weight) {
  const QuantParams& params = weight.params;
  const std::string& name = emitter.graph().value(weight.constant).name;
  if (params.per_channel() && params.axis != 0) {
    fail_export(node, "the dynamic form needs weights quantized per output channel (axis 0) or per tensor, '" + name +
                          "' uses axis " + std::to_string(params.axis) + "; export with the qdq format");
  }
  if (emitter.graph().value(node.inputs[0]).shape.size() < 2) {
    fail_export(node, "the dynamic form needs an input of at least 2 axes");
  }
  params.check(weight.codes.shape(), "node '" + node.name + "' (" + node.op + "): weight '" + name + "'");
}

}  // namespace

Shape channel_shape(std::int64_t channels, std::size_t trailing_axes) {
  Shape shape{channels};
  shape.resize(1 + trailing_axes, 1);
  return shape;
}

bool uniform_zero_point(const QuantParams& params) {
  return std::all_of(params.zero_point.begin(), params.zero_point.end(),
                     [&](std::int32_t zero) { return zero == params.zero_point.front(); });
}

std::string cast_to_float(OnnxEmitter& emitter, const std::string& input, const std::string& node_name) {
  const std::string output = emitter.fresh(input + "_float");
  set_attribute(emitter.add_node("Cast", emitter.fresh(node_name), {input}, {output}), "to",
                static_cast<std::int64_t>(onnx::TensorProto_DataType_FLOAT));
  return output;
}

bool write_dynamic_quantized(OnnxEmitter& emitter, const Node& node, const IntegerProduct& product) {
  const std::optional<QuantizedWeight> weight = emitter.quantized_weight(node.inputs.at(1));
  if (!weight) return false;
  check_dynamic_weight(emitter, node, *weight);
  const QuantParams& params = weight->params;
  const Shape channels = channel_shape(weight->codes.dim(0), product.trailing_axes);
  const std::vector<std::string> activation = emitter.dynamic_quantized(node.inputs[0]);
  const std::string accumulated = product.write(emitter, node, *weight, activation);

  const std::string output = emitter.output_of(node);
  const std::string scales = emitter.fresh(output + "_scales");
  emitter.add_node("Mul", emitter.fresh(node.name + "_scales_mul"),
                   {activation[1], emitter.initializer(emitter.output_name(weight->constant) + "_scale",
                                                       Tensor::from_vector<float>(
                                                           params.per_channel() ? channels : Shape{}, params.scale))},
                   {scales});
  const bool has_bias = node.inputs.size() > 2 && node.inputs[2] != kNoValue;
  const std::string linear = emitter.pre_activation_output(node);
  const std::string scaled = has_bias ? emitter.fresh(output + "_scaled") : linear;
  emitter.add_node("Mul", emitter.fresh(node.name + "_output_scale_mul"), {accumulated, scales}, {scaled});
  if (has_bias) {
    emitter.add_node("Add", emitter.fresh(node.name + "_bias_add"), {scaled, channel_bias(emitter, node, channels)},
                     {linear});
  }
  emitter.finish_activation(node, linear);
  return true;
}

}  // namespace edgeport
