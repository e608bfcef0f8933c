// AvgPool (see src/core/ops/pool.cpp) with PyTorch's divisor: the window is
// first clipped to the padded input (which ceil_mode can overrun), and that
// size is the divisor when count_include_pad=1; otherwise only the input
// elements inside the window count.
#include <algorithm>

#include "core/ops/pool.h"
#include "core/op_registry.h"
#include "runtime/pool_window.h"

namespace edgeport {
namespace {

void run_avg_pool(const KernelContext& context) {
  const PoolWindow p = PoolWindow::of(context);
  if (p.dilation_h != 1 || p.dilation_w != 1) fail_node(context.node, "AvgPool does not take dilations");
  const bool count_include_pad = context.node.attrs.get_int("count_include_pad", 1) != 0;
  const float* input = context.input(0).data<float>();
  float* output = context.output().data<float>();
  for (std::int64_t plane = 0; plane < p.planes; ++plane) {
    const float* in = input + plane * p.in_h * p.in_w;
    float* out = output + plane * p.out_h * p.out_w;
    for (std::int64_t oy = 0; oy < p.out_h; ++oy) {
      const std::int64_t y_start = oy * p.stride_h - p.pad_top;
      const std::int64_t y_end = std::min(y_start + p.kernel_h, p.in_h + p.pad_bottom);
      const std::int64_t y_first = std::max<std::int64_t>(y_start, 0);
      const std::int64_t y_last = std::min(y_end, p.in_h);
      for (std::int64_t ox = 0; ox < p.out_w; ++ox) {
        const std::int64_t x_start = ox * p.stride_w - p.pad_left;
        const std::int64_t x_end = std::min(x_start + p.kernel_w, p.in_w + p.pad_right);
        const std::int64_t x_first = std::max<std::int64_t>(x_start, 0);
        const std::int64_t x_last = std::min(x_end, p.in_w);
        float sum = 0.0f;
        for (std::int64_t iy = y_first; iy < y_last; ++iy) {
          for (std::int64_t ix = x_first; ix < x_last; ++ix) sum += in[iy * p.in_w + ix];
        }
        const std::int64_t divisor = count_include_pad ? (y_end - y_start) * (x_end - x_start)
                                                       : (y_last - y_first) * (x_last - x_first);
        out[oy * p.out_w + ox] = sum / static_cast<float>(divisor);
      }
    }
  }
}

const KernelRegistration registration(op::AvgPool, run_avg_pool);

}  // namespace
}  // namespace edgeport
