#include "runtime/conv_float.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "runtime/parallel.h"

namespace edgeport {
namespace {

// Apart from the runtimes' depthwise orders further down, every output gets
// bias first, then w * x for each input channel, kernel row and kernel column
// in that order, one float add at a time, as
// accumulate_plane does: results must stay bit-identical to it (and so to the
// runtimes and fixtures they were checked against), so the paths below only
// change where the partial sums live, never the order they are formed in.

// One kernel row of one input channel: the input row it reads, the same row
// as laid out by split_phases, and its kernel_w weights.
struct TapRow {
  const float* input;
  const float* split;
  const float* weights;
};

// One kernel tap: the split row it reads and where output 0 reads in it
// (negative when the tap reads left padding there).
struct Tap {
  const float* row;
  std::int64_t start;
  float w;
};

struct FloatConv {
  const ConvGeometry& g;
  const float* input;
  const float* split;  // input, or its split_phases copy when stride_w > 1
  std::int64_t split_row_width;
  std::vector<std::int64_t> tap_starts;  // per kx: where output 0 reads within a split row
  std::int64_t interior_begin;           // outputs [interior_begin, interior_end) of a row read no padding column
  std::int64_t interior_end;
  const float* weight;
  const float* bias;
  ActivationRange activation;
  float* output;
};

// With stride_w > 1 output ox reads column ox * stride_w + offset. Storing
// each input row as its stride_w column phases one after another (phase p
// holds columns p, p + stride_w, ...) makes that a contiguous read.
std::int64_t phase_width(const ConvGeometry& g) { return (g.in_w + g.stride_w - 1) / g.stride_w; }

std::vector<float> split_phases(const ConvGeometry& g, const float* input) {
  const std::int64_t rows = g.batch * g.in_channels * g.in_h;
  const std::int64_t width = phase_width(g);
  std::vector<float> split(static_cast<std::size_t>(rows * g.stride_w * width));
  for (std::int64_t r = 0; r < rows; ++r) {
    const float* row = input + r * g.in_w;
    float* out = split.data() + r * g.stride_w * width;
    for (std::int64_t phase = 0; phase < g.stride_w; ++phase) {
      for (std::int64_t x = phase, i = 0; x < g.in_w; x += g.stride_w, ++i) out[phase * width + i] = row[x];
    }
  }
  return split;
}

// Where output 0 of tap column kx reads within a split row (only meaningful
// for outputs whose column is inside the input).
std::int64_t tap_start(const ConvGeometry& g, std::int64_t kx) {
  const std::int64_t offset = kx * g.dilation_w - g.pad_left;
  const std::int64_t shift = offset >= 0 ? offset / g.stride_w : -((g.stride_w - 1 - offset) / g.stride_w);
  return (offset - shift * g.stride_w) * phase_width(g) + shift;
}

// One output, skipping the taps that fall in the padding as accumulate_plane does.
float edge_output(const ConvGeometry& g, const std::vector<TapRow>& rows, float sum, std::int64_t ox) {
  for (const TapRow& row : rows) {
    for (std::int64_t kx = 0; kx < g.kernel_w; ++kx) {
      const std::int64_t x = ox * g.stride_w + kx * g.dilation_w - g.pad_left;
      if (x >= 0 && x < g.in_w) sum += row.weights[kx] * row.input[x];
    }
  }
  return sum;
}

// GCC vectors of floats, one SSE or one AVX register each. Spelled out
// because at -O3 GCC's auto-vectorizer jams the tap loop into the output loop
// and keeps the sums in memory.
using Floats4 = float __attribute__((vector_size(16)));
using Floats8 = float __attribute__((vector_size(32)));

// Outputs [ox, ox + Vectors * lanes) of a row, all inside the interior: their
// sums stay in registers over every tap instead of being loaded and stored per tap.
template <typename Floats, int Vectors>
[[gnu::always_inline]] inline void interior_block(const std::vector<Tap>& taps, float start, std::int64_t ox,
                                                  float* out) {
  constexpr int lanes = sizeof(Floats) / sizeof(float);
  Floats sum[Vectors];
  for (Floats& s : sum) {
    for (int i = 0; i < lanes; ++i) s[i] = start;
  }
  for (const Tap& tap : taps) {
    for (int v = 0; v < Vectors; ++v) {
      Floats x;
      std::memcpy(&x, tap.row + (tap.start + ox + v * lanes), sizeof x);
      sum[v] += tap.w * x;
    }
  }
  std::memcpy(out + ox, sum, sizeof sum);
}

// Output planes [begin, end) (batch-major, output channel minor).
template <typename Floats, int Vectors>
[[gnu::always_inline]] inline void conv_planes(const FloatConv& conv, std::int64_t begin, std::int64_t end) {
  constexpr std::int64_t block = Vectors * sizeof(Floats) / sizeof(float);
  const ConvGeometry& g = conv.g;
  const std::int64_t channels = g.in_channels_per_group();
  std::vector<TapRow> rows;
  rows.reserve(static_cast<std::size_t>(channels * g.kernel_h));
  std::vector<Tap> taps;
  taps.reserve(static_cast<std::size_t>(channels * g.kernel_h * g.kernel_w));
  for (std::int64_t item = begin; item < end; ++item) {
    const std::int64_t n = item / g.out_channels;
    const std::int64_t o = item % g.out_channels;
    const std::int64_t first_input = n * g.in_channels + (o / g.out_channels_per_group()) * channels;
    const float start = conv.bias ? conv.bias[o] : 0.0f;
    for (std::int64_t oy = 0; oy < g.out_h; ++oy) {
      rows.clear();
      for (std::int64_t c = 0; c < channels; ++c) {
        for (std::int64_t ky = 0; ky < g.kernel_h; ++ky) {
          const std::int64_t y = oy * g.stride_h + ky * g.dilation_h - g.pad_top;
          if (y < 0 || y >= g.in_h) continue;
          const std::int64_t input_row = (first_input + c) * g.in_h + y;
          rows.push_back({conv.input + input_row * g.in_w, conv.split + input_row * conv.split_row_width,
                          conv.weight + ((o * channels + c) * g.kernel_h + ky) * g.kernel_w});
        }
      }
      taps.clear();
      for (const TapRow& row : rows) {
        for (std::int64_t kx = 0; kx < g.kernel_w; ++kx) {
          taps.push_back({row.split, conv.tap_starts[kx], row.weights[kx]});
        }
      }
      float* out = conv.output + (item * g.out_h + oy) * g.out_w;
      std::int64_t ox = 0;
      if (conv.interior_end - conv.interior_begin >= block) {
        for (; ox < conv.interior_begin; ++ox) out[ox] = edge_output(g, rows, start, ox);
        for (; ox + block <= conv.interior_end; ox += block) interior_block<Floats, Vectors>(taps, start, ox, out);
        // The last partial block is redone from interior_end - block: the
        // overlap is recomputed to the same values.
        if (ox < conv.interior_end) interior_block<Floats, Vectors>(taps, start, conv.interior_end - block, out);
        ox = conv.interior_end;
      }
      for (; ox < g.out_w; ++ox) out[ox] = edge_output(g, rows, start, ox);
      if (!conv.activation.is_identity()) {
        for (std::int64_t i = 0; i < g.out_w; ++i) out[i] = conv.activation.apply(out[i]);
      }
    }
  }
}

// Blocks of 32 sums, in eight SSE or four AVX registers: on the sample model
// these beat 16 and 64 per block.
void conv_planes_baseline(const FloatConv& conv, std::int64_t begin, std::int64_t end) {
  conv_planes<Floats4, 8>(conv, begin, end);
}

#if defined(__x86_64__)
// AVX2 without FMA: fused multiply-adds would round differently.
__attribute__((target("avx2"))) void conv_planes_avx2(const FloatConv& conv, std::int64_t begin, std::int64_t end) {
  conv_planes<Floats8, 4>(conv, begin, end);
}
#endif

// The depthwise orders of the runtimes (see DepthwiseArithmetic). Taps that
// read padding are skipped: they add a zero.

bool one_output_per_input_channel(const ConvGeometry& g) {
  return g.in_channels_per_group() == 1 && g.out_channels_per_group() == 1;
}

// Calls step(output index, input index) for every output of one output plane
// that tap (ky, kx) reads inside the input, in row-major output order.
template <typename Step>
[[gnu::always_inline]] inline void for_each_tap_output(const ConvGeometry& g, std::int64_t ky, std::int64_t kx,
                                                       Step step) {
  const std::int64_t offset_y = ky * g.dilation_h - g.pad_top;
  const std::int64_t offset_x = kx * g.dilation_w - g.pad_left;
  const auto [y_begin, y_end] = valid_output_range(offset_y, g.stride_h, g.in_h, g.out_h);
  const auto [x_begin, x_end] = valid_output_range(offset_x, g.stride_w, g.in_w, g.out_w);
  for (std::int64_t oy = y_begin; oy < y_end; ++oy) {
    const std::int64_t row = (oy * g.stride_h + offset_y) * g.in_w + offset_x;
    for (std::int64_t ox = x_begin; ox < x_end; ++ox) step(oy * g.out_w + ox, row + ox * g.stride_w);
  }
}

// XNNPACK: the bias, then fused multiply-adds, kernel column by column.
[[gnu::always_inline]] inline void litert_depthwise_plane(const ConvGeometry& g, const float* input,
                                                          const float* kernel, float bias, float* out) {
  std::fill(out, out + g.out_h * g.out_w, bias);
  for (std::int64_t kx = 0; kx < g.kernel_w; ++kx) {
    for (std::int64_t ky = 0; ky < g.kernel_h; ++ky) {
      const float w = kernel[ky * g.kernel_w + kx];
      for_each_tap_output(g, ky, kx, [&](std::int64_t o, std::int64_t i) { out[o] = std::fma(w, input[i], out[o]); });
    }
  }
}

void litert_depthwise_plane_baseline(const ConvGeometry& g, const float* input, const float* kernel, float bias,
                                     float* out) {
  litert_depthwise_plane(g, input, kernel, bias, out);
}

#if defined(__x86_64__)
// The same fused multiply-adds as one instruction each instead of a libm call.
__attribute__((target("fma"))) void litert_depthwise_plane_fma(const ConvGeometry& g, const float* input,
                                                                const float* kernel, float bias, float* out) {
  litert_depthwise_plane(g, input, kernel, bias, out);
}
#endif

// MLAS: row-major taps in blocks of four, each summed apart (rounded products,
// no fused multiply-add), then the bias.
void onnx_runtime_depthwise_plane(const ConvGeometry& g, const float* input, const float* kernel, const float* bias,
                                  std::vector<float>& block, float* out) {
  constexpr std::int64_t kBlockTaps = 4;
  const std::int64_t plane = g.out_h * g.out_w;
  const std::int64_t taps = g.kernel_h * g.kernel_w;
  block.resize(static_cast<std::size_t>(plane));
  std::fill(out, out + plane, 0.0f);
  for (std::int64_t first = 0; first < taps; first += kBlockTaps) {
    std::fill(block.begin(), block.end(), 0.0f);
    for (std::int64_t tap = first; tap < std::min(taps, first + kBlockTaps); ++tap) {
      const float w = kernel[tap];
      for_each_tap_output(g, tap / g.kernel_w, tap % g.kernel_w,
                          [&](std::int64_t o, std::int64_t i) { block[static_cast<std::size_t>(o)] += w * input[i]; });
    }
    for (std::int64_t o = 0; o < plane; ++o) out[o] += block[static_cast<std::size_t>(o)];
  }
  if (bias) {
    for (std::int64_t o = 0; o < plane; ++o) out[o] += *bias;
  }
}

void depthwise_float(const ConvGeometry& g, const float* input, const float* weight, const float* bias,
                     ActivationRange activation, float* output, int threads, DepthwiseArithmetic arithmetic) {
  auto litert_plane = litert_depthwise_plane_baseline;
#if defined(__x86_64__)
  if (__builtin_cpu_supports("fma")) litert_plane = litert_depthwise_plane_fma;
#endif
  const std::int64_t plane = g.out_h * g.out_w;
  parallel_for(g.batch * g.out_channels, threads, [&](std::int64_t begin, std::int64_t end) {
    std::vector<float> block;
    for (std::int64_t item = begin; item < end; ++item) {
      const std::int64_t o = item % g.out_channels;
      const float* in = input + item * g.in_h * g.in_w;  // channel o of image item / out_channels
      const float* kernel = weight + o * g.kernel_h * g.kernel_w;
      const float* channel_bias = bias ? bias + o : nullptr;
      float* out = output + item * plane;
      if (arithmetic == DepthwiseArithmetic::LiteRt) {
        litert_plane(g, in, kernel, channel_bias ? *channel_bias : 0.0f, out);
      } else {
        onnx_runtime_depthwise_plane(g, in, kernel, channel_bias, block, out);
      }
      if (!activation.is_identity()) {
        for (std::int64_t i = 0; i < plane; ++i) out[i] = activation.apply(out[i]);
      }
    }
  });
}

}  // namespace

void conv_float(const ConvGeometry& g, const float* input, const float* weight, const float* bias,
                ActivationRange activation, float* output, int threads, DepthwiseArithmetic depthwise_arithmetic) {
  if (depthwise_arithmetic != DepthwiseArithmetic::Sequential && one_output_per_input_channel(g)) {
    depthwise_float(g, input, weight, bias, activation, output, threads, depthwise_arithmetic);
    return;
  }
  std::vector<float> split;
  if (g.stride_w > 1) split = split_phases(g, input);
  FloatConv conv{g, input, split.empty() ? input : split.data(), g.stride_w * phase_width(g), {}, 0, g.out_w,
                 weight, bias, activation, output};
  for (std::int64_t kx = 0; kx < g.kernel_w; ++kx) {
    conv.tap_starts.push_back(tap_start(g, kx));
    const auto [begin, end] = valid_output_range(kx * g.dilation_w - g.pad_left, g.stride_w, g.in_w, g.out_w);
    conv.interior_begin = std::max(conv.interior_begin, begin);
    conv.interior_end = std::min(conv.interior_end, end);
  }
  auto planes = conv_planes_baseline;
#if defined(__x86_64__)
  if (__builtin_cpu_supports("avx2")) planes = conv_planes_avx2;
#endif
  parallel_for(g.batch * g.out_channels, threads,
               [&](std::int64_t begin, std::int64_t end) { planes(conv, begin, end); });
}

}  // namespace edgeport
