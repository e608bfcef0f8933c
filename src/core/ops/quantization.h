#pragma once

namespace edgeport {

// The IR names of the ops src/core/ops/quantization.cpp declares.
namespace op {
inline constexpr char Dequantize[] = "Dequantize";
inline constexpr char Quantize[] = "Quantize";
}  // namespace op

}  // namespace edgeport
