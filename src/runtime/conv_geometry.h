#pragma once

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

#include "runtime/kernel.h"

namespace edgeport {

// Extents and window attributes of one Conv node (NCHW input, OIHW weight).
struct ConvGeometry {
  std::int64_t batch = 0;
  std::int64_t in_channels = 0;
  std::int64_t in_h = 0;
  std::int64_t in_w = 0;
  std::int64_t out_channels = 0;
  std::int64_t out_h = 0;
  std::int64_t out_w = 0;
  std::int64_t kernel_h = 0;
  std::int64_t kernel_w = 0;
  std::int64_t group = 1;
  std::int64_t stride_h = 1;
  std::int64_t stride_w = 1;
  std::int64_t pad_top = 0;
  std::int64_t pad_left = 0;
  std::int64_t dilation_h = 1;
  std::int64_t dilation_w = 1;

  static ConvGeometry of(const KernelContext& context);

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

namespace conv_detail {

// out[ox] += weight * row[ox * stride] for ox in [begin, end).
template <typename Input, typename Accumulator>
void add_tap(const Input* row, Input weight, std::int64_t stride, std::int64_t begin, std::int64_t end,
             Accumulator* out) {
  if (stride == 1) {
    for (std::int64_t ox = begin; ox < end; ++ox) out[ox] += weight * row[ox];
  } else {
    for (std::int64_t ox = begin; ox < end; ++ox) out[ox] += weight * row[ox * stride];
  }
}

// The three taps of a kernel row on the outputs where all three read inside
// the input: each output is loaded and stored once instead of three times,
// and still receives its three products in tap order, so the result is the
// same to the bit as three add_tap passes.
template <typename Input, typename Accumulator>
void add_three_taps(const Input* row0, const Input* row1, const Input* row2, Input w0, Input w1, Input w2,
                    std::int64_t stride, std::int64_t begin, std::int64_t end, Accumulator* out) {
  if (stride == 1) {
    for (std::int64_t ox = begin; ox < end; ++ox) {
      Accumulator sum = out[ox];
      sum += w0 * row0[ox];
      sum += w1 * row1[ox];
      sum += w2 * row2[ox];
      out[ox] = sum;
    }
  } else {
    for (std::int64_t ox = begin; ox < end; ++ox) {
      Accumulator sum = out[ox];
      sum += w0 * row0[ox * stride];
      sum += w1 * row1[ox * stride];
      sum += w2 * row2[ox * stride];
      out[ox] = sum;
    }
  }
}

}  // namespace conv_detail

// Adds the cross-correlation of one input plane (in_h x in_w) with one kernel
// slice (kernel_h x kernel_w) into one output plane (out_h x out_w). The inner
// loops run along contiguous output rows, so the integer accumulators share
// this one loop nest (conv_float has its own, in the same order). Every output
// receives its products in (ky, kx) order whichever path computes it.
template <typename Input, typename Weight, typename Accumulator>
void accumulate_plane(const ConvGeometry& g, const Input* input, const Weight* kernel, Accumulator* output) {
  std::vector<std::int64_t> offsets_x(static_cast<std::size_t>(g.kernel_w));
  std::vector<std::pair<std::int64_t, std::int64_t>> ranges_x(offsets_x.size());
  std::int64_t inner_begin = 0;
  std::int64_t inner_end = g.out_w;
  for (std::int64_t kx = 0; kx < g.kernel_w; ++kx) {
    offsets_x[kx] = kx * g.dilation_w - g.pad_left;
    ranges_x[kx] = valid_output_range(offsets_x[kx], g.stride_w, g.in_w, g.out_w);
    inner_begin = std::max(inner_begin, ranges_x[kx].first);
    inner_end = std::min(inner_end, ranges_x[kx].second);
  }
  const bool three_taps = g.kernel_w == 3 && inner_begin < inner_end;
  for (std::int64_t ky = 0; ky < g.kernel_h; ++ky) {
    const std::int64_t offset_y = ky * g.dilation_h - g.pad_top;
    const auto [y_begin, y_end] = valid_output_range(offset_y, g.stride_h, g.in_h, g.out_h);
    // In the input's type: int16 x int16 products let the compiler use widening multiplies.
    std::vector<Input> weights(offsets_x.size());
    for (std::int64_t kx = 0; kx < g.kernel_w; ++kx) weights[kx] = static_cast<Input>(kernel[ky * g.kernel_w + kx]);
    for (std::int64_t oy = y_begin; oy < y_end; ++oy) {
      const Input* row = input + (oy * g.stride_h + offset_y) * g.in_w;
      Accumulator* out = output + oy * g.out_w;
      if (!three_taps) {
        for (std::int64_t kx = 0; kx < g.kernel_w; ++kx) {
          conv_detail::add_tap(row + offsets_x[kx], weights[kx], g.stride_w, ranges_x[kx].first, ranges_x[kx].second,
                               out);
        }
        continue;
      }
      for (std::int64_t kx = 0; kx < 3; ++kx) {
        conv_detail::add_tap(row + offsets_x[kx], weights[kx], g.stride_w, ranges_x[kx].first,
                             std::min(ranges_x[kx].second, inner_begin), out);
      }
      conv_detail::add_three_taps(row + offsets_x[0], row + offsets_x[1], row + offsets_x[2], weights[0], weights[1],
                                  weights[2], g.stride_w, inner_begin, inner_end, out);
      for (std::int64_t kx = 0; kx < 3; ++kx) {
        conv_detail::add_tap(row + offsets_x[kx], weights[kx], g.stride_w, std::max(ranges_x[kx].first, inner_end),
                             ranges_x[kx].second, out);
      }
    }
  }
}

}  // namespace edgeport
