// MatMul: NumPy matmul of two float32 tensors. 1-d operands are promoted to
// matrices ([K] -> [1,K] on the left, [K,1] on the right) and the added axis is
// dropped from the result; leading (batch) axes broadcast.
#include "core/ops/matmul.h"
#include "core/op_registry.h"
#include "core/ops/shape_rules.h"

namespace edgeport {
namespace {

std::vector<ValueType> infer_matmul(const Graph& graph, const Node& node) {
  const Shape& a = node_input(graph, node, 0).shape;
  const Shape& b = node_input(graph, node, 1).shape;
  if (a.empty() || b.empty()) fail_node(node, "operands must have at least one axis");
  const Shape left = a.size() == 1 ? Shape{1, a[0]} : a;
  const Shape right = b.size() == 1 ? Shape{b[0], 1} : b;
  const std::int64_t k = left.back();
  if (right[right.size() - 2] != k) {
    fail_node(node, "inner extents of " + shape_to_string(a) + " and " + shape_to_string(b) + " differ");
  }
  Shape out = broadcast_shapes(Shape(left.begin(), left.end() - 2), Shape(right.begin(), right.end() - 2), node);
  if (a.size() > 1) out.push_back(left[left.size() - 2]);
  if (b.size() > 1) out.push_back(right.back());
  return {{DType::Float32, out}};
}

const OpRegistration registration({op::MatMul, 2, 2, infer_matmul});

}  // namespace
}  // namespace edgeport
