// Slice: attrs starts, ends, axes (default 0..n-1) and steps (default all 1),
// ONNX's Slice with its index lists as attributes. Only steps of 1 are
// supported: cropping is all the architectures need, and every runtime we
// write for agrees on it.
#include "core/ops/slice.h"

#include <algorithm>

#include "core/op_registry.h"

namespace edgeport {

std::vector<SliceRange> slice_ranges(const Node& node, const Shape& input) {
  const std::vector<std::int64_t> starts = node.attrs.get_ints("starts");
  const std::vector<std::int64_t> ends = node.attrs.get_ints("ends");
  std::vector<std::int64_t> axes = node.attrs.get_ints("axes", {});
  const std::vector<std::int64_t> steps = node.attrs.get_ints("steps", std::vector<std::int64_t>(starts.size(), 1));
  if (axes.empty()) {
    for (std::size_t i = 0; i < starts.size(); ++i) axes.push_back(static_cast<std::int64_t>(i));
  }
  if (ends.size() != starts.size() || axes.size() != starts.size() || steps.size() != starts.size()) {
    fail_node(node, "starts, ends, axes and steps differ in length");
  }
  const auto rank = static_cast<std::int64_t>(input.size());
  std::vector<SliceRange> ranges;
  for (std::int64_t extent : input) ranges.push_back({0, extent});
  std::vector<bool> seen(input.size(), false);
  for (std::size_t i = 0; i < starts.size(); ++i) {
    if (steps[i] != 1) fail_node(node, "step " + std::to_string(steps[i]) + " is not supported (only 1)");
    const std::int64_t axis = axes[i] < 0 ? axes[i] + rank : axes[i];
    if (axis < 0 || axis >= rank) {
      fail_node(node, "axis " + std::to_string(axes[i]) + " is out of range for rank " + std::to_string(rank));
    }
    const auto index = static_cast<std::size_t>(axis);
    if (seen[index]) fail_node(node, "axis " + std::to_string(axis) + " is sliced twice");
    seen[index] = true;
    const std::int64_t extent = input[index];
    auto position = [extent](std::int64_t value) {
      return std::clamp(value < 0 ? value + extent : value, std::int64_t{0}, extent);
    };
    const std::int64_t begin = position(starts[i]);
    ranges[index] = {begin, std::max<std::int64_t>(0, position(ends[i]) - begin)};
  }
  return ranges;
}

namespace {

std::vector<ValueType> infer_slice(const Graph& graph, const Node& node) {
  const Value& input = node_input(graph, node, 0);
  Shape out;
  for (const SliceRange& range : slice_ranges(node, input.shape)) out.push_back(range.count);
  return {{input.dtype, out}};
}

const OpRegistration registration({op::Slice, 1, 1, infer_slice});

}  // namespace
}  // namespace edgeport
