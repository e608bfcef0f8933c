// MaxPool (see src/core/ops/pool.cpp): padding counts as -inf, so only input
// elements compete; NaN wins, as in PyTorch.
#include <cmath>
#include <limits>

#include "core/ops/pool.h"
#include "runtime/pool_window.h"

namespace edgeport {
namespace {

void run_max_pool(const KernelContext& context) {
  const PoolWindow p = PoolWindow::of(context);
  const float* input = context.input(0).data<float>();
  float* output = context.output().data<float>();
  for (std::int64_t plane = 0; plane < p.planes; ++plane) {
    const float* in = input + plane * p.in_h * p.in_w;
    float* out = output + plane * p.out_h * p.out_w;
    for (std::int64_t oy = 0; oy < p.out_h; ++oy) {
      for (std::int64_t ox = 0; ox < p.out_w; ++ox) {
        float best = -std::numeric_limits<float>::infinity();
        for (std::int64_t ky = 0; ky < p.kernel_h; ++ky) {
          const std::int64_t iy = oy * p.stride_h - p.pad_top + ky * p.dilation_h;
          if (iy < 0 || iy >= p.in_h) continue;
          for (std::int64_t kx = 0; kx < p.kernel_w; ++kx) {
            const std::int64_t ix = ox * p.stride_w - p.pad_left + kx * p.dilation_w;
            if (ix < 0 || ix >= p.in_w) continue;
            const float value = in[iy * p.in_w + ix];
            if (value > best || std::isnan(value)) best = value;
          }
        }
        out[oy * p.out_w + ox] = best;
      }
    }
  }
}

const KernelRegistration registration(op::MaxPool, run_max_pool);

}  // namespace
}  // namespace edgeport
