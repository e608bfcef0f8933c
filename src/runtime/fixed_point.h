#pragma once

#include <cstdint>

#include "runtime/activation.h"

namespace edgeport {

// TFLite's integer requantization (tensorflow/lite/kernels/internal/
// quantization_util.cc and common.h), which TFLite Micro runs: a real
// multiplier in (0, 2^31) becomes a Q0.31 significand and a power-of-two
// exponent, applied with a doubling high multiply (to nearest, ties
// upwards) and then a rounding right shift (ties away from zero). The two
// roundings can differ by one from rounding the real product once.
struct QuantizedMultiplier {
  std::int32_t multiplier = 0;  // Q0.31, in [2^30, 2^31) unless 0
  int shift = 0;                // > 0: left shift first; < 0: right shift after
};

// frexp, the significand rounded half away from zero to 31 bits (a carry to
// 2^31 halves it and raises the exponent); multipliers below 2^-31 flush to 0.
QuantizedMultiplier quantize_multiplier(double real_multiplier);

// a * b * 2 / 2^32 rounded to nearest, ties upwards (gemmlowp's nudge), in 64
// bits; the one overflowing case, a == b == INT32_MIN, saturates to INT32_MAX.
std::int32_t saturating_rounding_doubling_high_mul(std::int32_t a, std::int32_t b);

// x / 2^exponent rounded to nearest, ties away from zero.
std::int32_t rounding_divide_by_pot(std::int32_t x, int exponent);

// x * multiplier, in TFLite's order: left shift, high multiply, right shift.
std::int32_t multiply_by_quantized_multiplier(std::int32_t x, const QuantizedMultiplier& multiplier);

// x * multiplier rounded once, as TFLite builds with TFLITE_SINGLE_ROUNDING
// do: (x * multiplier + 2^(30 - shift)) >> (31 - shift) in 64 bits (ties
// upwards), saturated to int32.
std::int32_t multiply_by_quantized_multiplier_single_rounding(std::int32_t x, const QuantizedMultiplier& multiplier);

// The int8 codes a fused activation clamps to: TFLite's
// CalculateActivationRangeQuantized (the activation's bounds quantized with
// round half away from zero, intersected with [-128, 127]).
struct CodeClamp {
  std::int32_t low = -128;
  std::int32_t high = 127;
};
CodeClamp int8_activation_clamp(const ActivationRange& activation, float scale, std::int32_t zero_point);

}  // namespace edgeport
