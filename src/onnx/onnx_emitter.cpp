#include "onnx/onnx_emitter.h"

#include <limits>

#include "core/error.h"
#include "core/ops/conv.h"
#include "core/ops/linear.h"
#include "core/ops/matmul.h"
#include "core/ops/quantization.h"
#include "onnx/onnx_tensor.h"
#include "onnx/op_registry.h"
#include "onnx/op_support.h"
#include "onnx/quant_tensors.h"

namespace edgeport {
namespace {

bool is_integer_code(DType dtype) { return dtype == DType::Int8 || dtype == DType::UInt8 || dtype == DType::Int32; }

std::optional<QuantParams> params_of(const Value& value) {
  if (value.quant) return value.quant;
  if (value.constant && value.constant->quant) return value.constant->quant;
  return std::nullopt;
}

// The shape that broadcasts a per-axis parameter vector of `count` values
// along `axis` of a tensor of rank `rank`: [count, 1, ..., 1].
Shape axis_broadcast_shape(std::int64_t count, int axis, int rank) {
  Shape shape{count};
  for (int i = axis + 1; i < rank; ++i) shape.push_back(1);
  return shape;
}

}  // namespace

void fail_export(const Node& node, const std::string& problem) {
  throw Error("node '" + node.name + "' (" + node.op + "): " + problem);
}

void set_attribute(onnx::NodeProto& node, const std::string& name, std::int64_t value) {
  onnx::AttributeProto* attribute = node.add_attribute();
  attribute->set_name(name);
  attribute->set_type(onnx::AttributeProto_AttributeType_INT);
  attribute->set_i(value);
}

void set_attribute(onnx::NodeProto& node, const std::string& name, float value) {
  onnx::AttributeProto* attribute = node.add_attribute();
  attribute->set_name(name);
  attribute->set_type(onnx::AttributeProto_AttributeType_FLOAT);
  attribute->set_f(value);
}

void set_attribute(onnx::NodeProto& node, const std::string& name, const std::string& value) {
  onnx::AttributeProto* attribute = node.add_attribute();
  attribute->set_name(name);
  attribute->set_type(onnx::AttributeProto_AttributeType_STRING);
  attribute->set_s(value);
}

void set_attribute(onnx::NodeProto& node, const std::string& name, const std::vector<std::int64_t>& values) {
  onnx::AttributeProto* attribute = node.add_attribute();
  attribute->set_name(name);
  attribute->set_type(onnx::AttributeProto_AttributeType_INTS);
  for (std::int64_t value : values) attribute->add_ints(value);
}

OnnxEmitter::OnnxEmitter(const Graph& graph, const OnnxExportOptions& options, onnx::GraphProto& proto)
    : graph_(graph), options_(options), proto_(proto), written_(graph.values.size(), false) {
  // Tensor names must be unique; node names live in their own namespace, so
  // an IR value may keep the name of the node that produces it.
  names_.reserve(graph_.values.size());
  for (const Value& value : graph_.values) names_.push_back(fresh(value.name.empty() ? "value" : value.name));
  if (options_.float16_weights) {
    for (const Node& node : graph_.nodes) {
      if (node.op != op::Conv && node.op != op::Linear && node.op != op::MatMul) continue;
      for (std::size_t i = 1; i < node.inputs.size(); ++i) {
        const int input = node.inputs[i];
        if (input != kNoValue && graph_.is_constant(input) && graph_.value(input).dtype == DType::Float32) {
          float16_constants_.insert(input);
        }
      }
    }
  }
}

bool OnnxEmitter::stores_as_uint8(int value_id) const {
  const Value& value = graph_.value(value_id);
  return !options_.int8_weight_codes && value.constant && value.dtype == DType::Int8 && params_of(value);
}

DType OnnxEmitter::dtype_as_written(int value_id) const {
  return stores_as_uint8(value_id) ? DType::UInt8 : graph_.value(value_id).dtype;
}

std::optional<QuantParams> OnnxEmitter::params_as_written(int value_id) const {
  const std::optional<QuantParams> params = params_of(graph_.value(value_id));
  if (!params || !stores_as_uint8(value_id)) return params;
  return with_zero_points_moved(*params, 128);
}

std::optional<QuantizedWeight> OnnxEmitter::quantized_weight(int weight_value) const {
  int source = weight_value;
  if (!graph_.is_constant(source)) {
    const int producer = graph_.producer(weight_value);
    if (producer < 0) return std::nullopt;
    const Node& node = graph_.nodes[static_cast<std::size_t>(producer)];
    if (node.op != op::Dequantize || !graph_.is_constant(node.inputs.at(0))) return std::nullopt;
    source = node.inputs[0];
  }
  const Value& value = graph_.value(source);
  const std::optional<QuantParams> params = params_as_written(source);
  if (!params || (value.dtype != DType::Int8 && value.dtype != DType::UInt8)) return std::nullopt;
  return QuantizedWeight{source, with_codes_in(*value.constant, dtype_as_written(source)), *params};
}

std::string OnnxEmitter::initializer(const std::string& base, const Tensor& tensor) {
  const std::string name = fresh(base);
  *proto_.add_initializer() = tensor_to_onnx(tensor, name);
  return name;
}

std::string OnnxEmitter::float_scalar(float value) {
  auto found = float_scalars_.find(value);
  if (found != float_scalars_.end()) return found->second;
  std::string text = std::to_string(value);
  text.erase(text.find_last_not_of('0') + 1);
  if (!text.empty() && text.back() == '.') text.pop_back();
  const std::string name = initializer("const_" + text, Tensor::from_vector<float>({}, {value}));
  float_scalars_[value] = name;
  return name;
}

std::string OnnxEmitter::int64_vector(const std::string& base, const std::vector<std::int64_t>& values) {
  return initializer(base, Tensor::from_vector<std::int64_t>({static_cast<std::int64_t>(values.size())}, values));
}

void OnnxEmitter::add_same_op(const Node& node) {
  std::vector<std::string> inputs;
  for (int input : node.inputs) inputs.push_back(input == kNoValue ? "" : tensor(input));
  std::vector<std::string> outputs;
  for (std::size_t i = 0; i < node.outputs.size(); ++i) outputs.push_back(output_of(node, i));
  add_node(node.op, node.name, inputs, outputs);
}

onnx::NodeProto& OnnxEmitter::add_node(const std::string& op, const std::string& name,
                                       const std::vector<std::string>& inputs,
                                       const std::vector<std::string>& outputs) {
  onnx::NodeProto* node = proto_.add_node();
  node->set_op_type(op);
  node->set_name(name);
  for (const std::string& input : inputs) node->add_input(input);
  for (const std::string& output : outputs) node->add_output(output);
  return *node;
}

std::string OnnxEmitter::tensor(int value_id) {
  const auto index = static_cast<std::size_t>(value_id);
  if (written_.at(index)) return names_[index];
  const Value& value = graph_.value(value_id);
  if (value.constant && float16_constants_.count(value_id)) {
    const std::string halves = initializer(names_[index] + "_float16", value.constant->to_float16(value.name));
    set_attribute(add_node("Cast", fresh(names_[index] + "_to_float"), {halves}, {names_[index]}), "to",
                  static_cast<std::int64_t>(onnx::TensorProto_DataType_FLOAT));
    written_[index] = true;
    return names_[index];
  }
  if (value.constant) {
    const Tensor stored = with_codes_in(*value.constant, dtype_as_written(value_id));
    *proto_.add_initializer() = tensor_to_onnx(stored, names_[index]);
    written_[index] = true;
    return names_[index];
  }
  const int producer = graph_.producer(value_id);
  if (producer >= 0 && graph_.nodes[static_cast<std::size_t>(producer)].op == op::Dequantize) {
    emit_node(graph_.nodes[static_cast<std::size_t>(producer)]);
    return names_[index];
  }
  throw Error("value '" + value.name + "' is read before any node writes it");
}

std::string OnnxEmitter::dequantized(const std::string& base, const Tensor& codes, const QuantParams& params) {
  const std::string codes_name = initializer(base, codes);
  const std::string output = fresh(base + "_dequantized");
  write_dequantize(base + "_dequantize", codes_name, codes.dtype(), codes.shape(), params, output);
  return output;
}

void OnnxEmitter::write_dequantize(const std::string& node_name, const std::string& input, DType dtype,
                                   const Shape& shape, const QuantParams& params, const std::string& output) {
  if (!is_integer_code(dtype)) {
    throw Error("'" + input + "': cannot dequantize " + std::string(dtype_name(dtype)) + " codes");
  }
  check_onnx_quant_params(input, dtype, shape, params);
  const int rank = static_cast<int>(shape.size());
  if (!params.per_channel()) {
    std::vector<std::string> inputs{input, initializer(input + "_scale", Tensor::from_vector<float>({}, params.scale))};
    if (dtype != DType::Int32) {
      inputs.push_back(initializer(input + "_zero_point", code_tensor(dtype, {}, params.zero_point)));
    }
    add_node("DequantizeLinear", fresh(node_name), inputs, {output});
    return;
  }
  const auto channels = static_cast<std::int64_t>(params.scale.size());
  if (opset() >= 13) {
    std::vector<std::string> inputs{input,
                                    initializer(input + "_scale", Tensor::from_vector<float>({channels}, params.scale))};
    if (dtype != DType::Int32) {
      inputs.push_back(initializer(input + "_zero_point", code_tensor(dtype, {channels}, params.zero_point)));
    }
    onnx::NodeProto& node = add_node("DequantizeLinear", fresh(node_name), inputs, {output});
    set_attribute(node, "axis", static_cast<std::int64_t>(params.axis));
    return;
  }
  // Opsets 10-12 dequantize per tensor only: (float(code) - zero_point) * scale
  // with the parameters broadcast along the axis gives the same values.
  const Shape broadcast = axis_broadcast_shape(channels, params.axis, rank);
  std::string value = fresh(input + "_float");
  set_attribute(add_node("Cast", fresh(node_name + "_cast"), {input}, {value}), "to",
                static_cast<std::int64_t>(onnx::TensorProto_DataType_FLOAT));
  if (!params.symmetric()) {
    std::vector<float> zero_points(params.zero_point.begin(), params.zero_point.end());
    const std::string centered = fresh(input + "_centered");
    add_node("Sub", fresh(node_name + "_sub"),
             {value, initializer(input + "_zero_point", Tensor::from_vector<float>(broadcast, zero_points))},
             {centered});
    value = centered;
  }
  add_node("Mul", fresh(node_name + "_mul"),
           {value, initializer(input + "_scale", Tensor::from_vector<float>(broadcast, params.scale))}, {output});
}

std::string OnnxEmitter::float_tensor(int value_id) {
  const Value& value = graph_.value(value_id);
  if (!value.constant || value.dtype == DType::Float32) return tensor(value_id);
  const std::optional<QuantParams> params = params_as_written(value_id);
  if (!params) return tensor(value_id);
  auto cached = dequantized_constants_.find(value_id);
  if (cached != dequantized_constants_.end()) return cached->second;
  const std::string output = fresh(output_name(value_id) + "_dequantized");
  write_dequantize(output_name(value_id) + "_dequantize", tensor(value_id), dtype_as_written(value_id), value.shape,
                   *params, output);
  dequantized_constants_[value_id] = output;
  return output;
}

std::string OnnxEmitter::pre_activation_output(const Node& node) {
  const std::string activation = node.attrs.get_string("activation", "none");
  const std::string output = output_name(node.outputs.at(0));
  return activation == "none" ? output : fresh(output + "_linear");
}

void OnnxEmitter::finish_activation(const Node& node, const std::string& pre_activation) {
  const std::string activation = node.attrs.get_string("activation", "none");
  const std::string output = output_name(node.outputs.at(0));
  if (activation == "none") return;
  if (activation == "relu") {
    add_node("Relu", fresh(node.name + "_relu"), {pre_activation}, {output});
  } else if (activation == "relu6") {
    add_node("Clip", fresh(node.name + "_relu6"), {pre_activation, float_scalar(0.0f), float_scalar(6.0f)}, {output});
  } else {
    fail_export(node, "unknown fused activation '" + activation + "'");
  }
}

const std::vector<std::string>& OnnxEmitter::dynamic_quantized(int value_id) {
  auto found = dynamic_quantized_.find(value_id);
  if (found != dynamic_quantized_.end()) return found->second;
  const std::string input = tensor(value_id);
  std::vector<std::string> outputs{fresh(input + "_quantized"), fresh(input + "_scale"), fresh(input + "_zero_point")};
  add_node("DynamicQuantizeLinear", fresh(input + "_QuantizeLinear"), {input}, outputs);
  return dynamic_quantized_[value_id] = outputs;
}

void OnnxEmitter::emit_node(const Node& node) {
  if (const std::optional<std::string> refusal = onnx_export_refusal(node.op)) {
    fail_export(node, "op " + node.op + " cannot be written to ONNX: " + *refusal);
  }
  if (node.attrs.get_string("layout", "NCHW") != "NCHW") {
    fail_export(node, "layout " + node.attrs.get_string("layout") + " is the runtime's own form; ONNX files are NCHW");
  }
  const NodeWriter* writer = find_node_writer(node.op);
  if (!writer) fail_export(node, "op " + node.op + " has no ONNX form");
  (*writer)(*this, node);
  for (int output : node.outputs) written_.at(static_cast<std::size_t>(output)) = true;
}

}  // namespace edgeport
