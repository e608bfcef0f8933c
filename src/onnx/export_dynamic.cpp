// The "dynamic" format: Conv and Linear with quantized weights become the
// integer subgraphs of ONNX Runtime's quantize_dynamic.
//
//   x -> DynamicQuantizeLinear -> (x_q uint8, x_scale, x_zero_point)
//   ConvInteger(x_q, w int8, x_zero_point, w_zero_point) | MatMulInteger(...)
//   -> Cast(float) -> Mul(x_scale * w_scale) -> Add(bias) [-> Relu | Clip]
//
// ONNX Runtime's ConvInteger accepts a single weight zero point. With
// per-channel zero points z_o that differ, the ConvInteger runs with zero
// point 0 and the exact correction z_o * sum over the window of (x_q - x_zp),
// itself a ConvInteger with a ones kernel, is subtracted after the Cast.
#include <algorithm>

#include "onnx/onnx_emitter.h"
#include "onnx/onnx_tensor.h"
#include "onnx/quant_tensors.h"

namespace edgeport {
namespace {

bool uniform_zero_point(const QuantParams& params) {
  return std::all_of(params.zero_point.begin(), params.zero_point.end(),
                     [&](std::int32_t zero) { return zero == params.zero_point.front(); });
}

// A per-output-channel vector shaped to broadcast over the channel axis of
// the op's output: [O, 1, 1] for Conv (NCHW), [O] for Linear.
Shape channel_shape(const Node& node, std::int64_t channels) {
  return node.op == "Conv" ? Shape{channels, 1, 1} : Shape{channels};
}

std::string cast_to_float(OnnxEmitter& emitter, const std::string& input, const std::string& node_name) {
  const std::string output = emitter.fresh(input + "_float");
  set_attribute(emitter.add_node("Cast", emitter.fresh(node_name), {input}, {output}), "to",
                static_cast<std::int64_t>(onnx::TensorProto_DataType_FLOAT));
  return output;
}

std::string channel_bias(OnnxEmitter& emitter, const Node& node, std::int64_t channels) {
  const int bias = node.inputs.at(2);
  const Value& value = emitter.graph().value(bias);
  const Shape shape = channel_shape(node, channels);
  if (shape.size() == 1) return emitter.tensor(bias);
  if (value.constant && value.dtype == DType::Float32) {
    return emitter.initializer(emitter.output_name(bias) + "_channels", value.constant->reshaped(shape));
  }
  const std::string output = emitter.fresh(emitter.output_name(bias) + "_channels");
  emitter.add_node("Reshape", emitter.fresh(node.name + "_bias_reshape"),
                   {emitter.tensor(bias), emitter.int64_vector(node.name + "_bias_shape", shape)}, {output});
  return output;
}

void set_window_attributes(onnx::NodeProto& conv, const Node& node, const Shape& kernel, std::int64_t group) {
  set_attribute(conv, "kernel_shape", std::vector<std::int64_t>{kernel[2], kernel[3]});
  set_attribute(conv, "strides", node.attrs.get_ints("strides", {1, 1}));
  set_attribute(conv, "pads", node.attrs.get_ints("pads", {0, 0, 0, 0}));
  set_attribute(conv, "dilations", node.attrs.get_ints("dilations", {1, 1}));
  set_attribute(conv, "group", group);
}

// The int32 accumulator of the ConvInteger, as float, with the weights' zero
// points applied.
std::string conv_accumulator(OnnxEmitter& emitter, const Node& node, const QuantizedWeight& weight,
                             const std::vector<std::string>& activation) {
  const Tensor& codes = *weight.codes;
  const std::int64_t channels = codes.dim(0);
  const std::int64_t group = node.attrs.get_int("group", 1);
  const bool uniform = uniform_zero_point(weight.params);
  std::vector<std::string> inputs{activation[0], emitter.tensor(weight.constant), activation[2]};
  if (uniform) {
    inputs.push_back(emitter.initializer(emitter.output_name(weight.constant) + "_zero_point",
                                         code_tensor(codes.dtype(), {}, {weight.params.zero_point.front()})));
  }
  const std::string output = emitter.output_name(node.outputs.at(0));
  const std::string accumulator = emitter.fresh(output + "_int32");
  set_window_attributes(emitter.add_node("ConvInteger", node.name + "_quant", inputs, {accumulator}), node,
                        codes.shape(), group);
  const std::string accumulated = cast_to_float(emitter, accumulator, node.name + "_cast");
  if (uniform) return accumulated;

  // sum over each output's window of (x_q - x_zero_point): one channel when
  // every output reads all inputs, else one per output channel.
  const Shape ones_shape = group == 1 ? Shape{1, codes.dim(1), codes.dim(2), codes.dim(3)} : codes.shape();
  const std::string ones = emitter.initializer(
      node.name + "_window_ones",
      code_tensor(codes.dtype(), ones_shape, std::vector<std::int32_t>(static_cast<std::size_t>(shape_numel(ones_shape)), 1)));
  const std::string window_sum = emitter.fresh(output + "_window_sum");
  set_window_attributes(
      emitter.add_node("ConvInteger", emitter.fresh(node.name + "_window_sum"), {activation[0], ones, activation[2]},
                       {window_sum}),
      node, ones_shape, group);
  const std::vector<float> zero_points(weight.params.zero_point.begin(), weight.params.zero_point.end());
  const std::string correction = emitter.fresh(output + "_zero_point_correction");
  emitter.add_node("Mul", emitter.fresh(node.name + "_zero_point_correction"),
                   {cast_to_float(emitter, window_sum, node.name + "_window_sum_cast"),
                    emitter.initializer(emitter.output_name(weight.constant) + "_zero_points",
                                        Tensor::from_vector<float>(channel_shape(node, channels), zero_points))},
                   {correction});
  const std::string corrected = emitter.fresh(output + "_centered");
  emitter.add_node("Sub", emitter.fresh(node.name + "_apply_zero_points"), {accumulated, correction}, {corrected});
  return corrected;
}

std::string linear_accumulator(OnnxEmitter& emitter, const Node& node, const QuantizedWeight& weight,
                               const std::vector<std::string>& activation) {
  const Tensor& codes = *weight.codes;
  const std::int64_t rows = codes.dim(0);
  const std::int64_t columns = codes.dim(1);
  Tensor transposed(codes.dtype(), {columns, rows});
  for (std::int64_t r = 0; r < rows; ++r) {
    for (std::int64_t c = 0; c < columns; ++c) transposed.raw()[c * rows + r] = codes.raw()[r * columns + c];
  }
  const std::string base = emitter.output_name(weight.constant);
  const bool uniform = uniform_zero_point(weight.params);
  // MatMulInteger takes one zero point per column of b, which ONNX Runtime runs.
  const Tensor zero_point = uniform ? code_tensor(codes.dtype(), {}, {weight.params.zero_point.front()})
                                    : code_tensor(codes.dtype(), {rows}, weight.params.zero_point);
  const std::string output = emitter.output_name(node.outputs.at(0));
  const std::string accumulator = emitter.fresh(output + "_int32");
  emitter.add_node("MatMulInteger", node.name + "_quant",
                   {activation[0], emitter.initializer(base + "_transposed", transposed), activation[2],
                    emitter.initializer(base + "_zero_point", zero_point)},
                   {accumulator});
  return cast_to_float(emitter, accumulator, node.name + "_cast");
}

}  // namespace

const std::vector<std::string>& OnnxEmitter::dynamic_quantized(int value_id) {
  auto found = dynamic_quantized_.find(value_id);
  if (found != dynamic_quantized_.end()) return found->second;
  const std::string input = tensor(value_id);
  std::vector<std::string> outputs{fresh(input + "_quantized"), fresh(input + "_scale"), fresh(input + "_zero_point")};
  add_node("DynamicQuantizeLinear", fresh(input + "_QuantizeLinear"), {input}, outputs);
  return dynamic_quantized_[value_id] = outputs;
}

bool write_dynamic_quantized(OnnxEmitter& emitter, const Node& node) {
  const std::optional<QuantizedWeight> weight = quantized_weight(emitter.graph(), node.inputs.at(1));
  if (!weight) return false;
  const QuantParams& params = weight->params;
  if (params.per_channel() && params.axis != 0) {
    fail_export(node, "the dynamic form needs weights quantized per output channel (axis 0) or per tensor, '" +
                          emitter.graph().value(weight->constant).name + "' uses axis " + std::to_string(params.axis) +
                          "; export with the qdq format");
  }
  if (emitter.graph().value(node.inputs[0]).shape.size() < 2) {
    fail_export(node, "the dynamic form needs an input of at least 2 axes");
  }
  const std::int64_t channels = weight->codes->dim(0);
  if (params.scale.size() != (params.per_channel() ? static_cast<std::size_t>(channels) : 1) ||
      params.zero_point.size() != params.scale.size()) {
    fail_export(node, "weight quantization parameters do not match its " + std::to_string(channels) + " channels");
  }
  const std::vector<std::string> activation = emitter.dynamic_quantized(node.inputs[0]);
  const std::string accumulated = node.op == "Conv" ? conv_accumulator(emitter, node, *weight, activation)
                                                    : linear_accumulator(emitter, node, *weight, activation);

  const std::string output = emitter.output_name(node.outputs.at(0));
  const Shape scale_shape = params.per_channel() ? channel_shape(node, channels) : Shape{};
  const std::string scales = emitter.fresh(output + "_scales");
  emitter.add_node("Mul", emitter.fresh(node.name + "_scales_mul"),
                   {activation[1], emitter.initializer(emitter.output_name(weight->constant) + "_scale",
                                                       Tensor::from_vector<float>(scale_shape, params.scale))},
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
