#include "runtime/conv_float.h"

#include <algorithm>

#include "runtime/parallel.h"

namespace edgeport {

void conv_float(const ConvGeometry& g, const float* input, const float* weight, const float* bias,
                ActivationRange activation, float* output, int threads) {
  const std::int64_t in_plane = g.in_h * g.in_w;
  const std::int64_t out_plane = g.out_h * g.out_w;
  const std::int64_t kernel_plane = g.kernel_h * g.kernel_w;
  parallel_for(g.batch * g.out_channels, threads, [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t item = begin; item < end; ++item) {
      const std::int64_t n = item / g.out_channels;
      const std::int64_t o = item % g.out_channels;
      const std::int64_t first_input = (o / g.out_channels_per_group()) * g.in_channels_per_group();
      float* out = output + item * out_plane;
      std::fill(out, out + out_plane, bias ? bias[o] : 0.0f);
      for (std::int64_t c = 0; c < g.in_channels_per_group(); ++c) {
        const float* in = input + (n * g.in_channels + first_input + c) * in_plane;
        const float* kernel = weight + (o * g.in_channels_per_group() + c) * kernel_plane;
        accumulate_plane(g, in, kernel, out);
      }
      if (!activation.is_identity()) {
        for (std::int64_t i = 0; i < out_plane; ++i) out[i] = activation.apply(out[i]);
      }
    }
  });
}

}  // namespace edgeport
