#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string>

#include "core/ops/binary.h"
#include "core/ops/conv.h"
#include "core/ops/linear.h"
#include "core/ops/mean.h"
#include "core/ops/integer.h"
#include "core/ops/pad.h"
#include "core/ops/pool.h"
#include "core/ops/quantization.h"
#include "core/ops/reshape.h"
#include "passes/passes.h"

namespace edgeport {
namespace {

// The node producing value_id when it is a Dequantize of a `dtype` value.
const Node* dequantize_of(const Graph& graph, int value_id, DType dtype) {
  if (value_id == kNoValue) return nullptr;
  const int producer = graph.producer(value_id);
  if (producer < 0) return nullptr;
  const Node& node = graph.nodes[static_cast<std::size_t>(producer)];
  if (node.op != op::Dequantize || graph.value(node.inputs[0]).dtype != dtype) return nullptr;
  return &node;
}

// The index of the one Quantize to int8 that alone reads node's output.
int sole_int8_quantize(const Graph& graph, const Node& node) {
  const int output = node.outputs.at(0);
  for (int graph_output : graph.outputs) {
    if (graph_output == output) return -1;
  }
  const std::vector<int> readers = graph.consumers(output);
  if (readers.size() != 1) return -1;
  const Node& reader = graph.nodes[static_cast<std::size_t>(readers[0])];
  if (reader.op != op::Quantize || graph.value(reader.outputs[0]).dtype != DType::Int8) return -1;
  return readers[0];
}

bool per_tensor(const Value& value) { return value.quant && !value.quant->per_channel() && value.quant->scale.size() == 1; }

bool same_quant(const Value& a, const Value& b) {
  return per_tensor(a) && per_tensor(b) && a.quant->scale == b.quant->scale && a.quant->zero_point == b.quant->zero_point;
}

// Conv -> IntegerConv, Linear -> IntegerLinear.
bool lower_weighted(Graph& graph, Node& conv, int quantize) {
  const Node* input = dequantize_of(graph, conv.inputs[0], DType::Int8);
  const Node* weight = dequantize_of(graph, conv.inputs[1], DType::Int8);
  const bool has_bias = conv.inputs.size() > 2 && conv.inputs[2] != kNoValue;
  const Node* bias = has_bias ? dequantize_of(graph, conv.inputs[2], DType::Int32) : nullptr;
  if (!input || !weight || (has_bias && !bias) || conv.attrs.get_int("hybrid", 0) != 0) return false;
  if (!per_tensor(graph.value(input->inputs[0])) || !graph.is_constant(weight->inputs[0])) return false;
  if (bias && !graph.is_constant(bias->inputs[0])) return false;
  std::vector<int> inputs = {input->inputs[0], weight->inputs[0]};
  if (bias) inputs.push_back(bias->inputs[0]);
  conv.op = conv.op == op::Conv ? op::IntegerConv : op::IntegerLinear;
  conv.inputs = std::move(inputs);
  conv.outputs = graph.nodes[static_cast<std::size_t>(quantize)].outputs;
  return true;
}

// Dequantize, Dequantize -> Add -> Quantize of two int8 tensors of one shape.
bool lower_add(Graph& graph, Node& add, int quantize) {
  const Node* a = dequantize_of(graph, add.inputs.at(0), DType::Int8);
  const Node* b = dequantize_of(graph, add.inputs.at(1), DType::Int8);
  if (!a || !b) return false;
  const Value& a_codes = graph.value(a->inputs[0]);
  const Value& b_codes = graph.value(b->inputs[0]);
  if (!per_tensor(a_codes) || !per_tensor(b_codes) || a_codes.shape != b_codes.shape) return false;
  add.op = op::IntegerAdd;
  add.inputs = {a->inputs[0], b->inputs[0]};
  add.outputs = graph.nodes[static_cast<std::size_t>(quantize)].outputs;
  return true;
}

// Dequantize -> Mean over H and W of an [N,C,H,W] tensor keeping its dims (or
// GlobalAveragePool) -> Quantize.
bool lower_mean(Graph& graph, Node& mean, int quantize) {
  const Node* input = dequantize_of(graph, mean.inputs.at(0), DType::Int8);
  if (!input || !per_tensor(graph.value(input->inputs[0]))) return false;
  const Shape& shape = graph.value(input->inputs[0]).shape;
  if (shape.size() != 4) return false;
  if (mean.op == op::Mean) {
    std::vector<std::int64_t> axes = mean.attrs.get_ints("axes");
    for (std::int64_t& axis : axes) axis = axis < 0 ? axis + 4 : axis;
    std::sort(axes.begin(), axes.end());
    if (axes != std::vector<std::int64_t>{2, 3} || mean.attrs.get_int("keepdims", 1) == 0) return false;
  }
  mean.op = op::IntegerMean;
  mean.attrs = Attributes{};
  mean.inputs = {input->inputs[0]};
  mean.outputs = graph.nodes[static_cast<std::size_t>(quantize)].outputs;
  return true;
}

// A Pad between a Dequantize and a Quantize with the same parameters pads
// the codes with the code of its pad value (the zero point for 0).
bool lower_pad(Graph& graph, Node& pad, int quantize) {
  const Node* input = dequantize_of(graph, pad.inputs[0], DType::Int8);
  if (!input) return false;
  const Value& codes = graph.value(input->inputs[0]);
  const Value& output = graph.value(graph.nodes[static_cast<std::size_t>(quantize)].outputs[0]);
  if (!same_quant(codes, output)) return false;
  const double value = pad.attrs.get_float("value", 0.0);
  const double code = std::nearbyint(value / static_cast<double>(codes.quant->scale[0])) + codes.quant->zero_point[0];
  if (code < -128 || code > 127) return false;
  pad.inputs = {input->inputs[0]};
  pad.attrs.set("value", code);
  pad.outputs = graph.nodes[static_cast<std::size_t>(quantize)].outputs;
  return true;
}

// A Reshape, Flatten or MaxPool between a Dequantize and a Quantize with the
// same parameters moves (or picks among) the codes as they are. A max pool's
// padding then holds the lowest code, as TFLite's int8 MAX_POOL_2D and a PAD
// with the zero point give only when the zero point is -128: other padded
// max pools stay float.
bool lower_moved_codes(Graph& graph, Node& node, int quantize) {
  const Node* input = dequantize_of(graph, node.inputs[0], DType::Int8);
  if (!input) return false;
  const Value& output = graph.value(graph.nodes[static_cast<std::size_t>(quantize)].outputs[0]);
  const Value& codes = graph.value(input->inputs[0]);
  if (!same_quant(codes, output)) return false;
  if (node.op == op::MaxPool && codes.quant->zero_point[0] != -128) {
    const std::vector<std::int64_t> pads = node.attrs.get_ints("pads", {0, 0, 0, 0});
    if (std::any_of(pads.begin(), pads.end(), [](std::int64_t pad) { return pad != 0; }) ||
        node.attrs.get_int("ceil_mode", 0) != 0) {
      return false;
    }
  }
  node.inputs[0] = input->inputs[0];
  node.outputs = graph.nodes[static_cast<std::size_t>(quantize)].outputs;
  return true;
}

// Each lowering renames or rewires the op it lowers, so a node is lowered once.
using Lowering = bool (*)(Graph& graph, Node& node, int quantize);
const std::map<std::string, Lowering> kLowerings = {
    {op::Conv, lower_weighted},       {op::Linear, lower_weighted},          {op::Add, lower_add},
    {op::Mean, lower_mean},           {op::GlobalAveragePool, lower_mean},   {op::Pad, lower_pad},
    {op::Reshape, lower_moved_codes}, {op::Flatten, lower_moved_codes},      {op::MaxPool, lower_moved_codes},
};

}  // namespace

int lower_qdq_to_integer(Graph& graph) {
  std::set<int> fused_quantizes;
  for (Node& node : graph.nodes) {
    const auto lowering = kLowerings.find(node.op);
    if (lowering == kLowerings.end()) continue;
    const int quantize = sole_int8_quantize(graph, node);
    if (quantize >= 0 && lowering->second(graph, node, quantize)) fused_quantizes.insert(quantize);
  }
  if (fused_quantizes.empty()) return 0;
  std::vector<Node> kept;
  for (std::size_t i = 0; i < graph.nodes.size(); ++i) {
    if (!fused_quantizes.contains(static_cast<int>(i))) kept.push_back(std::move(graph.nodes[i]));
  }
  graph.nodes = std::move(kept);
  graph.compact();
  graph.infer_shapes();
  graph.validate();
  return static_cast<int>(fused_quantizes.size());
}

}  // namespace edgeport
