// Quantization: ONNX DequantizeLinear, QuantizeLinear <-> IR Dequantize,
// Quantize. An integer initializer read by DequantizeLinear becomes an IR
// constant carrying its scales and zero points, read by a Dequantize node,
// which is how the quantizer represents int8 weights.
#include "core/ops/quantization.h"

#include <algorithm>
#include <cmath>

#include "onnx/import_shapes.h"
#include "onnx/onnx_emitter.h"
#include "onnx/onnx_importer.h"
#include "onnx/quant_tensors.h"

namespace edgeport {
namespace {

bool is_quantized_dtype(DType dtype) { return dtype == DType::Int8 || dtype == DType::UInt8 || dtype == DType::Int32; }

std::vector<std::int32_t> zero_points(OnnxImporter& importer, const Tensor& scale, DType codes) {
  std::vector<std::int32_t> values(static_cast<std::size_t>(scale.numel()), 0);
  if (!importer.has_input(2)) return values;
  const Tensor& zero_point = importer.require_constant(2, "zero point");
  if (zero_point.dtype() != codes) {
    importer.fail("zero point is " + std::string(dtype_name(zero_point.dtype())) + ", the codes " +
                  std::string(dtype_name(codes)));
  }
  if (zero_point.shape() != scale.shape()) importer.fail("zero point and scale differ in shape");
  const Tensor widened = zero_point.to_float32();
  for (std::size_t i = 0; i < values.size(); ++i) values[i] = static_cast<std::int32_t>(widened.data<float>()[i]);
  return values;
}

// Scale (input 1) and zero point (input 2) of the current (De)QuantizeLinear,
// for a tensor of `shape` whose codes are `codes`.
QuantParams read_params(OnnxImporter& importer, const Shape& shape, DType codes) {
  const Tensor& scale = importer.require_constant(1, "scale");
  if (scale.dtype() != DType::Float32 || scale.rank() > 1) importer.fail("scale must be a float32 scalar or vector");
  QuantParams params;
  params.scale.assign(scale.values<float>().begin(), scale.values<float>().end());
  for (float value : params.scale) {
    if (!(value > 0.0f) || !std::isfinite(value)) importer.fail("scale " + std::to_string(value) + " is not positive");
  }
  params.zero_point = zero_points(importer, scale, codes);
  if (scale.rank() == 1 && scale.numel() > 1) {
    if (importer.opset() < 13) importer.fail("per-axis parameters need opset 13");
    const auto rank = static_cast<std::int64_t>(shape.size());
    params.axis = static_cast<int>(normalize_axis(importer, importer.attr_int("axis", 1), rank));
    params.check(shape, "scale '" + importer.node().input(1) + "'");
  }
  if (codes == DType::Int32 && !params.symmetric()) importer.fail("int32 codes need a zero point of 0");
  return params;
}

bool same_params(const QuantParams& a, const QuantParams& b) {
  return a.axis == b.axis && a.scale == b.scale && a.zero_point == b.zero_point;
}

void import_dequantize(OnnxImporter& importer) {
  const DType codes = importer.input_dtype(0);
  if (!is_quantized_dtype(codes)) importer.fail("cannot dequantize " + std::string(dtype_name(codes)));
  const QuantParams params = read_params(importer, importer.input_shape(0), codes);
  if (const Tensor* constant = importer.constant_input(0)) {
    Tensor quantized = *constant;
    quantized.quant = params;
    // The quantizer's and the runtime's weights are int8; uint8 codes become
    // int8 ones with the same real values.
    const DType stored = codes == DType::UInt8 ? DType::Int8 : codes;
    importer.emit(op::Dequantize,
                  {importer.add_constant(importer.node().input(0), with_codes_in(quantized, stored))});
    return;
  }
  const int input = importer.input(0);
  Value& value = importer.graph().value(input);
  if (value.quant && !same_params(*value.quant, params)) {
    importer.fail("dequantizes '" + value.name + "' with parameters other than those it was quantized with");
  }
  value.quant = params;
  importer.emit(op::Dequantize, {input});
}

// A float weight quantized in the file: its codes, as the quantizer would store them.
Tensor quantized_constant(const Tensor& weights, DType codes, const QuantParams& params) {
  const std::int32_t lowest = codes == DType::UInt8 ? 0 : -128;
  const std::int32_t highest = codes == DType::UInt8 ? 255 : 127;
  std::vector<std::int32_t> values(static_cast<std::size_t>(weights.numel()));
  std::int64_t inner = 1;
  for (std::size_t axis = static_cast<std::size_t>(params.axis) + 1;
       params.per_channel() && axis < weights.shape().size(); ++axis) {
    inner *= weights.shape()[axis];
  }
  for (std::size_t i = 0; i < values.size(); ++i) {
    const std::size_t channel = params.per_channel() ? (i / static_cast<std::size_t>(inner)) % params.scale.size() : 0;
    const float scaled = std::nearbyint(weights.data<float>()[i] / params.scale[channel]);
    values[i] = static_cast<std::int32_t>(std::clamp(scaled + static_cast<float>(params.zero_point[channel]),
                                                     static_cast<float>(lowest), static_cast<float>(highest)));
  }
  Tensor quantized = code_tensor(codes, weights.shape(), values);
  quantized.quant = params;
  return quantized;
}

void import_quantize(OnnxImporter& importer) {
  const DType codes = importer.has_input(2) ? importer.input_dtype(2) : DType::UInt8;
  if (codes != DType::Int8 && codes != DType::UInt8) importer.fail("only int8 and uint8 codes are supported");
  if (importer.input_dtype(0) != DType::Float32) importer.fail("only float32 inputs are supported");
  const QuantParams params = read_params(importer, importer.input_shape(0), codes);
  if (const Tensor* constant = importer.constant_input(0)) {
    importer.bind_output_constant(0, quantized_constant(*constant, codes, params));
    return;
  }
  Attributes attrs;
  attrs.set("dtype", std::string(dtype_name(codes)));
  const int output = importer.emit(op::Quantize, {importer.input(0)}, attrs).front();
  importer.graph().value(output).quant = params;
}

void write_quantize(OnnxEmitter& emitter, const Node& node) {
  const Value& output = emitter.graph().value(node.outputs.at(0));
  if (!output.quant) fail_export(node, "output '" + output.name + "' has no quantization parameters");
  const QuantParams& params = *output.quant;
  check_onnx_quant_params(output.name, output.dtype, output.shape, params);
  if (params.per_channel() && emitter.opset() < 13) {
    fail_export(node, "per-axis QuantizeLinear needs opset 13 or later; export with opset 13");
  }
  const Shape shape = params.per_channel() ? Shape{static_cast<std::int64_t>(params.scale.size())} : Shape{};
  onnx::NodeProto& quantize = emitter.add_node(
      "QuantizeLinear", node.name,
      {emitter.tensor(node.inputs.at(0)),
       emitter.initializer(output.name + "_scale", Tensor::from_vector<float>(shape, params.scale)),
       emitter.initializer(output.name + "_zero_point", code_tensor(output.dtype, shape, params.zero_point))},
      {emitter.output_of(node)});
  if (params.per_channel()) set_attribute(quantize, "axis", static_cast<std::int64_t>(params.axis));
}

void write_dequantize(OnnxEmitter& emitter, const Node& node) {
  const int input = node.inputs.at(0);
  const std::optional<QuantParams> params = emitter.params_as_written(input);
  if (!params) fail_export(node, "input '" + emitter.graph().value(input).name + "' has no quantization parameters");
  emitter.write_dequantize(node.name, emitter.tensor(input), emitter.dtype_as_written(input),
                           emitter.graph().value(input).shape, *params, emitter.output_of(node));
}

const NodeImporterRegistration dequantize_reader({.onnx_ops = {"DequantizeLinear"},
                                                  .ir_ops = {op::Dequantize},
                                                  .import = import_dequantize});
const NodeImporterRegistration quantize_reader({.onnx_ops = {"QuantizeLinear"},
                                                .ir_ops = {op::Quantize},
                                                .import = import_quantize});
const NodeWriterRegistration dequantize_writer({op::Dequantize}, write_dequantize);
const NodeWriterRegistration quantize_writer({op::Quantize}, write_quantize);

}  // namespace
}  // namespace edgeport
