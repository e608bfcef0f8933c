// IntegerConv: a Conv on int8 codes, as TFLite's int8 CONV_2D /
// DEPTHWISE_CONV_2D compute it. The runtime's integer rewrite makes it from
// Dequantize -> Conv -> Quantize of the static quantizer's QDQ graph; the
// writers take that QDQ graph, never this op.
// inputs: X int8 [N,C,H,W] (per-tensor quant on the value), W int8 [O,C/group,
// kH,kW] (symmetric, per output channel or per tensor), optional B int32 [O]
// (scale input x weight, zero point 0). attrs: those of Conv, activation
// included. The output's quantization is set on its value.
// IntegerLinear: a Linear on int8 codes, as TFLite's int8 FULLY_CONNECTED;
// inputs and attrs as IntegerConv's, with Linear's shapes (X [..., in], W
// [out, in], B [out]).
// IntegerAdd: an Add of two int8 tensors of one shape, as TFLite's int8 ADD
// computes it; attrs: activation. Made from Dequantize, Dequantize -> Add ->
// Quantize.
// IntegerMean: the mean of an int8 [N,C,H,W] tensor over H and W into
// [N,C,1,1], as TFLite's int8 MEAN with keep_dims computes it. Made from
// Dequantize -> Mean (axes H and W, keepdims) or GlobalAveragePool ->
// Quantize. Without keepdims TFLite Micro takes another arithmetic, so such a
// Mean stays float between its Dequantize and Quantize.
#include "core/ops/integer.h"
#include "core/op_registry.h"
#include "core/ops/shape_rules.h"

namespace edgeport {
namespace {

void expect_dtype(const Node& node, const Value& value, DType dtype) {
  if (value.dtype != dtype) {
    fail_node(node, "'" + value.name + "' is " + std::string(dtype_name(value.dtype)) + ", expected " +
                        std::string(dtype_name(dtype)));
  }
}

std::vector<ValueType> infer_integer_conv(const Graph& graph, const Node& node) {
  const Value& x = node_input(graph, node, 0);
  const Value& w = node_input(graph, node, 1);
  expect_dtype(node, x, DType::Int8);
  expect_dtype(node, w, DType::Int8);
  if (node.inputs.size() > 2 && node.inputs[2] != kNoValue) {
    const Value& b = graph.value(node.inputs[2]);
    expect_dtype(node, b, DType::Int32);
    if (b.shape.size() != 1 || b.shape[0] != w.shape.at(0)) {
      fail_node(node, "bias shape " + shape_to_string(b.shape) + " does not match");
    }
  }
  return {{DType::Int8, conv_output_shape(x.shape, w.shape, node)}};
}

std::vector<ValueType> infer_integer_linear(const Graph& graph, const Node& node) {
  const Value& x = node_input(graph, node, 0);
  const Value& w = node_input(graph, node, 1);
  expect_dtype(node, x, DType::Int8);
  expect_dtype(node, w, DType::Int8);
  if (x.shape.empty() || w.shape.size() != 2 || x.shape.back() != w.shape[1]) {
    fail_node(node, "input " + shape_to_string(x.shape) + " does not match weight " + shape_to_string(w.shape));
  }
  if (node.inputs.size() > 2 && node.inputs[2] != kNoValue) {
    const Value& b = graph.value(node.inputs[2]);
    expect_dtype(node, b, DType::Int32);
    if (b.shape.size() != 1 || b.shape[0] != w.shape[0]) {
      fail_node(node, "bias shape " + shape_to_string(b.shape) + " does not match");
    }
  }
  Shape y = x.shape;
  y.back() = w.shape[0];
  return {{DType::Int8, y}};
}

std::vector<ValueType> infer_integer_add(const Graph& graph, const Node& node) {
  const Value& a = node_input(graph, node, 0);
  const Value& b = node_input(graph, node, 1);
  expect_dtype(node, a, DType::Int8);
  expect_dtype(node, b, DType::Int8);
  if (a.shape != b.shape) {
    fail_node(node, "operands differ in shape: " + shape_to_string(a.shape) + " and " + shape_to_string(b.shape));
  }
  return {{DType::Int8, a.shape}};
}

std::vector<ValueType> infer_integer_mean(const Graph& graph, const Node& node) {
  const Value& x = node_input(graph, node, 0);
  expect_dtype(node, x, DType::Int8);
  if (x.shape.size() != 4) fail_node(node, "expects an [N,C,H,W] input, given " + shape_to_string(x.shape));
  return {{DType::Int8, {x.shape[0], x.shape[1], 1, 1}}};
}

const OpRegistration registration({op::IntegerConv, 2, 3, infer_integer_conv});
const OpRegistration mean_registration({op::IntegerMean, 1, 1, infer_integer_mean});
const OpRegistration add_registration({op::IntegerAdd, 2, 2, infer_integer_add});
const OpRegistration linear_registration({op::IntegerLinear, 2, 3, infer_integer_linear});

}  // namespace
}  // namespace edgeport
