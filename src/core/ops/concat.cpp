// Concat: joins inputs along attrs axis; other extents must agree.
#include "core/ops/concat.h"
#include <climits>

#include "core/op_registry.h"

namespace edgeport {
namespace {

std::vector<ValueType> infer_concat(const Graph& graph, const Node& node) {
  const Value& first = node_input(graph, node, 0);
  Shape out = first.shape;
  const auto rank = static_cast<std::int64_t>(out.size());
  std::int64_t axis = node.attrs.get_int("axis");
  if (axis < 0) axis += rank;
  if (axis < 0 || axis >= rank) fail_node(node, "axis out of range");
  for (std::size_t i = 1; i < node.inputs.size(); ++i) {
    const Shape& other = node_input(graph, node, i).shape;
    if (static_cast<std::int64_t>(other.size()) != rank) fail_node(node, "inputs differ in rank");
    for (std::int64_t d = 0; d < rank; ++d) {
      const auto index = static_cast<std::size_t>(d);
      if (d == axis) {
        out[index] += other[index];
      } else if (other[index] != out[index]) {
        fail_node(node, "input shapes " + shape_to_string(first.shape) + " and " + shape_to_string(other) +
                            " differ off the concat axis");
      }
    }
  }
  return {{first.dtype, out}};
}

const OpRegistration registration({op::Concat, 1, INT_MAX, infer_concat});

}  // namespace
}  // namespace edgeport
