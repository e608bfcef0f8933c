// Conv: 2-d convolution (cross-correlation, as PyTorch), NCHW.
// inputs: X [N,C,H,W], W [O,C/group,kH,kW], optional B [O]
// attrs: strides [2], pads [top,left,bottom,right], dilations [2], group,
//        activation "none"|"relu"|"relu6" (fused by passes/fuse_activations),
//        layout "NCHW" | "NHWC" (see conv_output_shape),
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
  const Shape output = conv_output_shape(x, w, node);
  if (node.inputs.size() > 2 && node.inputs[2] != kNoValue) {
    const Shape& b = graph.value(node.inputs[2]).shape;
    if (b.size() != 1 || b[0] != w[0]) fail_node(node, "bias shape " + shape_to_string(b) + " does not match");
  }
  return {{DType::Float32, output}};
}

const OpRegistration registration({op::Conv, 2, 3, infer_conv});

}  // namespace
}  // namespace edgeport
