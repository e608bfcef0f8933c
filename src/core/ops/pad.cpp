// Pad: constant padding. attrs pads [begin_0..begin_{r-1}, end_0..end_{r-1}]
// (ONNX order), value (default 0).
#include "core/ops/pad.h"
#include "core/op_registry.h"

namespace edgeport {
namespace {

std::vector<ValueType> infer_pad(const Graph& graph, const Node& node) {
  const Value& input = node_input(graph, node, 0);
  const std::vector<std::int64_t> pads = node.attrs.get_ints("pads");
  const std::size_t rank = input.shape.size();
  if (pads.size() != 2 * rank) fail_node(node, "expects " + std::to_string(2 * rank) + " pads");
  Shape out = input.shape;
  for (std::size_t i = 0; i < rank; ++i) {
    if (pads[i] < 0 || pads[i + rank] < 0) fail_node(node, "negative padding");
    out[i] += pads[i] + pads[i + rank];
  }
  return {{input.dtype, out}};
}

const OpRegistration registration({op::Pad, 1, 1, infer_pad});

}  // namespace
}  // namespace edgeport
