// Resize: nearest-neighbour over H and W of an NCHW tensor, as PyTorch's
// interpolate(mode="nearest"): source index = floor(dst * in / out).
// attrs: sizes [out_h, out_w] or scales [s_h, s_w] (out = floor(in * s));
//        when scales are given, source index = floor(dst / s), as PyTorch does
//        with scale_factor (recompute_scale_factor off).
#include "core/ops/resize.h"
#include <cmath>

#include "core/op_registry.h"

namespace edgeport {
namespace {

std::vector<ValueType> infer_resize(const Graph& graph, const Node& node) {
  const Shape& x = node_input(graph, node, 0).shape;
  if (x.size() != 4) fail_node(node, "expects 4-d input");
  if (node.attrs.get_string("mode", "nearest") != "nearest") fail_node(node, "only nearest mode is supported");
  Shape out = x;
  if (node.attrs.has("sizes")) {
    const std::vector<std::int64_t> sizes = node.attrs.get_ints("sizes");
    if (sizes.size() != 2 || sizes[0] <= 0 || sizes[1] <= 0) fail_node(node, "sizes must be 2 positive extents");
    out[2] = sizes[0];
    out[3] = sizes[1];
  } else {
    const std::vector<double> scales = node.attrs.get_floats("scales");
    if (scales.size() != 2 || scales[0] <= 0 || scales[1] <= 0) fail_node(node, "scales must be 2 positive numbers");
    out[2] = static_cast<std::int64_t>(std::floor(static_cast<double>(x[2]) * scales[0]));
    out[3] = static_cast<std::int64_t>(std::floor(static_cast<double>(x[3]) * scales[1]));
    if (out[2] <= 0 || out[3] <= 0) fail_node(node, "scales give an empty output");
  }
  return {{DType::Float32, out}};
}

const OpRegistration registration({op::Resize, 1, 1, infer_resize});

}  // namespace
}  // namespace edgeport
