// MaxPool (see src/core/ops/pool.cpp): padding counts as -inf, so only input
// elements compete; NaN wins, as in PyTorch.
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "core/ops/pool.h"
#include "runtime/parallel.h"
#include "runtime/pool_window.h"

namespace edgeport {
namespace {

template <typename T>
void max_pool(const KernelContext& context) {
  const PoolWindow p = PoolWindow::of(context);
  const T* input = context.input(0).data<T>();
  T* output = context.output().data<T>();
  for (std::int64_t plane = 0; plane < p.planes; ++plane) {
    const T* in = input + plane * p.in_h * p.in_w;
    T* out = output + plane * p.out_h * p.out_w;
    for (std::int64_t oy = 0; oy < p.out_h; ++oy) {
      for (std::int64_t ox = 0; ox < p.out_w; ++ox) {
        T best = std::numeric_limits<T>::has_infinity ? -std::numeric_limits<T>::infinity()
                                                      : std::numeric_limits<T>::lowest();
        for (std::int64_t ky = 0; ky < p.kernel_h; ++ky) {
          const std::int64_t iy = oy * p.stride_h - p.pad_top + ky * p.dilation_h;
          if (iy < 0 || iy >= p.in_h) continue;
          for (std::int64_t kx = 0; kx < p.kernel_w; ++kx) {
            const std::int64_t ix = ox * p.stride_w - p.pad_left + kx * p.dilation_w;
            if (ix < 0 || ix >= p.in_w) continue;
            const T value = in[iy * p.in_w + ix];
            if (value > best || value != value) best = value;
          }
        }
        out[oy * p.out_w + ox] = best;
      }
    }
  }
}

void run_max_pool(const KernelContext& context) {
  switch (context.input(0).dtype()) {
    case DType::Int8: max_pool<std::int8_t>(context); break;
    case DType::UInt8: max_pool<std::uint8_t>(context); break;
    default: max_pool<float>(context);
  }
}

// The reference's comparison: a NaN replaces the best so far and is never replaced by a number.
inline float larger(float best, float value) { return value > best || value != value ? value : best; }

// The window's maximum taken over its rows first, along whole contiguous input
// rows that vectorize, then over its columns: the same maximum as run_max_pool
// without its per-tap bounds checks.
void max_pool_rows(const PoolWindow& p, const float* input, float* output, std::int64_t begin, std::int64_t end) {
  std::vector<float> rows(static_cast<std::size_t>(p.in_w));
  for (std::int64_t plane = begin; plane < end; ++plane) {
    const float* in = input + plane * p.in_h * p.in_w;
    float* out = output + plane * p.out_h * p.out_w;
    for (std::int64_t oy = 0; oy < p.out_h; ++oy) {
      std::fill(rows.begin(), rows.end(), -std::numeric_limits<float>::infinity());
      for (std::int64_t ky = 0; ky < p.kernel_h; ++ky) {
        const std::int64_t iy = oy * p.stride_h - p.pad_top + ky * p.dilation_h;
        if (iy < 0 || iy >= p.in_h) continue;
        const float* row = in + iy * p.in_w;
        for (std::int64_t ix = 0; ix < p.in_w; ++ix) rows[ix] = larger(rows[ix], row[ix]);
      }
      for (std::int64_t ox = 0; ox < p.out_w; ++ox) {
        float best = -std::numeric_limits<float>::infinity();
        for (std::int64_t kx = 0; kx < p.kernel_w; ++kx) {
          const std::int64_t ix = ox * p.stride_w - p.pad_left + kx * p.dilation_w;
          if (ix >= 0 && ix < p.in_w) best = larger(best, rows[ix]);
        }
        out[oy * p.out_w + ox] = best;
      }
    }
  }
}

Kernel prepare_max_pool(const Graph& graph, const Node& node, const RunOptions& options) {
  if (graph.value(node.inputs.at(0)).dtype != DType::Float32) return {};
  const PoolWindow window = PoolWindow::of(graph, node);
  const int threads = options.threads;
  return [window, threads](const KernelContext& context) {
    const float* input = context.input(0).data<float>();
    float* output = context.output().data<float>();
    parallel_for(window.planes, threads, [&](std::int64_t begin, std::int64_t end) {
      max_pool_rows(window, input, output, begin, end);
    });
  };
}

const KernelRegistration registration(op::MaxPool, run_max_pool, prepare_max_pool);

}  // namespace
}  // namespace edgeport
