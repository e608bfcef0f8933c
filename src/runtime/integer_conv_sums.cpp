#include "runtime/integer_conv_sums.h"

#include <algorithm>
#include <vector>

#include "runtime/parallel.h"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace edgeport {

namespace {

// Every window row and weight row is zero-padded to a whole number of the
// widest vector (32 int16 lanes), so the dot products have no tail.
constexpr std::int64_t kLanes = 32;
// Output channels per dot-product block: each window vector loaded feeds
// this many sums.
constexpr int kBlock = 4;
// Below this many output channels per group the windows are not gathered
// (Tiny-LaDeDa's 3- and 8-channel layers: 2.2x slower gathered).
constexpr std::int64_t kMinWindowChannels = 16;

std::int64_t padded_length(std::int64_t length) { return (length + kLanes - 1) / kLanes * kLanes; }

// The dot products of `channels` (1..kBlock) weight rows with one window row.
struct DotJob {
  const std::int16_t* weights;  // channels rows of `length`
  const std::int16_t* window;
  std::int64_t length;
  int channels;
  std::int32_t* sums;  // sums[i * stride] for channel i
  std::int64_t stride;
};

void dots_portable(const DotJob& job) {
  for (int i = 0; i < job.channels; ++i) {
    const std::int16_t* weight = job.weights + i * job.length;
    std::int32_t sum = 0;
    for (std::int64_t k = 0; k < job.length; ++k) sum += std::int32_t{weight[k]} * std::int32_t{job.window[k]};
    job.sums[i * job.stride] = sum;
  }
}

#if defined(__x86_64__)
__attribute__((target("avx2"))) std::int32_t sum_lanes_avx2(__m256i v) {
  __m128i half = _mm_add_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
  half = _mm_add_epi32(half, _mm_shuffle_epi32(half, 0x4E));
  half = _mm_add_epi32(half, _mm_shuffle_epi32(half, 0xB1));
  return _mm_cvtsi128_si32(half);
}

// vpmaddwd: pairs of 16-bit products summed into 32-bit lanes. |product| <=
// 255 x 128, so a pair cannot overflow.
__attribute__((target("avx2"))) void dots_avx2(const DotJob& job) {
  __m256i sums[kBlock] = {_mm256_setzero_si256(), _mm256_setzero_si256(), _mm256_setzero_si256(),
                          _mm256_setzero_si256()};
  for (std::int64_t k = 0; k < job.length; k += 16) {
    const __m256i window = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(job.window + k));
    for (int i = 0; i < job.channels; ++i) {
      const __m256i weight = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(job.weights + i * job.length + k));
      sums[i] = _mm256_add_epi32(sums[i], _mm256_madd_epi16(window, weight));
    }
  }
  for (int i = 0; i < job.channels; ++i) job.sums[i * job.stride] = sum_lanes_avx2(sums[i]);
}

__attribute__((target("avx512bw"))) void dots_avx512(const DotJob& job) {
  __m512i sums[kBlock] = {_mm512_setzero_si512(), _mm512_setzero_si512(), _mm512_setzero_si512(),
                          _mm512_setzero_si512()};
  for (std::int64_t k = 0; k < job.length; k += 32) {
    const __m512i window = _mm512_loadu_si512(job.window + k);
    for (int i = 0; i < job.channels; ++i) {
      const __m512i weight = _mm512_loadu_si512(job.weights + i * job.length + k);
      sums[i] = _mm512_add_epi32(sums[i], _mm512_madd_epi16(window, weight));
    }
  }
  for (int i = 0; i < job.channels; ++i) job.sums[i * job.stride] = _mm512_reduce_add_epi32(sums[i]);
}
#endif

using DotFunction = void (*)(const DotJob&);

DotFunction pick_dots() {
#if defined(__x86_64__)
  if (__builtin_cpu_supports("avx512bw")) return dots_avx512;
  if (__builtin_cpu_supports("avx2")) return dots_avx2;
#endif
  return dots_portable;
}

const DotFunction kDots = pick_dots();

