#pragma once

#include <cstdint>
#include <span>

#include "runtime/kernel.h"

namespace edgeport {

// real = scale * (code - zero_point)
struct AsymmetricParams {
  float scale = 1.0f;
  std::int32_t zero_point = 0;
};

// Both quantizers map the range [min(0, min), max(0, max)] onto int8's 255
// steps, take the zero point from whichever end gives the smaller error and
// clamp it into [-128, 127]; an all-zero input gives scale 1 and zero point 0.
// `codes` must be as long as `values`.

// TFLite's tensor_utils::AsymmetricQuantizeFloats: parameters in double, the
// zero point and codes rounded half away from zero, codes from
// round(zero_point + x / scale) in float.
AsymmetricParams quantize_like_tflite(std::span<const float> values, std::span<std::int8_t> codes);

// XNNPACK's dynamic quantization (xnn_f32_qd8_asymmetric_quantization_params
// and its f32->qd8 converter): everything in float with the multiplier
// m = 255 / range, the zero point and codes rounded half to even, codes from
// round(x * m) + zero_point, scale reported as 1 / m.
AsymmetricParams quantize_like_xnnpack(std::span<const float> values, std::span<std::int8_t> codes);

enum class DynamicQuantizer { Tflite, Xnnpack };

// The quantizer LiteRT (@litertjs/core 2.5.3, measured bit for bit on hybrid
// files) applies to the input of a Linear or a convolution (XNNPACK's), or of a
// depthwise convolution, group == input channels > 1 (TFLite's tensor_utils).
DynamicQuantizer input_quantizer(bool depthwise);

AsymmetricParams quantize_dynamic(DynamicQuantizer quantizer, std::span<const float> values,
                                  std::span<std::int8_t> codes);

// The real value of an int32 sum of (code - zero_point) * weight_code
// products, before the bias, in LiteRT's operand order: (sum * input_scale) * channel_scale.
inline float rescale_accumulator(std::int32_t accumulator, float input_scale, float channel_scale) {
  return static_cast<float>(accumulator) * input_scale * channel_scale;
}

}  // namespace edgeport
