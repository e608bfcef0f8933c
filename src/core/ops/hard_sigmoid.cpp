// HardSigmoid: max(0, min(1, alpha * x + beta)), as ONNX defines it. attrs
// alpha and beta (defaults in hard_sigmoid.h); PyTorch's nn.Hardsigmoid is
// alpha 1/6, beta 1/2. Float32 in and out.
#include "core/ops/hard_sigmoid.h"

#include <cmath>

#include "core/op_registry.h"

namespace edgeport {
namespace {

std::vector<ValueType> infer_hard_sigmoid(const Graph& graph, const Node& node) {
  const Value& input = node_input(graph, node, 0);
  if (input.dtype != DType::Float32) fail_node(node, "input must be float32");
  if (!std::isfinite(node.attrs.get_float("alpha", hard_sigmoid::kDefaultAlpha)) ||
      !std::isfinite(node.attrs.get_float("beta", hard_sigmoid::kDefaultBeta))) {
    fail_node(node, "alpha and beta must be finite");
  }
  return {{DType::Float32, input.shape}};
}

const OpRegistration registration({op::HardSigmoid, 1, 1, infer_hard_sigmoid});

}  // namespace
}  // namespace edgeport
