// Dequantize: real = scale * (code - zero_point), with the parameters stored on
// the input value (Value::quant), per-tensor or per-axis. Input int8/uint8/int32.
// Quantize: code = clamp(round_half_even(x / scale) + zero_point), with the
// parameters on the output value; attrs dtype "int8"|"uint8" (default int8).
#include "core/ops/quantization.h"
#include "core/op_registry.h"

namespace edgeport {
namespace {

std::vector<ValueType> infer_dequantize(const Graph& graph, const Node& node) {
  const Value& input = node_input(graph, node, 0);
  if (!input.quant) fail_node(node, "input '" + input.name + "' has no quantization parameters");
  return {{DType::Float32, input.shape}};
}

std::vector<ValueType> infer_quantize(const Graph& graph, const Node& node) {
  const Value& input = node_input(graph, node, 0);
  const std::string dtype = node.attrs.get_string("dtype", "int8");
  if (dtype != "int8" && dtype != "uint8") fail_node(node, "dtype must be int8 or uint8");
  return {{dtype == "int8" ? DType::Int8 : DType::UInt8, input.shape}};
}

const OpRegistration dequantize({op::Dequantize, 1, 1, infer_dequantize});
const OpRegistration quantize({op::Quantize, 1, 1, infer_quantize});

}  // namespace
}  // namespace edgeport
