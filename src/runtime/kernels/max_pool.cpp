// MaxPool (see src/core/ops/pool.cpp): padding counts as -inf, so only input
// elements compete; NaN wins, as in PyTorch.
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

#include "core/ops/pool.h"
#include "runtime/channels_last.h"
#include "runtime/parallel.h"
#include "runtime/pool_window.h"

namespace edgeport {
namespace {

template <typename T>
void max_pool(const PoolWindow& p, const T* input, T* output) {
  for (std::int64_t plane = 0; plane < p.planes; ++plane) {
    const T* in = input + plane * p.in_h * p.in_w;
    T* out = output + plane * p.out_h * p.out_w;
    for (std::int64_t oy = 0; oy < p.out_h; ++oy) {
      for (std::int64_t ox = 0; ox < p.out_w; ++ox) {
        T best = std::numeric_limits<T>::has_infinity ? -std::numeric_limits<T>::infinity()
                                                      : std::numeric_limits<T>::lowest();
        for_each_inside_tap(p, oy, ox, [&](std::int64_t iy, std::int64_t ix) {
          const T value = in[iy * p.in_w + ix];
          if (value > best || value != value) best = value;
        });
        out[oy * p.out_w + ox] = best;
      }
    }
  }
}

template <typename T>
void max_pool(const KernelContext& context) {
  const PoolWindow p = PoolWindow::of(context);
  const T* input = context.input(0).data<T>();
  T* output = context.output().data<T>();
  if (!p.channels_last) {
    max_pool(p, input, output);
    return;
  }
  const std::int64_t batch = p.planes / p.channels;
  std::vector<T> nchw_input(static_cast<std::size_t>(p.planes * p.in_h * p.in_w));
  std::vector<T> nchw_output(static_cast<std::size_t>(p.planes * p.out_h * p.out_w));
  copy_nhwc_to_nchw(input, nchw_input.data(), batch, p.channels, p.in_h * p.in_w);
  max_pool(p, nchw_input.data(), nchw_output.data());
  copy_nchw_to_nhwc(nchw_output.data(), output, batch, p.channels, p.out_h * p.out_w);
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

// One tap of a channels-last window: out = larger(out, in), channel by channel.
void take_larger_portable(float* out, const float* in, std::int64_t channels) {
  for (std::int64_t k = 0; k < channels; ++k) out[k] = larger(out[k], in[k]);
}

#if defined(__x86_64__)
// Sixteen channels per step with larger()'s selection (greater, or NaN), so
// the same bits as the portable loop; the remainder goes there.
__attribute__((target("avx512f"))) void take_larger_avx512(float* out, const float* in, std::int64_t channels) {
  std::int64_t k = 0;
  for (; k + 16 <= channels; k += 16) {
    const __m512 best = _mm512_loadu_ps(out + k);
    const __m512 value = _mm512_loadu_ps(in + k);
    const __mmask16 take = static_cast<__mmask16>(_mm512_cmp_ps_mask(value, best, _CMP_GT_OQ) |
                                                  _mm512_cmp_ps_mask(value, value, _CMP_UNORD_Q));
    _mm512_storeu_ps(out + k, _mm512_mask_blend_ps(take, best, value));
  }
  take_larger_portable(out + k, in + k, channels - k);
}
#endif

using TakeLarger = void (*)(float*, const float*, std::int64_t);

TakeLarger pick_take_larger() {
#if defined(__x86_64__)
  if (__builtin_cpu_supports("avx512f")) return take_larger_avx512;
#endif
  return take_larger_portable;
}

const TakeLarger kTakeLarger = pick_take_larger();

// Channels-last: each tap inside the window is one contiguous channel vector,
// compared element-wise; the taps in the same order as the reference's.
void max_pool_channels_last(const PoolWindow& p, const float* input, float* output, std::int64_t begin,
                            std::int64_t end) {
  const std::int64_t c = p.channels;
  for (std::int64_t row = begin; row < end; ++row) {
    const std::int64_t n = row / p.out_h;
    const std::int64_t oy = row % p.out_h;
    const float* image = input + n * p.in_h * p.in_w * c;
    for (std::int64_t ox = 0; ox < p.out_w; ++ox) {
      float* out = output + ((n * p.out_h + oy) * p.out_w + ox) * c;
      std::fill(out, out + c, -std::numeric_limits<float>::infinity());
      for_each_inside_tap(p, oy, ox, [&](std::int64_t iy, std::int64_t ix) {
        kTakeLarger(out, image + (iy * p.in_w + ix) * c, c);
      });
    }
  }
}

Kernel prepare_max_pool(const Graph& graph, const Node& node, const RunOptions& options) {
  if (graph.value(node.inputs.at(0)).dtype != DType::Float32) return {};
  const PoolWindow window = PoolWindow::of(graph, node);
  const int threads = options.threads;
  if (window.channels_last) {
    return [window, threads](const KernelContext& context) {
      const float* input = context.input(0).data<float>();
      float* output = context.output().data<float>();
      const std::int64_t rows = window.planes / window.channels * window.out_h;
      parallel_for(rows, threads, [&](std::int64_t begin, std::int64_t end) {
        max_pool_channels_last(window, input, output, begin, end);
      });
    };
  }
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
