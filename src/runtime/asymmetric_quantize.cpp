#include "runtime/asymmetric_quantize.h"

#include <algorithm>
#include <cmath>

namespace edgeport {

AsymmetricParams quantize_asymmetric(std::span<const float> values, std::span<std::int8_t> codes) {
  constexpr double kCodeMin = -128.0;
  constexpr double kCodeMax = 127.0;
  std::fill(codes.begin(), codes.end(), std::int8_t{0});
  if (values.empty()) return {};
  const auto [lowest, highest] = std::minmax_element(values.begin(), values.end());
  // TFLite widens to double for the parameters but quantizes in float; both matter for bit-exactness.
  const double range_min = std::fmin(0.0, static_cast<double>(*lowest));
  const double range_max = std::fmax(0.0, static_cast<double>(*highest));
  if (range_min == range_max) return {};

  const double scale = (range_max - range_min) / (kCodeMax - kCodeMin);
  const double zero_from_min = kCodeMin - range_min / scale;
  const double zero_from_max = kCodeMax - range_max / scale;
  const double error_from_min = std::abs(kCodeMin) + std::abs(range_min / scale);
  const double error_from_max = std::abs(kCodeMax) + std::abs(range_max / scale);
  const double zero_point = error_from_min < error_from_max ? zero_from_min : zero_from_max;
  std::int32_t nudged_zero_point;
  if (zero_point <= kCodeMin) {
    nudged_zero_point = static_cast<std::int32_t>(kCodeMin);
  } else if (zero_point >= kCodeMax) {
    nudged_zero_point = static_cast<std::int32_t>(kCodeMax);
  } else {
    nudged_zero_point = static_cast<std::int32_t>(std::round(zero_point));
  }

  const auto stored_scale = static_cast<float>(scale);
  const auto inverse_scale = static_cast<float>(1.0 / static_cast<double>(stored_scale));
  const auto offset = static_cast<float>(nudged_zero_point);
  for (std::size_t i = 0; i < values.size(); ++i) {
    // Clamped as float first so that no out-of-range float is ever converted to an integer.
    const float code = std::round(offset + values[i] * inverse_scale);
    codes[i] = static_cast<std::int8_t>(std::clamp(code, -128.0f, 127.0f));
  }
  return {stored_scale, nudged_zero_point};
}

}  // namespace edgeport
