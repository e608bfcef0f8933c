// Elu: x for x > 0, alpha * (exp(x) - 1) otherwise (PyTorch's nn.ELU, ONNX's
// Elu). attrs alpha (default 1), which must be positive. Float32 in and out.
#include "core/ops/elu.h"
#include "core/op_registry.h"

namespace edgeport {
namespace {

std::vector<ValueType> infer_elu(const Graph& graph, const Node& node) {
  const Value& input = node_input(graph, node, 0);
  if (input.dtype != DType::Float32) fail_node(node, "input must be float32");
  if (!(node.attrs.get_float("alpha", 1.0) > 0.0)) fail_node(node, "alpha must be positive");
  return {{DType::Float32, input.shape}};
}

const OpRegistration registration({op::Elu, 1, 1, infer_elu});

}  // namespace
}  // namespace edgeport
