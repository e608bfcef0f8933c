#pragma once

#include <cstdint>
#include <span>

namespace edgeport {

// real = scale * (code - zero_point)
struct AsymmetricParams {
  float scale = 1.0f;
  std::int32_t zero_point = 0;
};

// Quantizes float activations to int8 the way TFLite's hybrid kernels do
// (tensor_utils::AsymmetricQuantizeFloats), so our hybrid results can match
// TFLite bit for bit: the range is [min(0, min), max(0, max)] over 255 steps,
// the zero point comes from whichever end gives the smaller error, then is
// clamped or rounded (half away from zero) into [-128, 127]. An all-zero
// input gives scale 1 and zero point 0. `codes` must be as long as `values`.
AsymmetricParams quantize_asymmetric(std::span<const float> values, std::span<std::int8_t> codes);

}  // namespace edgeport
