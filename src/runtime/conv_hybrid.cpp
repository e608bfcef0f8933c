#include "runtime/conv_hybrid.h"

#include <algorithm>
#include <vector>

#include "runtime/dynamic_quantize.h"
#include "runtime/integer_conv_sums.h"

namespace edgeport {

namespace {

// LiteRT's XNNPACK runs a 1x1, stride-1, unpadded, ungrouped convolution as a
// fully connected layer over pixels, so each pixel's channel vector gets its
// own quantization parameters; every other convolution quantizes per image.
bool quantizes_per_pixel(const ConvGeometry& g) {
  const bool unpadded = g.in_h == g.out_h && g.in_w == g.out_w;  // given a 1x1 kernel and stride 1
  return g.kernel_h == 1 && g.kernel_w == 1 && g.stride_h == 1 &&
         g.stride_w == 1 && g.group == 1 && unpadded;
}

// One image's input as (code - zero_point) per element (within +-255), with
// the input scale that applies at each output position.
struct CentredInput {
  std::vector<std::int16_t> centred;
  std::vector<float> scales;
};

void quantize_image(const ConvGeometry& g, const float* image, DynamicQuantizer quantizer, bool per_pixel,
                    CentredInput& result) {
  const std::int64_t plane = g.in_h * g.in_w;
  if (!per_pixel) {
    std::vector<std::int8_t> codes(result.centred.size());
    const AsymmetricParams params = quantize_dynamic(quantizer, {image, codes.size()}, codes);
    for (std::size_t i = 0; i < codes.size(); ++i) result.centred[i] = static_cast<std::int16_t>(codes[i] - params.zero_point);
    std::fill(result.scales.begin(), result.scales.end(), params.scale);
    return;
  }
  std::vector<float> pixel(static_cast<std::size_t>(g.in_channels));
  std::vector<std::int8_t> codes(pixel.size());
  for (std::int64_t p = 0; p < plane; ++p) {
    for (std::int64_t c = 0; c < g.in_channels; ++c) pixel[static_cast<std::size_t>(c)] = image[c * plane + p];
    const AsymmetricParams params = quantize_dynamic(quantizer, pixel, codes);
    for (std::int64_t c = 0; c < g.in_channels; ++c) {
      result.centred[static_cast<std::size_t>(c * plane + p)] =
          static_cast<std::int16_t>(codes[static_cast<std::size_t>(c)] - params.zero_point);
    }
    result.scales[static_cast<std::size_t>(p)] = params.scale;
  }
}

}  // namespace

void conv_hybrid(const ConvGeometry& g, const float* input, const HybridWeight& weight, const float* bias,
                 ActivationRange activation, float* output, int threads) {
  const std::int64_t in_plane = g.in_h * g.in_w;
  const std::int64_t out_plane = g.out_h * g.out_w;
  const std::int64_t image_size = g.in_channels * in_plane;
  const DynamicQuantizer quantizer = input_quantizer(g.group != 1 && g.group == g.in_channels);
  const bool per_pixel = quantizes_per_pixel(g);
  CentredInput image{std::vector<std::int16_t>(static_cast<std::size_t>(image_size)),
                     std::vector<float>(static_cast<std::size_t>(out_plane))};
  std::vector<std::int32_t> sums(static_cast<std::size_t>(g.out_channels * out_plane));
  for (std::int64_t n = 0; n < g.batch; ++n) {
    quantize_image(g, input + n * image_size, quantizer, per_pixel, image);
    integer_conv_sums(g, image.centred.data(), weight.codes, sums.data(), threads);
    for (std::int64_t o = 0; o < g.out_channels; ++o) {
      const float channel_scale = weight.channel_scales[static_cast<std::size_t>(o)];
      const float channel_bias = bias ? bias[o] : 0.0f;
      const std::int32_t* channel_sums = sums.data() + o * out_plane;
      float* out = output + (n * g.out_channels + o) * out_plane;
      for (std::int64_t i = 0; i < out_plane; ++i) {
        const float real = rescale_accumulator(channel_sums[i], image.scales[static_cast<std::size_t>(i)], channel_scale);
        out[i] = activation.apply(real + channel_bias);
      }
    }
  }
}

}  // namespace edgeport
