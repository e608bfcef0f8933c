// Mean: average over the listed axes.
// attrs: axes (ints, negative counts from the end), keepdims 0|1 (default 1).
// GlobalAveragePool is Mean over axes [2,3] with keepdims=1 (over [1,2] with
// layout "NHWC", see conv_output_shape).
#include "core/ops/mean.h"
#include <algorithm>

#include "core/op_registry.h"
#include "core/ops/shape_rules.h"

namespace edgeport {
namespace {

std::vector<ValueType> infer_mean(const Graph& graph, const Node& node) {
  const Shape& x = node_input(graph, node, 0).shape;
  const auto rank = static_cast<std::int64_t>(x.size());
  std::vector<std::int64_t> axes = node.attrs.get_ints("axes");
  for (std::int64_t& axis : axes) {
    if (axis < -rank || axis >= rank) fail_node(node, "axis " + std::to_string(axis) + " out of range");
    if (axis < 0) axis += rank;
  }
  const bool keepdims = node.attrs.get_int("keepdims", 1) != 0;
  Shape out;
  for (std::int64_t i = 0; i < rank; ++i) {
    const bool reduced = std::find(axes.begin(), axes.end(), i) != axes.end();
    if (!reduced) {
      out.push_back(x[static_cast<std::size_t>(i)]);
    } else if (keepdims) {
      out.push_back(1);
    }
  }
  return {{DType::Float32, out}};
}

std::vector<ValueType> infer_global_average_pool(const Graph& graph, const Node& node) {
  const Shape& x = node_input(graph, node, 0).shape;
  if (x.size() != 4) fail_node(node, "expects 4-d input");
  if (channels_last(node)) return {{DType::Float32, {x[0], 1, 1, x[3]}}};
  return {{DType::Float32, {x[0], x[1], 1, 1}}};
}

const OpRegistration mean({op::Mean, 1, 1, infer_mean});
const OpRegistration global_average_pool({op::GlobalAveragePool, 1, 1, infer_global_average_pool});

}  // namespace
}  // namespace edgeport
