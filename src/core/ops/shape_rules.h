#pragma once

#include <cstdint>
#include <vector>

#include "core/graph.h"

namespace edgeport {

// Output extent of a sliding window (conv or pool) along one axis.
std::int64_t window_output(std::int64_t input, std::int64_t kernel, std::int64_t stride, std::int64_t pad_begin,
                           std::int64_t pad_end, std::int64_t dilation, bool ceil_mode, const Node& node);

// NumPy-style broadcast of two shapes.
Shape broadcast_shapes(const Shape& a, const Shape& b, const Node& node);

// Spatial attributes common to Conv and the pools, with defaults filled in:
// strides/dilations of length 2, pads as [top, left, bottom, right].
struct Window2d {
  std::vector<std::int64_t> kernel;
  std::vector<std::int64_t> strides;
  std::vector<std::int64_t> pads;
  std::vector<std::int64_t> dilations;
};
Window2d read_window(const Node& node, std::vector<std::int64_t> kernel);

// [out_h, out_w] of a window over the last two axes of an NCHW input.
Shape window_output_2d(const Shape& input, const Window2d& window, bool ceil_mode, const Node& node);

// Conv, MaxPool, AvgPool and GlobalAveragePool take attr layout "NCHW" (the
// default, ONNX's) or "NHWC": the runtime's channels-last form
// (passes/channels_last), which no file format is written in.
bool channels_last(const Node& node);
Shape nhwc_to_nchw(const Shape& shape);
Shape nchw_to_nhwc(const Shape& shape);

// [N, out_channels, out_h, out_w] of a grouped 2-d convolution of an NCHW
// input with an OIHW weight, checking ranks, groups and the window; with
// layout NHWC, input and output are [N, H, W, C].
Shape conv_output_shape(const Shape& input, const Shape& weight, const Node& node);

}  // namespace edgeport
