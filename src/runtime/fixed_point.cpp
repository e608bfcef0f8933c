#include "runtime/fixed_point.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/error.h"

namespace edgeport {

QuantizedMultiplier quantize_multiplier(double real_multiplier) {
  if (!(real_multiplier >= 0.0) || !std::isfinite(real_multiplier)) {
    throw Error("requantization multiplier " + std::to_string(real_multiplier) + " is not a finite non-negative number");
  }
  if (real_multiplier == 0.0) return {};
  int shift = 0;
  const double significand = std::frexp(real_multiplier, &shift);
  auto fixed = static_cast<std::int64_t>(std::round(significand * static_cast<double>(std::int64_t{1} << 31)));
  if (fixed == (std::int64_t{1} << 31)) {
    fixed /= 2;
    ++shift;
  }
  if (shift < -31) return {};
  if (shift > 30) throw Error("requantization multiplier " + std::to_string(real_multiplier) + " is too large");
  return {static_cast<std::int32_t>(fixed), shift};
}

std::int32_t saturating_rounding_doubling_high_mul(std::int32_t a, std::int32_t b) {
  constexpr std::int32_t kMin = std::numeric_limits<std::int32_t>::min();
  if (a == kMin && b == kMin) return std::numeric_limits<std::int32_t>::max();
  const std::int64_t product = static_cast<std::int64_t>(a) * static_cast<std::int64_t>(b);
  const std::int64_t nudge = product >= 0 ? (std::int64_t{1} << 30) : (1 - (std::int64_t{1} << 30));
  // Division truncates towards zero; with the signed nudge (one short of a
  // half below zero) the doubled product rounds to nearest, ties upwards.
  return static_cast<std::int32_t>((product + nudge) / (std::int64_t{1} << 31));
}

std::int32_t rounding_divide_by_pot(std::int32_t x, int exponent) {
  if (exponent == 0) return x;
  const std::int32_t mask = static_cast<std::int32_t>((std::int64_t{1} << exponent) - 1);
  const std::int32_t remainder = x & mask;
  const std::int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

std::int32_t multiply_by_quantized_multiplier(std::int32_t x, const QuantizedMultiplier& multiplier) {
  const int left = multiplier.shift > 0 ? multiplier.shift : 0;
  const int right = multiplier.shift > 0 ? 0 : -multiplier.shift;
  // The left shift wraps in two's complement as in TFLite (their callers
  // keep it in range: shifts above 0 come with small accumulators).
  const auto shifted = static_cast<std::int32_t>(static_cast<std::uint32_t>(x) << left);
  return rounding_divide_by_pot(saturating_rounding_doubling_high_mul(shifted, multiplier.multiplier), right);
}

std::int32_t multiply_by_quantized_multiplier_single_rounding(std::int32_t x, const QuantizedMultiplier& multiplier) {
  const int total_shift = 31 - multiplier.shift;
  const std::int64_t round = std::int64_t{1} << (total_shift - 1);
  const std::int64_t result = (static_cast<std::int64_t>(x) * multiplier.multiplier + round) >> total_shift;
  return static_cast<std::int32_t>(std::clamp<std::int64_t>(result, std::numeric_limits<std::int32_t>::min(),
                                                            std::numeric_limits<std::int32_t>::max()));
}

CodeClamp int8_activation_clamp(const ActivationRange& activation, float scale, std::int32_t zero_point) {
  CodeClamp clamp;
  const auto code = [&](float value) {
    return zero_point + static_cast<std::int32_t>(std::round(value / scale));
  };
  if (std::isfinite(activation.low)) clamp.low = std::max(clamp.low, code(activation.low));
  if (std::isfinite(activation.high)) clamp.high = std::min(clamp.high, code(activation.high));
  return clamp;
}

}  // namespace edgeport
