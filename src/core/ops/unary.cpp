// Element-wise activations; output has the input's shape.
// Relu: max(x,0). Relu6: min(max(x,0),6). Sigmoid: 1/(1+e^-x).
// HardSwish: x*relu6(x+3)/6 (PyTorch's definition).
#include "core/ops/unary.h"
#include "core/op_registry.h"

namespace edgeport {
namespace {

std::vector<ValueType> same_as_input(const Graph& graph, const Node& node) {
  return {{DType::Float32, node_input(graph, node, 0).shape}};
}

const OpRegistration relu({op::Relu, 1, 1, same_as_input});
const OpRegistration relu6({op::Relu6, 1, 1, same_as_input});
const OpRegistration sigmoid({op::Sigmoid, 1, 1, same_as_input});
const OpRegistration hard_swish({op::HardSwish, 1, 1, same_as_input});

}  // namespace
}  // namespace edgeport
