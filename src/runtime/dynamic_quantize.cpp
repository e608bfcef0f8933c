#include "runtime/dynamic_quantize.h"

#include <algorithm>
#include <cmath>

namespace edgeport {

namespace {

constexpr float kCodeMin = -128.0f;
constexpr float kCodeMax = 127.0f;

// std::nearbyint in the default rounding mode (half to even) for |x| <= 2^22,
// without the libm call it costs on baseline x86-64: adding 1.5 * 2^23 leaves
// no fraction bits, so the addition itself rounds.
float round_half_even(float x) {
  constexpr float kNoFractionBits = 12582912.0f;
  return (x + kNoFractionBits) - kNoFractionBits;
}

}  // namespace

AsymmetricParams quantize_like_tflite(std::span<const float> values, std::span<std::int8_t> codes) {
  std::fill(codes.begin(), codes.end(), std::int8_t{0});
  if (values.empty()) return {};
  const auto [lowest, highest] = std::minmax_element(values.begin(), values.end());
  const double code_min = kCodeMin;
  const double code_max = kCodeMax;
  const double range_min = std::fmin(0.0, static_cast<double>(*lowest));
  const double range_max = std::fmax(0.0, static_cast<double>(*highest));
  if (range_min == range_max) return {};

  const double scale = (range_max - range_min) / (code_max - code_min);
  const double zero_from_min = code_min - range_min / scale;
  const double zero_from_max = code_max - range_max / scale;
  const double error_from_min = std::abs(code_min) + std::abs(range_min / scale);
  const double error_from_max = std::abs(code_max) + std::abs(range_max / scale);
  const double zero_point = error_from_min < error_from_max ? zero_from_min : zero_from_max;
  std::int32_t nudged_zero_point;
  if (zero_point <= code_min) {
    nudged_zero_point = static_cast<std::int32_t>(code_min);
  } else if (zero_point >= code_max) {
    nudged_zero_point = static_cast<std::int32_t>(code_max);
  } else {
    nudged_zero_point = static_cast<std::int32_t>(std::round(zero_point));
  }

  const auto stored_scale = static_cast<float>(scale);
  const auto inverse_scale = static_cast<float>(1.0 / static_cast<double>(stored_scale));
  const auto offset = static_cast<float>(nudged_zero_point);
  for (std::size_t i = 0; i < values.size(); ++i) {
    // Clamped as float first so that no out-of-range float is ever converted to an integer.
    const float code = std::round(offset + values[i] * inverse_scale);
    codes[i] = static_cast<std::int8_t>(std::clamp(code, kCodeMin, kCodeMax));
  }
  return {stored_scale, nudged_zero_point};
}

AsymmetricParams quantize_like_xnnpack(std::span<const float> values, std::span<std::int8_t> codes) {
  if (values.empty()) return {};
  const auto [lowest, highest] = std::minmax_element(values.begin(), values.end());
  const float range_min = std::min(0.0f, *lowest);
  const float range_max = std::max(0.0f, *highest);
  if (range_min == range_max) {
    std::fill(codes.begin(), codes.end(), std::int8_t{0});
    return {};
  }

  const float multiplier = (kCodeMax - kCodeMin) / (range_max - range_min);
  const float scaled_min = range_min * multiplier;
  const float scaled_max = range_max * multiplier;
  // Same choice as TFLite's error comparison, written as XNNPACK writes it (ties differ).
  float zero_point = (kCodeMin + scaled_min) + (kCodeMax + scaled_max) > 0.0f ? kCodeMin - scaled_min
                                                                             : kCodeMax - scaled_max;
  zero_point = std::clamp(zero_point, kCodeMin, kCodeMax);
  const auto nudged_zero_point = static_cast<std::int32_t>(std::nearbyint(zero_point));

  const auto offset = static_cast<float>(nudged_zero_point);
  for (std::size_t i = 0; i < values.size(); ++i) {
    const float scaled = std::clamp(values[i] * multiplier, kCodeMin - offset, kCodeMax - offset);
    codes[i] = static_cast<std::int8_t>(static_cast<std::int32_t>(round_half_even(scaled)) + nudged_zero_point);
  }
  return {1.0f / multiplier, nudged_zero_point};
}

DynamicQuantizer input_quantizer(bool depthwise) {
  return depthwise ? DynamicQuantizer::Tflite : DynamicQuantizer::Xnnpack;
}

AsymmetricParams quantize_dynamic(DynamicQuantizer quantizer, std::span<const float> values,
                                  std::span<std::int8_t> codes) {
  return quantizer == DynamicQuantizer::Xnnpack ? quantize_like_xnnpack(values, codes)
                                                : quantize_like_tflite(values, codes);
}

}  // namespace edgeport
