#pragma once

#include <cstdint>
#include <vector>

namespace edgeport::tflite_test {

// A tiny full-integer TFLite file: int8 input 'x' [batch,4,4,2] (scale 0.5,
// zero point -3) -> CONV_2D 1x1 (int8 per-channel weights, int32 bias) -> int8
// [batch,4,4,3] -> RESHAPE (int32 constant shape) -> int8 output 'z'
// [batch,48] (scale 0.25, zero point 1). With `dequantize_output` a
// DEQUANTIZE makes the output float32 'z_float'.
std::vector<std::uint8_t> tiny_integer_model(int batch = 1, bool dequantize_output = false);

}  // namespace edgeport::tflite_test
