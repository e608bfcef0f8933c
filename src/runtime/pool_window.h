#pragma once

#include <cstdint>

#include "runtime/kernel.h"
#include "runtime/plane_window.h"

namespace edgeport {

// Extents and window attributes of a MaxPool / AvgPool node (NCHW, or NHWC
// with layout "NHWC"); strides default to the kernel, as in the op's shape rule.
struct PoolWindow : PlaneWindow {
  std::int64_t planes = 0;  // batch * channels
  std::int64_t channels = 0;
  bool channels_last = false;

  static PoolWindow of(const KernelContext& context);
  // The same from the graph's declared shapes, for kernels prepared per session.
  static PoolWindow of(const Graph& graph, const Node& node);
};

// Calls visit(iy, ix) for each tap of output (oy, ox) that falls inside the
// input, row by row: the padding takes no part in a max pool.
template <typename Visit>
void for_each_inside_tap(const PlaneWindow& p, std::int64_t oy, std::int64_t ox, Visit visit) {
  for (std::int64_t ky = 0; ky < p.kernel_h; ++ky) {
    const std::int64_t iy = oy * p.stride_h - p.pad_top + ky * p.dilation_h;
    if (iy < 0 || iy >= p.in_h) continue;
    for (std::int64_t kx = 0; kx < p.kernel_w; ++kx) {
      const std::int64_t ix = ox * p.stride_w - p.pad_left + kx * p.dilation_w;
      if (ix >= 0 && ix < p.in_w) visit(iy, ix);
    }
  }
}

}  // namespace edgeport
