#include "tflite/integer_interface.h"

#include <algorithm>

#include "core/error.h"
#include "core/ops/quantization.h"

namespace edgeport {
namespace {

const Node* sole_quantize_reader(const Graph& graph, int input) {
  const std::vector<int> readers = graph.consumers(input);
  if (readers.size() != 1) return nullptr;
  const Node& reader = graph.nodes[static_cast<std::size_t>(readers[0])];
  if (reader.op != op::Quantize || graph.value(reader.outputs[0]).dtype != DType::Int8) return nullptr;
  return &reader;
}

const Node* int8_dequantize_producer(const Graph& graph, int output) {
  const int producer = graph.producer(output);
  if (producer < 0) return nullptr;
  const Node& node = graph.nodes[static_cast<std::size_t>(producer)];
  if (node.op != op::Dequantize || graph.value(node.inputs[0]).dtype != DType::Int8) return nullptr;
  return &node;
}

// The uint8 parameters of the same real values as int8 `codes`: the scale
// kept, the zero point moved by 128, so that a requantization between the
// two is an exact shift.
QuantParams as_uint8(const Graph& graph, int codes) {
  const Value& value = graph.value(codes);
  if (!value.quant || value.quant->scale.size() != 1 || value.quant->zero_point.size() != 1) {
    throw Error("TFLite writer: --io-type uint8: '" + value.name + "' has no per-tensor quantization parameters");
  }
  QuantParams shifted = *value.quant;
  shifted.zero_point[0] += 128;
  return shifted;
}

// uint8 camera bytes in and out: the float input becomes uint8, so its
// Quantize requantizes to the int8 codes; the output Dequantize becomes a
// requantization of the int8 codes to uint8.
void set_uint8_interface(Graph& graph) {
  for (int input : graph.inputs) {
    const Node* quantize = sole_quantize_reader(graph, input);
    if (!quantize) {
      throw Error("TFLite writer: --io-type uint8: input '" + graph.value(input).name +
                  "' is not read by one Quantize to int8");
    }
    const QuantParams params = as_uint8(graph, quantize->outputs[0]);
    graph.value(input).dtype = DType::UInt8;
    graph.value(input).quant = params;
  }
  for (int output : graph.outputs) {
    const Node* dequantize = int8_dequantize_producer(graph, output);
    if (!dequantize) {
      throw Error("TFLite writer: --io-type uint8: output '" + graph.value(output).name +
                  "' is not a Dequantize of int8 codes");
    }
    const QuantParams params = as_uint8(graph, dequantize->inputs[0]);
    Node& node = graph.nodes[static_cast<std::size_t>(graph.producer(output))];
    node.op = op::Quantize;
    node.attrs.set("dtype", std::string("uint8"));
    graph.value(output).dtype = DType::UInt8;
    graph.value(output).quant = params;
  }
  graph.validate();
}

}  // namespace

void set_integer_interface(Graph& graph, const std::string& io_type) {
  if (io_type == "float") return;
  if (io_type == "uint8") return set_uint8_interface(graph);
  if (io_type != "int8") {
    throw Error("TFLite writer: --io-type '" + io_type + "' is not written (float, int8 or uint8)");
  }
  for (int& input : graph.inputs) {
    const std::string name = graph.value(input).name;
    const Node* quantize = sole_quantize_reader(graph, input);
    if (!quantize) throw Error("TFLite writer: --io-type int8: input '" + name + "' is not read by one Quantize to int8");
    const int codes = quantize->outputs[0];
    graph.value(input).name = graph.unique_name(name + "_float");
    graph.value(codes).name = name;
    input = codes;
  }
  for (int& output : graph.outputs) {
    const std::string name = graph.value(output).name;
    const Node* dequantize = int8_dequantize_producer(graph, output);
    if (!dequantize) throw Error("TFLite writer: --io-type int8: output '" + name + "' is not a Dequantize of int8 codes");
    const int codes = dequantize->inputs[0];
    graph.value(output).name = graph.unique_name(name + "_float");
    graph.value(codes).name = name;
    output = codes;
  }
  // The interface Quantize nodes now write graph inputs: drop them.
  std::vector<Node> kept;
  for (Node& node : graph.nodes) {
    const bool writes_input = node.op == op::Quantize &&
                              std::find(graph.inputs.begin(), graph.inputs.end(), node.outputs[0]) != graph.inputs.end();
    if (!writes_input) kept.push_back(std::move(node));
  }
  graph.nodes = std::move(kept);
  graph.compact();
  graph.validate();
}

}  // namespace edgeport
