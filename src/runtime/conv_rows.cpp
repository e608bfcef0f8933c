// Built with -ffp-contract=fast (see CMakeLists.txt): every multiply-add
// below becomes one fused instruction where the target has them.
#include "runtime/conv_rows.h"

#include <algorithm>
#include <cstring>

namespace edgeport {
namespace {

using Floats16 = float __attribute__((vector_size(64)));
using Floats8 = float __attribute__((vector_size(32)));
using Floats4 = float __attribute__((vector_size(16)));

struct RowJob {
  const float* const* taps;  // per tap: the input it reads for output 0
  std::size_t tap_count;
  const float* weights;  // tap-major, Channels per tap
  const float* bias;
  float low;
  float high;
  float* const* outputs;  // per channel of the block
  std::int64_t out_w;
};

template <typename Vector>
[[gnu::always_inline]] inline Vector splat(float value) {
  Vector vector;
  for (std::size_t i = 0; i < sizeof(Vector) / sizeof(float); ++i) vector[i] = value;
  return vector;
}

template <>
[[gnu::always_inline]] inline float splat<float>(float value) {
  return value;
}

// One unaligned vector as a value: copying into an array element instead lets
// GCC merge neighbouring copies into a loop through the stack.
template <typename Vector>
[[gnu::always_inline]] inline Vector load(const float* source) {
  Vector vector;
  std::memcpy(&vector, source, sizeof vector);
  return vector;
}

// Outputs [ox, ox + Width * lanes) of Channels output channels: their sums
// stay in registers over every tap; each loaded input vector feeds every channel.
template <typename Vector, int Channels, int Width>
[[gnu::always_inline]] inline void output_block(const RowJob& job, std::int64_t ox) {
  constexpr std::int64_t lanes = sizeof(Vector) / sizeof(float);
  Vector sums[Channels][Width];
  for (int c = 0; c < Channels; ++c) {
    for (int v = 0; v < Width; ++v) sums[c][v] = splat<Vector>(job.bias[c]);
  }
  const float* weights = job.weights;
  for (std::size_t t = 0; t < job.tap_count; ++t, weights += Channels) {
    const float* input = job.taps[t] + ox;
    Vector x[Width];
#pragma GCC unroll 8
    for (int v = 0; v < Width; ++v) x[v] = load<Vector>(input + v * lanes);
#pragma GCC unroll 8
    for (int c = 0; c < Channels; ++c) {
      const float w = weights[c];
#pragma GCC unroll 8
      for (int v = 0; v < Width; ++v) sums[c][v] += w * x[v];
    }
  }
  const Vector low = splat<Vector>(job.low);
  const Vector high = splat<Vector>(job.high);
  for (int c = 0; c < Channels; ++c) {
    for (int v = 0; v < Width; ++v) {
      Vector y = sums[c][v];
      y = y < low ? low : y;
      y = y > high ? high : y;
      std::memcpy(job.outputs[c] + ox + v * lanes, &y, sizeof(Vector));
    }
  }
}

// A whole output row of Channels channels: blocks of Width vectors, then
// single vectors, each last block redone from the row's end (the overlap is
// recomputed to the same values), then scalars when the row is narrower
// than one vector.
template <typename Vector, int Channels, int Width>
[[gnu::always_inline]] inline void output_row(const RowJob& job) {
  constexpr std::int64_t lanes = sizeof(Vector) / sizeof(float);
  constexpr std::int64_t block = lanes * Width;
  std::int64_t ox = 0;
  if (job.out_w >= block) {
    for (; ox + block <= job.out_w; ox += block) output_block<Vector, Channels, Width>(job, ox);
    if (ox < job.out_w) output_block<Vector, Channels, Width>(job, job.out_w - block);
    return;
  }
  if (job.out_w >= lanes) {
    for (; ox + lanes <= job.out_w; ox += lanes) output_block<Vector, Channels, 1>(job, ox);
    if (ox < job.out_w) output_block<Vector, Channels, 1>(job, job.out_w - lanes);
    return;
  }
  for (; ox < job.out_w; ++ox) output_block<float, Channels, 1>(job, ox);
}

// Output vectors per channel for a block of Channels channels on a CPU with
// 16 vector registers: the sums, the input vectors and one broadcast weight
// must all stay in registers, and a lone channel needs several independent
// sums to keep both FMA pipes busy (each FMA waits on the previous one into
// the same sum).
constexpr int width_for_16_registers(int channels) {
  switch (channels) {
    case 8: return 1;
    case 4: return 3;
    default: return 4;
  }
}

template <typename Vector, int (*WidthFor)(int)>
[[gnu::always_inline]] inline void channel_block(const RowJob& job, int channels) {
  switch (channels) {
    case 8: output_row<Vector, 8, WidthFor(8)>(job); break;
    case 4: output_row<Vector, 4, WidthFor(4)>(job); break;
    case 2: output_row<Vector, 2, WidthFor(2)>(job); break;
    default: output_row<Vector, 1, WidthFor(1)>(job); break;
  }
}

// Eight channels times two vectors: 16 of AVX-512's 32 registers hold sums.
constexpr int width_for_avx512(int) { return 2; }

using ChannelBlockFunction = void (*)(const RowJob&, int);

// A row kernel and the most output channels it takes in one block.
struct RowKernel {
  ChannelBlockFunction function;
  int max_channels;
};

void channel_block_portable(const RowJob& job, int channels) {
  channel_block<Floats4, width_for_16_registers>(job, channels);
}

#if defined(__x86_64__)
__attribute__((target("avx2,fma"))) void channel_block_avx2(const RowJob& job, int channels) {
  channel_block<Floats8, width_for_16_registers>(job, channels);
}

__attribute__((target("avx512f"))) void channel_block_avx512(const RowJob& job, int channels) {
  channel_block<Floats16, width_for_avx512>(job, channels);
}
#endif

RowKernel pick_row_kernel() {
#if defined(__x86_64__)
  if (__builtin_cpu_supports("avx512f")) return {channel_block_avx512, 8};
  // Two blocks of four channels times three vectors load fewer weights per
  // multiply-add than one block of eight times one vector.
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return {channel_block_avx2, 4};
#endif
  return {channel_block_portable, 4};
}

const RowKernel kRowKernel = pick_row_kernel();

void split_phases_portable(const float* padded, std::int64_t length, std::int64_t stride, std::int64_t phase_length,
                           float* out) {
  for (std::int64_t phase = 0; phase < stride; ++phase) {
    float* target = out + phase * phase_length;
    for (std::int64_t x = phase, i = 0; x < length; x += stride, ++i) target[i] = padded[x];
  }
}

// Stride 2, the common case: one vector of each phase per step, from two
// vectors of the padded row.
template <typename Vector>
[[gnu::always_inline]] inline void split_phases_vector(const float* padded, std::int64_t length, std::int64_t stride,
                                                       std::int64_t phase_length, float* out) {
  constexpr std::int64_t lanes = sizeof(Vector) / sizeof(float);
  std::int64_t i = 0;
  if (stride == 2) {
    for (; 2 * i + 2 * lanes <= length; i += lanes) {
      Vector low;
      Vector high;
      std::memcpy(&low, padded + 2 * i, sizeof low);
      std::memcpy(&high, padded + 2 * i + lanes, sizeof high);
      Vector first;
      Vector second;
      // __builtin_shufflevector, unlike GCC's __builtin_shuffle, is also clang's (the fuzz build).
      if constexpr (lanes == 16) {
        first = __builtin_shufflevector(low, high, 0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
        second = __builtin_shufflevector(low, high, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31);
      } else {
        first = __builtin_shufflevector(low, high, 0, 2, 4, 6, 8, 10, 12, 14);
        second = __builtin_shufflevector(low, high, 1, 3, 5, 7, 9, 11, 13, 15);
      }
      std::memcpy(out + i, &first, sizeof first);
      std::memcpy(out + phase_length + i, &second, sizeof second);
    }
  }
  for (std::int64_t phase = 0; phase < stride; ++phase) {
    float* target = out + phase * phase_length;
    for (std::int64_t x = phase + stride * i, j = i; x < length; x += stride, ++j) target[j] = padded[x];
  }
}

#if defined(__x86_64__)
__attribute__((target("avx512f"))) void split_phases_avx512(const float* padded, std::int64_t length,
                                                              std::int64_t stride, std::int64_t phase_length,
                                                              float* out) {
  split_phases_vector<Floats16>(padded, length, stride, phase_length, out);
}

__attribute__((target("avx2"))) void split_phases_avx2(const float* padded, std::int64_t length, std::int64_t stride,
                                                         std::int64_t phase_length, float* out) {
  split_phases_vector<Floats8>(padded, length, stride, phase_length, out);
}
#endif

using SplitPhasesFunction = void (*)(const float*, std::int64_t, std::int64_t, std::int64_t, float*);

SplitPhasesFunction pick_split_phases() {
#if defined(__x86_64__)
  if (__builtin_cpu_supports("avx512f")) return split_phases_avx512;
  if (__builtin_cpu_supports("avx2")) return split_phases_avx2;
#endif
  return split_phases_portable;
}

const SplitPhasesFunction kSplitPhases = pick_split_phases();

int block_size(std::int64_t remaining) {
  if (remaining >= 8 && kRowKernel.max_channels >= 8) return 8;
  if (remaining >= 4) return 4;
  if (remaining >= 2) return 2;
  return 1;
}

}  // namespace

ConvRows::ConvRows(const ConvGeometry& geometry, const float* weight, const float* bias, ActivationRange activation)
    : g_(geometry), activation_(activation) {
  const std::int64_t padded_width = g_.in_w + g_.pad_left + g_.pad_right;
  // The last output block reads up to (out_w - 1) + (kernel_w - 1) * dilation_w / stride_w + 1 within a phase.
  const std::int64_t reach = g_.out_w + ((g_.kernel_w - 1) * g_.dilation_w) / g_.stride_w;
  phase_length_ = std::max((padded_width + g_.stride_w - 1) / g_.stride_w, reach);
  const std::int64_t channels = g_.in_channels_per_group();
  for (std::int64_t c = 0; c < channels; ++c) {
    for (std::int64_t ky = 0; ky < g_.kernel_h; ++ky) {
      for (std::int64_t kx = 0; kx < g_.kernel_w; ++kx) {
        const std::int64_t column = kx * g_.dilation_w;
        tap_rows_.push_back(c * g_.kernel_h + ky);
        tap_offsets_.push_back((column % g_.stride_w) * phase_length_ + column / g_.stride_w);
      }
    }
  }
  taps_per_group_ = tap_rows_.size();
  const std::int64_t per_group = g_.out_channels_per_group();
  const std::int64_t taps = static_cast<std::int64_t>(taps_per_group_);
  for (std::int64_t group = 0; group < g_.group; ++group) {
    for (std::int64_t first = 0; first < per_group;) {
      ChannelBlock block;
      block.group = group;
      block.first_channel = group * per_group + first;
      block.size = block_size(per_group - first);
      block.weights.resize(static_cast<std::size_t>(taps * block.size));
      for (int j = 0; j < block.size; ++j) {
        const std::int64_t o = block.first_channel + j;
        block.bias.push_back(bias ? bias[o] : 0.0f);
        for (std::int64_t t = 0; t < taps; ++t) {
          block.weights[static_cast<std::size_t>(t * block.size + j)] = weight[o * taps + t];
        }
      }
      first += block.size;
      blocks_.push_back(std::move(block));
    }
  }
}

void split_phases(const float* padded, std::int64_t length, std::int64_t stride, std::int64_t phase_length,
                  float* out) {
  kSplitPhases(padded, length, stride, phase_length, out);
}

void ConvRows::compute_row(const float* const* rows, float* const* outputs, const float** scratch) const {
  const std::int64_t channels = g_.in_channels_per_group();
  std::int64_t current_group = -1;
  for (const ChannelBlock& block : blocks_) {
    if (block.group != current_group) {
      current_group = block.group;
      const float* const* group_rows = rows + current_group * channels * g_.kernel_h;
      for (std::size_t t = 0; t < taps_per_group_; ++t) scratch[t] = group_rows[tap_rows_[t]] + tap_offsets_[t];
    }
    const RowJob job{scratch,         taps_per_group_, block.weights.data(), block.bias.data(), activation_.low,
                     activation_.high, outputs + block.first_channel, g_.out_w};
    kRowKernel.function(job, block.size);
  }
}

}  // namespace edgeport
