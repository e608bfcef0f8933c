// Linear: y = x W^T + b over the last axis, as torch.nn.Linear.
// inputs: X [..., in], W [out, in], optional B [out]
// attrs: activation "none"|"relu"|"relu6", hybrid 0|1 (see Conv).
#include "core/ops/linear.h"
#include "core/op_registry.h"

namespace edgeport {
namespace {

std::vector<ValueType> infer_linear(const Graph& graph, const Node& node) {
  Shape x = node_input(graph, node, 0).shape;
  const Shape& w = node_input(graph, node, 1).shape;
  if (x.empty() || w.size() != 2 || x.back() != w[1]) {
    fail_node(node, "input " + shape_to_string(x) + " does not match weight " + shape_to_string(w));
  }
  if (node.inputs.size() > 2 && node.inputs[2] != kNoValue) {
    const Shape& b = graph.value(node.inputs[2]).shape;
    if (b.size() != 1 || b[0] != w[0]) fail_node(node, "bias shape " + shape_to_string(b) + " does not match");
  }
  x.back() = w[0];
  return {{DType::Float32, x}};
}

const OpRegistration registration({op::Linear, 2, 3, infer_linear});

}  // namespace
}  // namespace edgeport
