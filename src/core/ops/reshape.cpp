// Reshape: attrs shape (ints; -1 infers one extent, 0 copies the input's).
// Flatten: attrs axis (default 1); [d0..d(axis-1), product of the rest].
#include "core/ops/reshape.h"
#include "core/op_registry.h"

namespace edgeport {
namespace {

std::vector<ValueType> infer_reshape(const Graph& graph, const Node& node) {
  const Value& input = node_input(graph, node, 0);
  const Shape& x = input.shape;
  Shape out = node.attrs.get_ints("shape");
  std::int64_t known = 1;
  int inferred = -1;
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (out[i] == 0) {
      if (i >= x.size()) fail_node(node, "0 in shape refers past the input rank");
      out[i] = x[i];
    }
    if (out[i] == -1) {
      if (inferred >= 0) fail_node(node, "more than one -1 in shape");
      inferred = static_cast<int>(i);
    } else if (out[i] < 0) {
      fail_node(node, "negative extent in shape");
    } else {
      known *= out[i];
    }
  }
  const std::int64_t total = shape_numel(x);
  if (inferred >= 0) {
    if (known == 0 || total % known != 0) fail_node(node, "cannot infer -1 for " + shape_to_string(x));
    out[static_cast<std::size_t>(inferred)] = total / known;
  }
  if (shape_numel(out) != total) {
    fail_node(node, "cannot reshape " + shape_to_string(x) + " to " + shape_to_string(out));
  }
  return {{input.dtype, out}};
}

std::vector<ValueType> infer_flatten(const Graph& graph, const Node& node) {
  const Value& input = node_input(graph, node, 0);
  const Shape& x = input.shape;
  std::int64_t axis = node.attrs.get_int("axis", 1);
  const auto rank = static_cast<std::int64_t>(x.size());
  if (axis < 0) axis += rank;
  if (axis < 0 || axis > rank) fail_node(node, "axis out of range");
  std::int64_t outer = 1;
  std::int64_t inner = 1;
  for (std::int64_t i = 0; i < rank; ++i) (i < axis ? outer : inner) *= x[static_cast<std::size_t>(i)];
  return {{input.dtype, {outer, inner}}};
}

const OpRegistration reshape({op::Reshape, 1, 1, infer_reshape});
const OpRegistration flatten({op::Flatten, 1, 1, infer_flatten});

}  // namespace
}  // namespace edgeport
