// The integer ops of ONNX's dynamic quantization, with ONNX semantics.
//
// DynamicQuantizeLinear: x float32 -> (y uint8 [x's shape], y_scale float32 [],
//   y_zero_point uint8 []), with the range of x widened to include 0,
//   y_scale = (max - min) / 255 (1 when the range is empty),
//   y_zero_point = round_half_even(clamp(-min / y_scale, 0, 255)),
//   y = clamp(round_half_even(x / y_scale) + y_zero_point, 0, 255).
// ConvInteger: x [N,C,H,W] uint8|int8, w [O,C/group,kH,kW] uint8|int8, optional
//   x_zero_point (one element), optional w_zero_point (one element or [O]) ->
//   int32 sum of (x - x_zero_point) * (w - w_zero_point); padding contributes 0.
//   attrs as Conv: strides, pads [top,left,bottom,right], dilations, group.
// MatMulInteger: a [..., M, K] uint8|int8, b [K, N] uint8|int8, optional
//   a_zero_point (one element), optional b_zero_point (one element or [N]) ->
//   int32 [..., M, N].
#include "core/ops/onnx_integer_ops.h"
#include "core/op_registry.h"
#include "core/ops/shape_rules.h"

namespace edgeport {
namespace {

bool is_8bit(DType dtype) { return dtype == DType::UInt8 || dtype == DType::Int8; }

void check_zero_point(const Graph& graph, const Node& node, std::size_t index, const Value& quantized,
                      std::int64_t per_channel_extent) {
  if (node.inputs.size() <= index || node.inputs[index] == kNoValue) return;
  const Value& zero_point = graph.value(node.inputs[index]);
  if (zero_point.dtype != quantized.dtype) {
    fail_node(node, "zero point '" + zero_point.name + "' is " + std::string(dtype_name(zero_point.dtype)) +
                        ", its operand is " + std::string(dtype_name(quantized.dtype)));
  }
  const std::int64_t count = shape_numel(zero_point.shape);
  const bool per_channel = zero_point.shape.size() == 1 && count == per_channel_extent;
  if (count != 1 && !per_channel) {
    fail_node(node, "zero point '" + zero_point.name + "' has shape " + shape_to_string(zero_point.shape));
  }
}

std::vector<ValueType> infer_dynamic_quantize(const Graph& graph, const Node& node) {
  const Value& x = node_input(graph, node, 0);
  if (x.dtype != DType::Float32) fail_node(node, "expects a float32 input");
  return {{DType::UInt8, x.shape}, {DType::Float32, {}}, {DType::UInt8, {}}};
}

std::vector<ValueType> infer_conv_integer(const Graph& graph, const Node& node) {
  const Value& x = node_input(graph, node, 0);
  const Value& w = node_input(graph, node, 1);
  if (!is_8bit(x.dtype) || !is_8bit(w.dtype)) fail_node(node, "expects uint8 or int8 input and weight");
  const Shape output = conv_output_shape(x.shape, w.shape, node);
  check_zero_point(graph, node, 2, x, -1);
  check_zero_point(graph, node, 3, w, w.shape[0]);
  return {{DType::Int32, output}};
}

std::vector<ValueType> infer_matmul_integer(const Graph& graph, const Node& node) {
  const Value& a = node_input(graph, node, 0);
  const Value& b = node_input(graph, node, 1);
  if (!is_8bit(a.dtype) || !is_8bit(b.dtype)) fail_node(node, "expects uint8 or int8 operands");
  if (a.shape.size() < 2 || b.shape.size() != 2 || a.shape.back() != b.shape[0]) {
    fail_node(node, "operands " + shape_to_string(a.shape) + " and " + shape_to_string(b.shape) +
                        " do not multiply (b must be 2-d)");
  }
  check_zero_point(graph, node, 2, a, -1);
  check_zero_point(graph, node, 3, b, b.shape[1]);
  Shape out = a.shape;
  out.back() = b.shape[1];
  return {{DType::Int32, out}};
}

const OpRegistration dynamic_quantize({op::DynamicQuantizeLinear, 1, 1, infer_dynamic_quantize});
const OpRegistration conv_integer({op::ConvInteger, 2, 4, infer_conv_integer});
const OpRegistration matmul_integer({op::MatMulInteger, 2, 4, infer_matmul_integer});

}  // namespace
}  // namespace edgeport
