#include "core/ops/shape_rules.h"

#include <string>

#include "core/op_registry.h"
#include "core/window.h"

namespace edgeport {

std::int64_t window_output(std::int64_t input, std::int64_t kernel, std::int64_t stride, std::int64_t pad_begin,
                           std::int64_t pad_end, std::int64_t dilation, bool ceil_mode, const Node& node) {
  if (stride <= 0 || dilation <= 0 || kernel <= 0) fail_node(node, "kernel, stride and dilation must be positive");
  const std::int64_t extent = window_output_extent(input, kernel, stride, dilation, {pad_begin, pad_end}, ceil_mode);
  if (extent == 0) {
    fail_node(node, "window of " + std::to_string(window_span(kernel, dilation)) + " does not fit input extent " +
                        std::to_string(input));
  }
  return extent;
}

Shape broadcast_shapes(const Shape& a, const Shape& b, const Node& node) {
  const std::size_t rank = std::max(a.size(), b.size());
  Shape result(rank, 1);
  for (std::size_t i = 0; i < rank; ++i) {
    const std::int64_t da = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
    const std::int64_t db = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
    if (da != db && da != 1 && db != 1) {
      fail_node(node, "shapes " + shape_to_string(a) + " and " + shape_to_string(b) + " do not broadcast");
    }
    result[i] = da == 1 ? db : da;
  }
  return result;
}

Window2d read_window(const Node& node, std::vector<std::int64_t> kernel) {
  Window2d window;
  window.kernel = std::move(kernel);
  window.strides = node.attrs.get_ints("strides", {1, 1});
  window.pads = node.attrs.get_ints("pads", {0, 0, 0, 0});
  window.dilations = node.attrs.get_ints("dilations", {1, 1});
  if (window.kernel.size() != 2 || window.strides.size() != 2 || window.pads.size() != 4 ||
      window.dilations.size() != 2) {
    fail_node(node, "expects 2-d kernel, strides and dilations and 4 pads");
  }
  for (std::int64_t pad : window.pads) {
    if (pad < 0) fail_node(node, "negative padding");
  }
  return window;
}

Shape window_output_2d(const Shape& input, const Window2d& window, bool ceil_mode, const Node& node) {
  Shape extents;
  for (std::size_t axis = 0; axis < 2; ++axis) {
    extents.push_back(window_output(input[axis + 2], window.kernel[axis], window.strides[axis], window.pads[axis],
                                    window.pads[axis + 2], window.dilations[axis], ceil_mode, node));
  }
  return extents;
}

bool channels_last(const Node& node) {
  const std::string layout = node.attrs.get_string("layout", "NCHW");
  if (layout != "NCHW" && layout != "NHWC") fail_node(node, "layout '" + layout + "' is neither NCHW nor NHWC");
  return layout == "NHWC";
}

Shape nhwc_to_nchw(const Shape& shape) { return {shape.at(0), shape.at(3), shape.at(1), shape.at(2)}; }

Shape nchw_to_nhwc(const Shape& shape) { return {shape.at(0), shape.at(2), shape.at(3), shape.at(1)}; }

namespace {

Shape nchw_conv_output_shape(const Shape& input, const Shape& weight, const Node& node) {
  const std::int64_t group = node.attrs.get_int("group", 1);
  if (group <= 0 || input[1] % group != 0 || weight[0] % group != 0 || weight[1] * group != input[1]) {
    fail_node(node, "weight " + shape_to_string(weight) + " does not match input " + shape_to_string(input) +
                        " with group " + std::to_string(group));
  }
  const Shape extents = window_output_2d(input, read_window(node, {weight[2], weight[3]}), false, node);
  return {input[0], weight[0], extents[0], extents[1]};
}

}  // namespace

Shape conv_output_shape(const Shape& input, const Shape& weight, const Node& node) {
  if (input.size() != 4 || weight.size() != 4) fail_node(node, "expects 4-d input and weight");
  if (channels_last(node)) return nchw_to_nhwc(nchw_conv_output_shape(nhwc_to_nchw(input), weight, node));
  return nchw_conv_output_shape(input, weight, node);
}

}  // namespace edgeport
