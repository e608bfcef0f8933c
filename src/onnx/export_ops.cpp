// IR op -> ONNX nodes, one writer per op. Spatial attributes keep their order:
// the IR's pads [top, left, bottom, right] are ONNX's [H_begin, W_begin,
// H_end, W_end].
#include <algorithm>
#include <map>

#include "core/ops/cast.h"
#include "onnx/onnx_emitter.h"
#include "onnx/onnx_tensor.h"
#include "onnx/quant_tensors.h"

namespace edgeport {
namespace {

std::string output_of(OnnxEmitter& emitter, const Node& node, std::size_t index = 0) {
  return emitter.output_name(node.outputs.at(index));
}

void copy_ints(onnx::NodeProto& proto, const Node& node, const std::string& from, const std::string& to,
               const std::vector<std::int64_t>& fallback) {
  set_attribute(proto, to, node.attrs.get_ints(from, fallback));
}

void write_conv(OnnxEmitter& emitter, const Node& node) {
  const Shape& weight = emitter.graph().value(node.inputs.at(1)).shape;
  std::vector<std::string> inputs{emitter.tensor(node.inputs[0]), emitter.float_tensor(node.inputs[1])};
  if (node.inputs.size() > 2 && node.inputs[2] != kNoValue) inputs.push_back(emitter.tensor(node.inputs[2]));
  const std::string output = emitter.pre_activation_output(node);
  onnx::NodeProto& conv = emitter.add_node("Conv", node.name, inputs, {output});
  set_attribute(conv, "kernel_shape", std::vector<std::int64_t>{weight[2], weight[3]});
  copy_ints(conv, node, "strides", "strides", {1, 1});
  copy_ints(conv, node, "pads", "pads", {0, 0, 0, 0});
  copy_ints(conv, node, "dilations", "dilations", {1, 1});
  set_attribute(conv, "group", node.attrs.get_int("group", 1));
  emitter.finish_activation(node, output);
}

Tensor transposed_2d(const Tensor& matrix) {
  const std::int64_t rows = matrix.dim(0);
  const std::int64_t columns = matrix.dim(1);
  Tensor result(matrix.dtype(), {columns, rows});
  const std::size_t element = dtype_size(matrix.dtype());
  for (std::int64_t r = 0; r < rows; ++r) {
    for (std::int64_t c = 0; c < columns; ++c) {
      std::copy_n(matrix.raw() + (r * columns + c) * element, element, result.raw() + (c * rows + r) * element);
    }
  }
  return result;
}

// The [in, out] matrix MatMul needs from a Linear weight [out, in].
std::string transposed_weight(OnnxEmitter& emitter, const Node& node) {
  const int weight = node.inputs.at(1);
  const std::string base = emitter.output_name(weight) + "_transposed";
  if (const std::optional<QuantizedWeight> quantized = quantized_weight(emitter.graph(), weight)) {
    QuantParams params = quantized->params;
    if (params.per_channel()) params.axis = 1 - params.axis;
    return emitter.dequantized(base, transposed_2d(*quantized->codes), params);
  }
  const Value& value = emitter.graph().value(weight);
  if (value.constant && value.dtype == DType::Float32) return emitter.initializer(base, transposed_2d(*value.constant));
  const std::string output = emitter.fresh(base);
  set_attribute(emitter.add_node("Transpose", emitter.fresh(node.name + "_transpose_weight"),
                                 {emitter.float_tensor(weight)}, {output}),
                "perm", std::vector<std::int64_t>{1, 0});
  return output;
}

void write_linear(OnnxEmitter& emitter, const Node& node) {
  const bool has_bias = node.inputs.size() > 2 && node.inputs[2] != kNoValue;
  const std::string input = emitter.tensor(node.inputs.at(0));
  const std::string output = emitter.pre_activation_output(node);
  if (emitter.graph().value(node.inputs[0]).shape.size() == 2) {
    std::vector<std::string> inputs{input, emitter.float_tensor(node.inputs[1])};
    if (has_bias) inputs.push_back(emitter.tensor(node.inputs[2]));
    set_attribute(emitter.add_node("Gemm", node.name, inputs, {output}), "transB", std::int64_t{1});
  } else {
    // Gemm is 2-d only; torch.onnx.export writes the same MatMul + Add.
    const std::string product = has_bias ? emitter.fresh(node.name + "_matmul") : output;
    emitter.add_node("MatMul", has_bias ? product : node.name, {input, transposed_weight(emitter, node)}, {product});
    if (has_bias) emitter.add_node("Add", node.name, {product, emitter.tensor(node.inputs[2])}, {output});
  }
  emitter.finish_activation(node, output);
}

void write_batch_norm(OnnxEmitter& emitter, const Node& node) {
  std::vector<std::string> inputs;
  for (int input : node.inputs) inputs.push_back(emitter.tensor(input));
  onnx::NodeProto& proto = emitter.add_node("BatchNormalization", node.name, inputs, {output_of(emitter, node)});
  set_attribute(proto, "epsilon", static_cast<float>(node.attrs.get_float("epsilon", 1e-5)));
}

void write_same_op(OnnxEmitter& emitter, const Node& node) {
  std::vector<std::string> inputs;
  for (int input : node.inputs) inputs.push_back(input == kNoValue ? "" : emitter.tensor(input));
  std::vector<std::string> outputs;
  for (std::size_t i = 0; i < node.outputs.size(); ++i) outputs.push_back(output_of(emitter, node, i));
  emitter.add_node(node.op, node.name, inputs, outputs);
}

void write_binary(OnnxEmitter& emitter, const Node& node) {
  const std::string output = emitter.pre_activation_output(node);
  emitter.add_node(node.op, node.name, {emitter.tensor(node.inputs.at(0)), emitter.tensor(node.inputs.at(1))},
                   {output});
  emitter.finish_activation(node, output);
}

void write_relu6(OnnxEmitter& emitter, const Node& node) {
  emitter.add_node("Clip", node.name,
                   {emitter.tensor(node.inputs.at(0)), emitter.float_scalar(0.0f), emitter.float_scalar(6.0f)},
                   {output_of(emitter, node)});
}

void write_hard_swish(OnnxEmitter& emitter, const Node& node) {
  const std::string input = emitter.tensor(node.inputs.at(0));
  if (emitter.opset() >= 14) {
    emitter.add_node("HardSwish", node.name, {input}, {output_of(emitter, node)});
    return;
  }
  // HardSwish arrived in opset 14: x * HardSigmoid(x) with alpha 1/6, beta 1/2
  // is PyTorch's x * relu6(x + 3) / 6.
  const std::string gate = emitter.fresh(node.name + "_gate");
  onnx::NodeProto& sigmoid = emitter.add_node("HardSigmoid", emitter.fresh(node.name + "_hard_sigmoid"), {input}, {gate});
  set_attribute(sigmoid, "alpha", 1.0f / 6.0f);
  set_attribute(sigmoid, "beta", 0.5f);
  emitter.add_node("Mul", node.name, {input, gate}, {output_of(emitter, node)});
}

void write_pool(OnnxEmitter& emitter, const Node& node) {
  const bool max_pool = node.op == "MaxPool";
  onnx::NodeProto& pool = emitter.add_node(max_pool ? "MaxPool" : "AveragePool", node.name,
                                           {emitter.tensor(node.inputs.at(0))}, {output_of(emitter, node)});
  const std::vector<std::int64_t> kernel = node.attrs.get_ints("kernel");
  set_attribute(pool, "kernel_shape", kernel);
  copy_ints(pool, node, "strides", "strides", kernel);
  copy_ints(pool, node, "pads", "pads", {0, 0, 0, 0});
  set_attribute(pool, "ceil_mode", node.attrs.get_int("ceil_mode", 0));
  if (max_pool) {
    const std::vector<std::int64_t> dilations = node.attrs.get_ints("dilations", {1, 1});
    if (dilations != std::vector<std::int64_t>{1, 1}) set_attribute(pool, "dilations", dilations);
  } else {
    set_attribute(pool, "count_include_pad", node.attrs.get_int("count_include_pad", 1));
  }
}

void write_mean(OnnxEmitter& emitter, const Node& node) {
  onnx::NodeProto& reduce = emitter.add_node("ReduceMean", node.name, {emitter.tensor(node.inputs.at(0))},
                                             {output_of(emitter, node)});
  set_attribute(reduce, "axes", node.attrs.get_ints("axes"));
  set_attribute(reduce, "keepdims", node.attrs.get_int("keepdims", 1));
}

void write_flatten(OnnxEmitter& emitter, const Node& node) {
  set_attribute(emitter.add_node("Flatten", node.name, {emitter.tensor(node.inputs.at(0))}, {output_of(emitter, node)}),
                "axis", node.attrs.get_int("axis", 1));
}

void write_reshape(OnnxEmitter& emitter, const Node& node) {
  std::vector<std::int64_t> shape = node.attrs.get_ints("shape");
  if (emitter.dynamic_batch()) {
    // The batch extent must follow the input: 0 copies it.
    const Shape& input = emitter.graph().value(node.inputs.at(0)).shape;
    const Shape& output = emitter.graph().value(node.outputs.at(0)).shape;
    if (shape.empty() || input.empty() || output[0] != input[0]) {
      fail_export(node, "reshapes the batch axis, so it cannot take a dynamic batch");
    }
    shape[0] = 0;
  }
  emitter.add_node("Reshape", node.name,
                   {emitter.tensor(node.inputs.at(0)), emitter.int64_vector(node.name + "_shape", shape)},
                   {output_of(emitter, node)});
}

void write_transpose(OnnxEmitter& emitter, const Node& node) {
  set_attribute(emitter.add_node("Transpose", node.name, {emitter.tensor(node.inputs.at(0))},
                                 {output_of(emitter, node)}),
                "perm", node.attrs.get_ints("perm"));
}

void write_concat(OnnxEmitter& emitter, const Node& node) {
  std::vector<std::string> inputs;
  for (int input : node.inputs) inputs.push_back(emitter.tensor(input));
  set_attribute(emitter.add_node("Concat", node.name, inputs, {output_of(emitter, node)}), "axis",
                node.attrs.get_int("axis"));
}

void write_pad(OnnxEmitter& emitter, const Node& node) {
  const std::string value = emitter.float_scalar(static_cast<float>(node.attrs.get_float("value", 0.0)));
  onnx::NodeProto& pad = emitter.add_node(
      "Pad", node.name,
      {emitter.tensor(node.inputs.at(0)), emitter.int64_vector(node.name + "_pads", node.attrs.get_ints("pads")), value},
      {output_of(emitter, node)});
  set_attribute(pad, "mode", std::string("constant"));
}

// Opset 10 moved Slice's index lists from attributes to inputs; edgeport
// writes opset 11 and later.
void write_slice(OnnxEmitter& emitter, const Node& node) {
  const std::vector<std::int64_t> starts = node.attrs.get_ints("starts");
  std::vector<std::int64_t> axes = node.attrs.get_ints("axes", {});
  if (axes.empty()) {
    for (std::size_t i = 0; i < starts.size(); ++i) axes.push_back(static_cast<std::int64_t>(i));
  }
  const auto rank = static_cast<std::int64_t>(emitter.graph().value(node.inputs.at(0)).shape.size());
  if (emitter.dynamic_batch() &&
      std::any_of(axes.begin(), axes.end(), [rank](std::int64_t axis) { return axis == 0 || axis == -rank; })) {
    fail_export(node, "slices the batch axis, so it cannot take a dynamic batch");
  }
  std::vector<std::string> inputs{emitter.tensor(node.inputs.at(0)), emitter.int64_vector(node.name + "_starts", starts),
                                  emitter.int64_vector(node.name + "_ends", node.attrs.get_ints("ends")),
                                  emitter.int64_vector(node.name + "_axes", axes)};
  if (node.attrs.has("steps")) inputs.push_back(emitter.int64_vector(node.name + "_steps", node.attrs.get_ints("steps")));
  emitter.add_node("Slice", node.name, inputs, {output_of(emitter, node)});
}

// The [N, C, out_h, out_w] sizes of a Resize whose batch is symbolic:
// Shape(x)[0:2] joined with the constant spatial extents.
std::string dynamic_resize_sizes(OnnxEmitter& emitter, const Node& node, const std::string& input,
                                 const std::vector<std::int64_t>& spatial) {
  const std::string shape = emitter.fresh(node.name + "_input_shape");
  emitter.add_node("Shape", emitter.fresh(node.name + "_shape"), {input}, {shape});
  const std::string leading = emitter.fresh(node.name + "_leading_extents");
  emitter.add_node("Slice", emitter.fresh(node.name + "_slice"),
                   {shape, emitter.int64_vector(node.name + "_slice_start", {0}),
                    emitter.int64_vector(node.name + "_slice_end", {2})},
                   {leading});
  const std::string sizes = emitter.fresh(node.name + "_sizes");
  set_attribute(emitter.add_node("Concat", emitter.fresh(node.name + "_concat"),
                                 {leading, emitter.int64_vector(node.name + "_spatial", spatial)}, {sizes}),
                "axis", std::int64_t{0});
  return sizes;
}

void write_resize(OnnxEmitter& emitter, const Node& node) {
  const std::string input = emitter.tensor(node.inputs.at(0));
  const Shape& x = emitter.graph().value(node.inputs[0]).shape;
  // Opsets 11 and 12 require the roi and scales inputs, even when unused.
  const bool required_inputs = emitter.opset() < 13;
  const std::string empty_floats =
      required_inputs ? emitter.initializer(node.name + "_empty", Tensor(DType::Float32, {0})) : "";
  std::vector<std::string> inputs{input, empty_floats};
  if (node.attrs.has("sizes")) {
    const std::vector<std::int64_t> spatial = node.attrs.get_ints("sizes");
    inputs.push_back(empty_floats);
    inputs.push_back(emitter.dynamic_batch()
                         ? dynamic_resize_sizes(emitter, node, input, spatial)
                         : emitter.int64_vector(node.name + "_sizes", {x[0], x[1], spatial[0], spatial[1]}));
  } else {
    const std::vector<double> scales = node.attrs.get_floats("scales");
    inputs.push_back(emitter.initializer(
        node.name + "_scales",
        Tensor::from_vector<float>({4}, {1.0f, 1.0f, static_cast<float>(scales[0]), static_cast<float>(scales[1])})));
  }
  onnx::NodeProto& resize = emitter.add_node("Resize", node.name, inputs, {output_of(emitter, node)});
  // PyTorch's nearest: source = floor(destination / scale).
  set_attribute(resize, "mode", std::string("nearest"));
  set_attribute(resize, "coordinate_transformation_mode", std::string("asymmetric"));
  set_attribute(resize, "nearest_mode", std::string("floor"));
}

void write_quantize(OnnxEmitter& emitter, const Node& node) {
  const Value& output = emitter.graph().value(node.outputs.at(0));
  if (!output.quant) fail_export(node, "output '" + output.name + "' has no quantization parameters");
  const QuantParams& params = *output.quant;
  check_quant_params(output.name, output.dtype, output.shape, params);
  if (params.per_channel() && emitter.opset() < 13) {
    fail_export(node, "per-axis QuantizeLinear needs opset 13 or later; export with opset 13");
  }
  const Shape shape = params.per_channel() ? Shape{static_cast<std::int64_t>(params.scale.size())} : Shape{};
  onnx::NodeProto& quantize = emitter.add_node(
      "QuantizeLinear", node.name,
      {emitter.tensor(node.inputs.at(0)),
       emitter.initializer(output.name + "_scale", Tensor::from_vector<float>(shape, params.scale)),
       emitter.initializer(output.name + "_zero_point", code_tensor(output.dtype, shape, params.zero_point))},
      {output_of(emitter, node)});
  if (params.per_channel()) set_attribute(quantize, "axis", static_cast<std::int64_t>(params.axis));
}

void write_dequantize(OnnxEmitter& emitter, const Node& node) {
  const Value& input = emitter.graph().value(node.inputs.at(0));
  const std::optional<QuantParams>& params = input.quant ? input.quant
                                             : input.constant ? input.constant->quant
                                                              : std::nullopt;
  if (!params) fail_export(node, "input '" + input.name + "' has no quantization parameters");
  emitter.write_dequantize(node.name, emitter.tensor(node.inputs[0]), input.dtype, input.shape, *params,
                           output_of(emitter, node));
}

void write_cast(OnnxEmitter& emitter, const Node& node) {
  set_attribute(emitter.add_node("Cast", node.name, {emitter.tensor(node.inputs.at(0))}, {output_of(emitter, node)}),
                "to", static_cast<std::int64_t>(onnx_dtype(cast_target(node))));
}

void write_conv_integer(OnnxEmitter& emitter, const Node& node) {
  std::vector<std::string> inputs;
  for (int input : node.inputs) inputs.push_back(input == kNoValue ? "" : emitter.tensor(input));
  const Shape& weight = emitter.graph().value(node.inputs.at(1)).shape;
  onnx::NodeProto& conv = emitter.add_node("ConvInteger", node.name, inputs, {output_of(emitter, node)});
  set_attribute(conv, "kernel_shape", std::vector<std::int64_t>{weight[2], weight[3]});
  copy_ints(conv, node, "strides", "strides", {1, 1});
  copy_ints(conv, node, "pads", "pads", {0, 0, 0, 0});
  copy_ints(conv, node, "dilations", "dilations", {1, 1});
  set_attribute(conv, "group", node.attrs.get_int("group", 1));
}

const std::map<std::string, NodeWriter>& writers() {
  static const std::map<std::string, NodeWriter> table{
      {"Conv", write_conv},
      {"Linear", write_linear},
      {"BatchNorm", write_batch_norm},
      {"Relu", write_same_op},
      {"Sigmoid", write_same_op},
      {"Relu6", write_relu6},
      {"HardSwish", write_hard_swish},
      {"Add", write_binary},
      {"Sub", write_binary},
      {"Mul", write_binary},
      {"MaxPool", write_pool},
      {"AvgPool", write_pool},
      {"GlobalAveragePool", write_same_op},
      {"Mean", write_mean},
      {"Flatten", write_flatten},
      {"Reshape", write_reshape},
      {"Transpose", write_transpose},
      {"Concat", write_concat},
      {"Pad", write_pad},
      {"Slice", write_slice},
      {"Resize", write_resize},
      {"Quantize", write_quantize},
      {"Dequantize", write_dequantize},
      {"Cast", write_cast},
      {"MatMul", write_same_op},
      {"DynamicQuantizeLinear", write_same_op},
      {"ConvInteger", write_conv_integer},
      {"MatMulInteger", write_same_op},
  };
  return table;
}

}  // namespace

const NodeWriter* find_node_writer(const std::string& op) {
  auto found = writers().find(op);
  return found == writers().end() ? nullptr : &found->second;
}

}  // namespace edgeport
