// BatchNorm: inference-mode batch normalisation over axis 1.
// inputs: X [N,C,...], gamma [C], beta [C], running_mean [C], running_var [C]
// attrs: epsilon (default 1e-5)
#include "core/ops/batch_norm.h"
#include "core/op_registry.h"

namespace edgeport {
namespace {

std::vector<ValueType> infer_batch_norm(const Graph& graph, const Node& node) {
  const Shape& x = node_input(graph, node, 0).shape;
  if (x.size() < 2) fail_node(node, "expects at least 2-d input");
  for (std::size_t i = 1; i < 5; ++i) {
    const Shape& parameter = node_input(graph, node, i).shape;
    if (parameter.size() != 1 || parameter[0] != x[1]) {
      fail_node(node, "parameter " + std::to_string(i) + " has shape " + shape_to_string(parameter) +
                          ", expected [" + std::to_string(x[1]) + "]");
    }
  }
  return {{DType::Float32, x}};
}

const OpRegistration registration({op::BatchNorm, 5, 5, infer_batch_norm});

}  // namespace
}  // namespace edgeport
