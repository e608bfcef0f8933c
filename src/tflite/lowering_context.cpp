#include "tflite/lowering_context.h"

#include <algorithm>
#include <cstring>

#include "core/error.h"
#include "core/ops/quantization.h"
#include "tflite/builtin_options.h"

namespace edgeport {

namespace layout = tflite_layout;

tflite::TensorType tflite_tensor_type(DType dtype, const std::string& what) {
  switch (dtype) {
    case DType::Float32: return tflite::TensorType::FLOAT32;
    case DType::Float16: return tflite::TensorType::FLOAT16;
    case DType::Float64: return tflite::TensorType::FLOAT64;
    case DType::Int64: return tflite::TensorType::INT64;
    case DType::Int32: return tflite::TensorType::INT32;
    case DType::Int16: return tflite::TensorType::INT16;
    case DType::Int8: return tflite::TensorType::INT8;
    case DType::UInt8: return tflite::TensorType::UINT8;
    case DType::Bool: return tflite::TensorType::BOOL;
    case DType::BFloat16: break;
  }
  throw Error("TFLite writer: " + what + " is " + std::string(dtype_name(dtype)) +
              ", which this writer does not store");
}

void fail_lowering(const Node& node, const std::string& problem) {
  throw Error("TFLite writer: node '" + node.name + "' (" + node.op + "): " + problem);
}

namespace {

std::vector<std::int32_t> to_int32_shape(const Shape& shape, const std::string& what) {
  std::vector<std::int32_t> result;
  for (std::int64_t extent : shape) {
    if (extent < 0 || extent > INT32_MAX) throw Error("TFLite writer: " + what + " has extent out of int32 range");
    result.push_back(static_cast<std::int32_t>(extent));
  }
  return result;
}

std::vector<std::uint8_t> tensor_bytes(const Tensor& tensor) {
  return {tensor.raw(), tensor.raw() + tensor.nbytes()};
}

const std::optional<QuantParams>& quant_of(const Value& value) {
  return value.quant || !value.constant ? value.quant : value.constant->quant;
}

}  // namespace

LoweringContext::LoweringContext(const Graph& graph_in, const TfliteLoweringOptions& options_in,
                                 TfliteModelBuilder& builder_in)
    : graph(graph_in), options(options_in), builder(builder_in), placements_(graph_in.values.size()) {}

bool LoweringContext::is_graph_output(int value) const {
  return std::find(graph.outputs.begin(), graph.outputs.end(), value) != graph.outputs.end();
}

std::string LoweringContext::layout_name_suffix(const Perm& perm) const {
  std::string suffix;
  if (!layout::is_identity(perm)) suffix.append("_").append(layout_suffix(perm));
  return suffix;
}

std::string LoweringContext::layout_suffix(const Perm& perm) const {
  if (perm == layout::nhwc()) return "nhwc";
  if (perm.size() == 4 && layout::is_identity(perm)) return "nchw";
  std::string suffix = "perm";
  for (int axis : perm) suffix += std::to_string(axis);
  return suffix;
}

int LoweringContext::scratch(const std::string& name, tflite::TensorType type, const Shape& shape) {
  TfliteTensorSpec spec;
  spec.name = names.fresh(name);
  spec.type = type;
  spec.shape = to_int32_shape(shape, "tensor '" + name + "'");
  return builder.add_tensor(std::move(spec));
}

int LoweringContext::define(int value, const Perm& perm) {
  const Value& ir = graph.value(value);
  TfliteTensorSpec spec;
  spec.name = names.fresh(ir.name);
  spec.type = tflite_tensor_type(ir.dtype, "value '" + ir.name + "'");
  spec.shape = to_int32_shape(layout::permute_shape(ir.shape, perm), "value '" + ir.name + "'");
  if (ir.quant) {
    spec.quant = ir.quant;
    if (ir.quant->per_channel()) spec.quant->axis = layout::position_of(perm, ir.quant->axis);
  }
  const int tensor = builder.add_tensor(std::move(spec));
  alias(value, tensor, perm);
  return tensor;
}

void LoweringContext::alias(int value, int tensor, const Perm& perm) {
  placements_.at(static_cast<std::size_t>(value)).push_back({tensor, perm});
}

int LoweringContext::constant(const std::string& name, const Tensor& tensor) {
  TfliteTensorSpec spec;
  spec.name = names.fresh(name);
  spec.type = tflite_tensor_type(tensor.dtype(), "constant '" + name + "'");
  spec.shape = to_int32_shape(tensor.shape(), "constant '" + name + "'");
  spec.data = tensor_bytes(tensor);
  spec.constant = true;
  spec.quant = tensor.quant;
  return builder.add_tensor(std::move(spec));
}

int LoweringContext::int32_constant(const std::string& name, const std::vector<std::int64_t>& values) {
  return int32_constant(name, values, {static_cast<std::int64_t>(values.size())});
}

int LoweringContext::int32_constant(const std::string& name, const std::vector<std::int64_t>& values,
                                    const Shape& shape) {
  std::vector<std::int32_t> narrowed;
  for (std::int64_t value : values) {
    if (value < INT32_MIN || value > INT32_MAX) throw Error("TFLite writer: '" + name + "' exceeds int32");
    narrowed.push_back(static_cast<std::int32_t>(value));
  }
  return constant(name, Tensor::from_vector<std::int32_t>(shape, narrowed));
}

void LoweringContext::emit_reshape(int input, int output, const std::string& name) {
  const std::vector<std::int32_t> new_shape = builder.tensor(output).shape;
  const int shape = int32_constant(name + "/shape", std::vector<std::int64_t>(new_shape.begin(), new_shape.end()));
  builder.add_operator(tflite::BuiltinOperator::RESHAPE, {input, shape}, {output},
                       builtin_options(tflite::BuiltinOptions::ReshapeOptions, [new_shape](auto& fbb) {
                         return tflite::CreateReshapeOptions(fbb, fbb.CreateVector(new_shape));
                       }));
}

void LoweringContext::emit_transpose(int input, int output, const Perm& perm, const std::string& name) {
  const int perm_tensor = int32_constant(name + "/perm", std::vector<std::int64_t>(perm.begin(), perm.end()));
  builder.add_operator(tflite::BuiltinOperator::TRANSPOSE, {input, perm_tensor}, {output},
                       builtin_options(tflite::BuiltinOptions::TransposeOptions,
                                       [](auto& fbb) { return tflite::CreateTransposeOptions(fbb); }));
}

void LoweringContext::emit_dequantize(int input, int output) {
  builder.add_operator(tflite::BuiltinOperator::DEQUANTIZE, {input}, {output},
                       builtin_options(tflite::BuiltinOptions::DequantizeOptions,
                                       [](auto& fbb) { return tflite::CreateDequantizeOptions(fbb); }));
}

int LoweringContext::dequantized_constant_source(int value) const {
  const int producer = graph.producer(value);
  if (producer < 0) return kNoValue;
  const Node& node = graph.nodes[static_cast<std::size_t>(producer)];
  if (node.op != op::Dequantize || !graph.is_constant(node.inputs.at(0))) return kNoValue;
  return node.inputs[0];
}

LoweringContext::Perm LoweringContext::natural_perm(int value) {
  const auto& held = placements_.at(static_cast<std::size_t>(value));
  if (!held.empty()) return held.front().perm;
  return layout::identity(graph.value(value).shape.size());
}

int LoweringContext::place_constant(int value, const Perm& perm) {
  const Value& ir = graph.value(value);
  Tensor data = layout::permute_tensor(graph.constant(value), perm);
  if (!data.quant && ir.quant) {
    data.quant = ir.quant;
    if (ir.quant->per_channel()) data.quant->axis = layout::position_of(perm, ir.quant->axis);
  }
  const int tensor = constant(ir.name + layout_name_suffix(perm), data);
  alias(value, tensor, perm);
  return tensor;
}

// A Dequantize of a constant is emitted where it is needed, in the layout
// needed, so the int8 data itself is stored in that layout.
int LoweringContext::place_dequantized_constant(int value, int source, const Perm& perm) {
  const int codes = tensor_for(source, perm);
  const int output = define(value, perm);
  emit_dequantize(codes, output);
  return output;
}

int LoweringContext::convert(int value, const Placement& from, const Perm& to) {
  const Value& ir = graph.value(value);
  const std::string name = ir.name + "_" + layout_suffix(to);
  const Shape target = layout::permute_shape(ir.shape, to);
  auto order = [&](const Perm& perm) {
    Perm non_unit;
    for (int axis : perm) {
      if (ir.shape[static_cast<std::size_t>(axis)] != 1) non_unit.push_back(axis);
    }
    return non_unit;
  };
  TfliteTensorSpec spec;
  spec.name = names.fresh(name);
  spec.type = builder.tensor(from.tensor).type;
  spec.shape = to_int32_shape(target, "value '" + ir.name + "'");
  spec.quant = builder.tensor(from.tensor).quant;
  if (spec.quant && ir.quant && ir.quant->per_channel()) spec.quant->axis = layout::position_of(to, ir.quant->axis);
  const int output = builder.add_tensor(std::move(spec));
  // At the model's interface the layout change stays a visible TRANSPOSE,
  // even where a RESHAPE would move the same elements.
  const bool interface = is_graph_output(value) ||
                         std::find(graph.inputs.begin(), graph.inputs.end(), value) != graph.inputs.end();
  if (!interface && order(from.perm) == order(to)) {
    emit_reshape(from.tensor, output, name);
  } else {
    emit_transpose(from.tensor, output, layout::compose(layout::inverse(from.perm), to), name);
  }
  alias(value, output, to);
  return output;
}

int LoweringContext::tensor_for(int value, const Perm& perm) {
  const Value& ir = graph.value(value);
  layout::check_permutation(perm, ir.shape.size(), "layout of '" + ir.name + "'");
  const auto& held = placements_.at(static_cast<std::size_t>(value));
  for (const Placement& placement : held) {
    if (placement.perm == perm) return placement.tensor;
  }
  if (ir.constant) return place_constant(value, perm);
  const int source = dequantized_constant_source(value);
  if (source != kNoValue) return place_dequantized_constant(value, source, perm);
  if (held.empty()) throw Error("TFLite writer: value '" + ir.name + "' is used before it is produced");
  const Placement from = held.front();
  return convert(value, from, perm);
}

LoweringContext::Perm LoweringContext::shared_perm(const std::vector<int>& operands, std::size_t rank) {
  std::vector<Perm> candidates;
  if (rank == 4) candidates.push_back(layout::nhwc());
  for (int operand : operands) {
    if (graph.is_constant(operand) || graph.value(operand).shape.size() != rank) continue;
    for (const Placement& placement : placements_.at(static_cast<std::size_t>(operand))) {
      if (std::find(candidates.begin(), candidates.end(), placement.perm) == candidates.end()) {
        candidates.push_back(placement.perm);
      }
    }
  }
  Perm best = layout::identity(rank);
  int best_score = 0;
  for (const Perm& candidate : candidates) {
    int score = 0;
    for (int operand : operands) {
      const auto& held = placements_.at(static_cast<std::size_t>(operand));
      score += std::any_of(held.begin(), held.end(), [&](const Placement& p) { return p.perm == candidate; }) ? 1 : 0;
    }
    if (score > best_score) {
      best = candidate;
      best_score = score;
    }
  }
  return best;
}

std::pair<int, LoweringContext::Perm> LoweringContext::order_keeping_tensor(int value) {
  const Value& ir = graph.value(value);
  for (const Placement& placement : placements_.at(static_cast<std::size_t>(value))) {
    if (layout::keeps_element_order(ir.shape, placement.perm)) return {placement.tensor, placement.perm};
  }
  const Perm identity = layout::identity(ir.shape.size());
  return {tensor_for(value, identity), identity};
}

int LoweringContext::broadcast_operand(int value, std::size_t rank, const Perm& perm) {
  const Value& ir = graph.value(value);
  if (ir.shape.size() == rank) return tensor_for(value, perm);
  if (ir.shape.size() > rank) throw Error("TFLite writer: '" + ir.name + "' has more axes than the op's output");
  Shape expanded(rank - ir.shape.size(), 1);
  expanded.insert(expanded.end(), ir.shape.begin(), ir.shape.end());
  const Shape target = layout::permute_shape(expanded, perm);
  const std::string name = ir.name + "_" + std::to_string(rank) + "d";
  if (ir.constant) {
    Tensor data = layout::permute_tensor(graph.constant(value).reshaped(expanded), perm);
    return constant(name, data);
  }
  const auto [source, source_perm] = order_keeping_tensor(value);
  const bool order_kept = layout::keeps_element_order(expanded, perm);
  const int reshaped = scratch(order_kept ? name : name + "_nchw", builder.tensor(source).type, order_kept ? target : expanded);
  emit_reshape(source, reshaped, name);
  if (order_kept) return reshaped;
  const int transposed = scratch(name, builder.tensor(source).type, target);
  emit_transpose(reshaped, transposed, perm, name);
  return transposed;
}

int LoweringContext::float16_behind_dequantize(int value, const Perm& perm) {
  const auto key = std::make_pair(value, perm);
  auto found = float16_weights_.find(key);
  if (found != float16_weights_.end()) return found->second;
  const Value& ir = graph.value(value);
  const Tensor laid_out = layout::permute_tensor(graph.constant(value), perm);
  const int codes = constant(ir.name + "_float16", laid_out.to_float16(ir.name));
  const int output = scratch(ir.name + layout_name_suffix(perm), tflite::TensorType::FLOAT32, laid_out.shape());
  emit_dequantize(codes, output);
  ++counts.float16_weights;
  float16_weights_[key] = output;
  return output;
}

LoweringContext::Weight LoweringContext::weight(const Node& node, int value, const Perm& perm, int channel_dimension) {
  const Value& ir = graph.value(value);
  const std::string what = "weight '" + ir.name + "'";
  if (ir.constant && ir.dtype == DType::Int8) {
    const auto& quant = quant_of(ir);
    if (!quant) fail_lowering(node, what + " is int8 without quantization parameters");
    if (!quant->symmetric()) {
      fail_lowering(node,
                    what + " feeds a hybrid op but has nonzero zero points, which TFLite's hybrid kernels ignore");
    }
    return {hybrid_filter(node, what, value, perm, channel_dimension), true};
  }
  if (ir.constant && ir.dtype == DType::Float32) {
    if (options.quantization == "float16") return {float16_behind_dequantize(value, perm), false};
    return {tensor_for(value, perm), false};
  }
  const int source = dequantized_constant_source(value);
  if (source == kNoValue) fail_lowering(node, what + " is not a constant");
  const auto& quant = quant_of(graph.value(source));
  const bool hybrid = options.quantization == "dynamic" && graph.value(source).dtype == DType::Int8 && quant &&
                      quant->symmetric() && quant->axis <= 0;
  if (!hybrid) {
    ++counts.dequantized_weights;
    return {tensor_for(value, perm), false};
  }
  return {hybrid_filter(node, what, source, perm, channel_dimension), true};
}

int LoweringContext::hybrid_filter(const Node& node, const std::string& what, int codes_value, const Perm& perm,
                                   int channel_dimension) {
  const Value& codes = graph.value(codes_value);
  QuantParams quant = *quant_of(codes);
  quant.check(codes.shape, "TFLite writer: node '" + node.name + "' (" + node.op + "): " + what);
  if (quant.per_channel() && quant.axis != 0) {
    fail_lowering(node, what + " is quantized along axis " + std::to_string(quant.axis) +
                            "; hybrid ops need one scale per output channel");
  }
  Tensor data = layout::permute_tensor(graph.constant(codes_value), perm);
  // Hybrid kernels with one scale per output channel all quantize their input
  // asymmetrically; a per-tensor scale is repeated per channel to get them.
  const auto channels = static_cast<std::size_t>(data.shape().at(static_cast<std::size_t>(channel_dimension)));
  if (!quant.per_channel()) {
    quant.scale.assign(channels, quant.scale.at(0));
    quant.zero_point.assign(channels, 0);
  }
  quant.axis = channel_dimension;
  data.quant = quant;
  ++counts.hybrid_ops;
  return constant(codes.name + layout_name_suffix(perm), data);
}

int LoweringContext::bias(const Node& node, int value, std::int64_t channels) {
  if (value == kNoValue) {
    return constant(node.name + "/zero_bias", Tensor(DType::Float32, {channels}));
  }
  const Value& ir = graph.value(value);
  if (ir.constant && ir.dtype == DType::Float32 && options.quantization == "float16") {
    return float16_behind_dequantize(value, layout::identity(1));
  }
  if (!ir.constant && dequantized_constant_source(value) == kNoValue) {
    fail_lowering(node, "bias '" + ir.name + "' is not a constant");
  }
  if (ir.dtype != DType::Float32) {
    fail_lowering(node, "bias '" + ir.name + "' is " + std::string(dtype_name(ir.dtype)) + ", expected float32");
  }
  return tensor_for(value, layout::identity(1));
}

LoweringContext::Perm LoweringContext::interface_perm(int value) const {
  const std::size_t rank = graph.value(value).shape.size();
  return options.nhwc_interface && rank == 4 ? layout::nhwc() : layout::identity(rank);
}

void LoweringContext::declare_inputs() {
  std::vector<int> inputs;
  for (int value : graph.inputs) inputs.push_back(define(value, interface_perm(value)));
  builder.set_inputs(inputs);
}

void LoweringContext::declare_outputs() {
  std::vector<int> outputs;
  for (int value : graph.outputs) {
    const Value& ir = graph.value(value);
    const int tensor = tensor_for(value, interface_perm(value));
    // The interface tensor carries the value's own name; the tensor it was
    // converted from gets a layout suffix.
    if (builder.tensor(tensor).name != ir.name) {
      for (const Placement& placement : placements_.at(static_cast<std::size_t>(value))) {
        TfliteTensorSpec& other = builder.tensor(placement.tensor);
        if (other.name == ir.name) other.name = names.fresh(ir.name + "_" + layout_suffix(placement.perm));
      }
      builder.tensor(tensor).name = ir.name;
    }
    outputs.push_back(tensor);
  }
  builder.set_outputs(outputs);
}

}  // namespace edgeport