// Row p holds output p's window over one group's channels, in the weight's
// (c, ky, kx) order, with zeros for taps in the padding and past the end.
void gather_windows(const ConvGeometry& g, const std::int16_t* group_input, std::int64_t row_length,
                    std::int16_t* rows) {
  for (std::int64_t oy = 0; oy < g.out_h; ++oy) {
    for (std::int64_t ox = 0; ox < g.out_w; ++ox) {
      std::int16_t* row = rows + (oy * g.out_w + ox) * row_length;
      std::int64_t k = 0;
      for (std::int64_t c = 0; c < g.in_channels_per_group(); ++c) {
        const std::int16_t* plane = group_input + c * g.in_h * g.in_w;
        for (std::int64_t ky = 0; ky < g.kernel_h; ++ky) {
          const std::int64_t y = oy * g.stride_h - g.pad_top + ky * g.dilation_h;
          for (std::int64_t kx = 0; kx < g.kernel_w; ++kx) {
            const std::int64_t x = ox * g.stride_w - g.pad_left + kx * g.dilation_w;
            const bool inside = y >= 0 && y < g.in_h && x >= 0 && x < g.in_w;
            row[k++] = inside ? plane[y * g.in_w + x] : std::int16_t{0};
          }
        }
      }
      std::fill(row + k, row + row_length, std::int16_t{0});
    }
  }
}

// Plane by plane, each weight tap added along whole output rows: for a few
// output channels gathering every window costs more than it saves.
void plane_sums(const ConvGeometry& g, const std::int16_t* centred, const std::int8_t* weight, std::int32_t* sums,
                int threads) {
  const std::int64_t plane = g.out_h * g.out_w;
  parallel_for(g.out_channels, threads, [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t o = begin; o < end; ++o) {
      std::int32_t* out = sums + o * plane;
      std::fill(out, out + plane, 0);
      const std::int64_t first_input = o / g.out_channels_per_group() * g.in_channels_per_group();
      for (std::int64_t c = 0; c < g.in_channels_per_group(); ++c) {
        accumulate_plane(g, centred + (first_input + c) * g.in_h * g.in_w,
                         weight + (o * g.in_channels_per_group() + c) * g.kernel_h * g.kernel_w, out);
      }
    }
  });
}

}  // namespace

void integer_conv_sums(const ConvGeometry& g, const std::int16_t* centred, const std::int8_t* weight,
                       std::int32_t* sums, int threads) {
  if (g.out_channels_per_group() < kMinWindowChannels) {
    plane_sums(g, centred, weight, sums, threads);
    return;
  }
  const std::int64_t window_length = g.kernel_size();
  const std::int64_t row_length = padded_length(window_length);
  const std::int64_t positions = g.out_h * g.out_w;
  const std::int64_t group_outputs = g.out_channels_per_group();

  std::vector<std::int16_t> weight_rows(static_cast<std::size_t>(g.out_channels * row_length), 0);
  for (std::int64_t o = 0; o < g.out_channels; ++o) {
    std::copy(weight + o * window_length, weight + (o + 1) * window_length, weight_rows.begin() + o * row_length);
  }
  std::vector<std::int16_t> windows(static_cast<std::size_t>(positions * row_length));
  const std::int64_t blocks = (group_outputs + kBlock - 1) / kBlock;
  for (std::int64_t group = 0; group < g.group; ++group) {
    gather_windows(g, centred + group * g.in_channels_per_group() * g.in_h * g.in_w, row_length, windows.data());
    parallel_for(blocks, threads, [&](std::int64_t begin, std::int64_t end) {
      for (std::int64_t block = begin; block < end; ++block) {
        const std::int64_t first = group * group_outputs + block * kBlock;
        const int channels = static_cast<int>(std::min<std::int64_t>(kBlock, (group + 1) * group_outputs - first));
        for (std::int64_t p = 0; p < positions; ++p) {
          kDots({weight_rows.data() + first * row_length, windows.data() + p * row_length, row_length, channels,
                 sums + first * positions + p, positions});
        }
      }
    });
  }
}

}  // namespace edgeport
