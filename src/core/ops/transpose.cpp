// Transpose: attrs perm (output axis i is input axis perm[i]).
#include "core/ops/transpose.h"
#include <algorithm>

#include "core/op_registry.h"

namespace edgeport {
namespace {

std::vector<ValueType> infer_transpose(const Graph& graph, const Node& node) {
  const Value& input = node_input(graph, node, 0);
  const std::vector<std::int64_t> perm = node.attrs.get_ints("perm");
  if (perm.size() != input.shape.size()) fail_node(node, "perm length does not match input rank");
  std::vector<std::int64_t> sorted = perm;
  std::sort(sorted.begin(), sorted.end());
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    if (sorted[i] != static_cast<std::int64_t>(i)) fail_node(node, "perm is not a permutation");
  }
  Shape out;
  for (std::int64_t axis : perm) out.push_back(input.shape[static_cast<std::size_t>(axis)]);
  return {{input.dtype, out}};
}

const OpRegistration registration({op::Transpose, 1, 1, infer_transpose});

}  // namespace
}  // namespace edgeport
