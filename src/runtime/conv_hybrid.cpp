#include "runtime/conv_hybrid.h"

#include <algorithm>
#include <vector>

#include "runtime/asymmetric_quantize.h"
#include "runtime/parallel.h"

namespace edgeport {

void conv_hybrid(const ConvGeometry& g, const float* input, const HybridWeight& weight, const float* bias,
                 ActivationRange activation, float* output, int threads) {
  const std::int64_t in_plane = g.in_h * g.in_w;
  const std::int64_t out_plane = g.out_h * g.out_w;
  const std::int64_t kernel_plane = g.kernel_h * g.kernel_w;
  const std::int64_t item_size = g.in_channels * in_plane;
  const std::vector<std::int32_t> kernel_codes(weight.codes, weight.codes + g.out_channels * g.kernel_size());
  std::vector<std::int8_t> codes(static_cast<std::size_t>(item_size));
  std::vector<std::int32_t> centred(static_cast<std::size_t>(item_size));
  for (std::int64_t n = 0; n < g.batch; ++n) {
    const AsymmetricParams params = quantize_asymmetric({input + n * item_size, codes.size()}, codes);
    for (std::size_t i = 0; i < codes.size(); ++i) centred[i] = codes[i] - params.zero_point;
    parallel_for(g.out_channels, threads, [&](std::int64_t begin, std::int64_t end) {
      std::vector<std::int32_t> accumulator(static_cast<std::size_t>(out_plane));
      for (std::int64_t o = begin; o < end; ++o) {
        const std::int64_t first_input = (o / g.out_channels_per_group()) * g.in_channels_per_group();
        std::fill(accumulator.begin(), accumulator.end(), 0);
        for (std::int64_t c = 0; c < g.in_channels_per_group(); ++c) {
          const std::int32_t* in = centred.data() + (first_input + c) * in_plane;
          const std::int32_t* kernel = kernel_codes.data() + (o * g.in_channels_per_group() + c) * kernel_plane;
          accumulate_plane(g, in, kernel, accumulator.data());
        }
        const float scale = weight.channel_scales[static_cast<std::size_t>(o)] * params.scale;
        const float channel_bias = bias ? bias[o] : 0.0f;
        float* out = output + (n * g.out_channels + o) * out_plane;
        for (std::int64_t i = 0; i < out_plane; ++i) {
          out[i] = activation.apply(static_cast<float>(accumulator[static_cast<std::size_t>(i)]) * scale + channel_bias);
        }
      }
    });
  }
}

}  // namespace edgeport
