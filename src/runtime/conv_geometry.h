#pragma once

#include <algorithm>
#include <cstdint>
#include <utility>

#include "runtime/kernel.h"
#include "runtime/plane_window.h"

namespace edgeport {

// Extents and window attributes of one Conv node (OIHW weight; NCHW input
// and output, or NHWC with layout "NHWC").
struct ConvGeometry : PlaneWindow {
  std::int64_t batch = 0;
  std::int64_t in_channels = 0;
  std::int64_t out_channels = 0;
  std::int64_t group = 1;
  bool channels_last = false;

  static ConvGeometry of(const KernelContext& context);
  // The same from the graph's declared shapes, for kernels prepared per session.
  static ConvGeometry of(const Graph& graph, const Node& node);

  std::int64_t in_channels_per_group() const { return in_channels / group; }
  std::int64_t out_channels_per_group() const { return out_channels / group; }
  std::int64_t kernel_size() const { return in_channels_per_group() * kernel_h * kernel_w; }
};

// The output positions [begin, end) within [0, out_extent) whose input
// position out * stride + offset falls inside [0, in_extent): the rest read
// padding, which contributes zero to a convolution.
// Inline: kernels call it for every kernel tap of every plane.
inline std::pair<std::int64_t, std::int64_t> valid_output_range(std::int64_t offset, std::int64_t stride,
                                                                std::int64_t in_extent, std::int64_t out_extent) {
  const std::int64_t begin = offset >= 0 ? 0 : (-offset + stride - 1) / stride;
  const std::int64_t last_input = in_extent - 1 - offset;
  const std::int64_t end = last_input < 0 ? 0 : std::min(out_extent, last_input / stride + 1);
  return {std::min(begin, end), end};
}

// Adds the cross-correlation of one input plane (in_h x in_w) with one kernel
// slice (kernel_h x kernel_w) into one output plane (out_h x out_w). The inner
// loop runs along contiguous output rows, so the integer accumulators share
// this one obviously-correct loop nest (conv_float has its own, which adds the
// products of every output in the same (ky, kx) order).
template <typename Input, typename Weight, typename Accumulator>
void accumulate_plane(const ConvGeometry& g, const Input* input, const Weight* kernel, Accumulator* output) {
  for (std::int64_t ky = 0; ky < g.kernel_h; ++ky) {
    const std::int64_t offset_y = ky * g.dilation_h - g.pad_top;
    const auto [y_begin, y_end] = valid_output_range(offset_y, g.stride_h, g.in_h, g.out_h);
    for (std::int64_t kx = 0; kx < g.kernel_w; ++kx) {
      const std::int64_t offset_x = kx * g.dilation_w - g.pad_left;
      const auto [x_begin, x_end] = valid_output_range(offset_x, g.stride_w, g.in_w, g.out_w);
      // In the input's type: int16 x int16 products let the compiler use widening multiplies.
      const auto weight = static_cast<Input>(kernel[ky * g.kernel_w + kx]);
      for (std::int64_t oy = y_begin; oy < y_end; ++oy) {
        const Input* row = input + (oy * g.stride_h + offset_y) * g.in_w + offset_x;
        Accumulator* out = output + oy * g.out_w;
        if (g.stride_w == 1) {
          for (std::int64_t ox = x_begin; ox < x_end; ++ox) out[ox] += weight * row[ox];
        } else {
          for (std::int64_t ox = x_begin; ox < x_end; ++ox) out[ox] += weight * row[ox * g.stride_w];
        }
      }
    }
  }
}

}  // namespace edgeport
