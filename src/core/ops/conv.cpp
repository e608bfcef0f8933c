// Conv: 2-d convolution (cross-correlation, as PyTorch), NCHW.
// inputs: X [N,C,H,W], W [O,C/group,kH,kW], optional B [O]
// attrs: strides [2], pads [top,left,bottom,right], dilations [2], group,
//        activation "none"|"relu"|"relu6" (fused by passes/fuse_activations),
//        hybrid 0|1 (weights come from a symmetric int8 Dequantize and the
//        activations are quantized on the fly, as TFLite's hybrid kernels do).
#include "core/ops/conv.h"
#include "core/op_registry.h"
#include "core/ops/shape_rules.h"

namespace edgeport {
namespace {

std::vector<ValueType> infer_conv(const Graph& graph, const Node& node) {
  const Shape& x = node_input(graph, node, 0).shape;
  const Shape& w = node_input(graph, node, 1).shape;
  if (x.size() != 4 || w.size() != 4) fail_node(node, "expects 4-d input and weight");
  const std::int64_t group = node.attrs.get_int("group", 1);
  if (group <= 0 || x[1] % group != 0 || w[0] % group != 0 || w[1] * group != x[1]) {
    fail_node(node, "weight " + shape_to_string(w) + " does not match input " + shape_to_string(x) +
                        " with group " + std::to_string(group));
  }
  if (node.inputs.size() > 2 && node.inputs[2] != kNoValue) {
    const Shape& b = graph.value(node.inputs[2]).shape;
    if (b.size() != 1 || b[0] != w[0]) fail_node(node, "bias shape " + shape_to_string(b) + " does not match");
  }
  const Window2d window = read_window(node, {w[2], w[3]});
  const std::int64_t out_h = window_output(x[2], w[2], window.strides[0], window.pads[0], window.pads[2],
                                           window.dilations[0], false, node);
  const std::int64_t out_w = window_output(x[3], w[3], window.strides[1], window.pads[1], window.pads[3],
                                           window.dilations[1], false, node);
  return {{DType::Float32, {x[0], w[0], out_h, out_w}}};
}

const OpRegistration registration({op::Conv, 2, 3, infer_conv});

}  // namespace
}  // namespace edgeport
