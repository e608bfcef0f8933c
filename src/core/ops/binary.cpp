// Add, Sub, Mul with NumPy broadcasting.
// attrs: activation "none"|"relu"|"relu6" (fused by passes/fuse_activations).
#include "core/ops/binary.h"
#include "core/op_registry.h"
#include "core/ops/shape_rules.h"

namespace edgeport {
namespace {

std::vector<ValueType> infer_broadcast(const Graph& graph, const Node& node) {
  return {{DType::Float32,
           broadcast_shapes(node_input(graph, node, 0).shape, node_input(graph, node, 1).shape, node)}};
}

const OpRegistration add({op::Add, 2, 2, infer_broadcast});
const OpRegistration sub({op::Sub, 2, 2, infer_broadcast});
const OpRegistration mul({op::Mul, 2, 2, infer_broadcast});

}  // namespace
}  // namespace edgeport
