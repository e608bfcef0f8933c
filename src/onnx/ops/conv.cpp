// Conv: ONNX Conv <-> IR Conv. In the dynamic format a Conv with quantized
// weights becomes ConvInteger on DynamicQuantizeLinear's codes.
//
// ONNX Runtime's ConvInteger accepts a single weight zero point. With
// per-channel zero points z_o that differ, the ConvInteger runs with zero
// point 0 and the exact correction z_o * sum over the window of (x_q - x_zp),
// itself a ConvInteger with a ones kernel, is subtracted after the Cast.
#include "core/ops/conv.h"

#include "onnx/onnx_emitter.h"
#include "onnx/onnx_importer.h"
#include "onnx/ops/dynamic_quantized_form.h"
#include "onnx/ops/window_attributes.h"
#include "onnx/quant_tensors.h"

namespace edgeport {
namespace {

constexpr std::size_t kConvTrailingAxes = 2;

void import_conv(OnnxImporter& importer) {
  const Attributes attrs = conv_window_attributes(importer);
  std::vector<int> inputs{importer.input(0), importer.input(1)};
  if (importer.has_input(2)) inputs.push_back(importer.input(2));
  importer.emit(op::Conv, inputs, attrs);
}

// sum over each output's window of (x_q - x_zero_point), times the weight's
// zero point of each output channel: one window channel when every output
// reads all inputs, else one per output channel.
std::string zero_point_correction(OnnxEmitter& emitter, const Node& node, const QuantizedWeight& weight,
                                  const std::vector<std::string>& activation) {
  const Tensor& codes = weight.codes;
  const std::string output = emitter.output_of(node);
  const Shape ones_shape =
      node.attrs.get_int("group", 1) == 1 ? Shape{1, codes.dim(1), codes.dim(2), codes.dim(3)} : codes.shape();
  const std::vector<std::int32_t> ones_codes(static_cast<std::size_t>(shape_numel(ones_shape)), 1);
  const std::string ones =
      emitter.initializer(node.name + "_window_ones", code_tensor(codes.dtype(), ones_shape, ones_codes));
  const std::string window_sum = emitter.fresh(output + "_window_sum");
  set_conv_window_attributes(emitter.add_node("ConvInteger", emitter.fresh(node.name + "_window_sum"),
                                              {activation[0], ones, activation[2]}, {window_sum}),
                             node, ones_shape);
  const std::vector<float> zero_points(weight.params.zero_point.begin(), weight.params.zero_point.end());
  const std::string correction = emitter.fresh(output + "_zero_point_correction");
  emitter.add_node(
      "Mul", emitter.fresh(node.name + "_zero_point_correction"),
      {cast_to_float(emitter, window_sum, node.name + "_window_sum_cast"),
       emitter.initializer(emitter.output_name(weight.constant) + "_zero_points",
                           Tensor::from_vector<float>(channel_shape(codes.dim(0), kConvTrailingAxes), zero_points))},
      {correction});
  return correction;
}

// The int32 accumulator of the ConvInteger, as float, with the weight's zero
// points applied.
std::string conv_accumulator(OnnxEmitter& emitter, const Node& node, const QuantizedWeight& weight,
                             const std::vector<std::string>& activation) {
  const Tensor& codes = weight.codes;
  const bool uniform = uniform_zero_point(weight.params);
  std::vector<std::string> inputs{activation[0], emitter.tensor(weight.constant), activation[2]};
  if (uniform) {
    inputs.push_back(emitter.initializer(emitter.output_name(weight.constant) + "_zero_point",
                                         code_tensor(codes.dtype(), {}, {weight.params.zero_point.front()})));
  }
  const std::string output = emitter.output_of(node);
  const std::string accumulator = emitter.fresh(output + "_int32");
  set_conv_window_attributes(emitter.add_node("ConvInteger", node.name + "_quant", inputs, {accumulator}), node,
                             codes.shape());
  const std::string accumulated = cast_to_float(emitter, accumulator, node.name + "_cast");
  if (uniform) return accumulated;
  const std::string correction = zero_point_correction(emitter, node, weight, activation);
  const std::string corrected = emitter.fresh(output + "_centered");
  emitter.add_node("Sub", emitter.fresh(node.name + "_apply_zero_points"), {accumulated, correction}, {corrected});
  return corrected;
}

void write_conv(OnnxEmitter& emitter, const Node& node) {
  if (emitter.options().quant_format == "dynamic" &&
      write_dynamic_quantized(emitter, node, {conv_accumulator, kConvTrailingAxes})) {
    return;
  }
  std::vector<std::string> inputs{emitter.tensor(node.inputs.at(0)), emitter.float_tensor(node.inputs.at(1))};
  if (node.inputs.size() > 2 && node.inputs[2] != kNoValue) inputs.push_back(emitter.tensor(node.inputs[2]));
  const std::string output = emitter.pre_activation_output(node);
  set_conv_window_attributes(emitter.add_node("Conv", node.name, inputs, {output}), node,
                             emitter.graph().value(node.inputs[1]).shape);
  emitter.finish_activation(node, output);
}

const NodeImporterRegistration reader({.onnx_ops = {"Conv"}, .ir_ops = {op::Conv}, .import = import_conv});
const NodeWriterRegistration writer({op::Conv}, write_conv);

}  // namespace
}  // namespace edgeport
