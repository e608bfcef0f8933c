#pragma once

namespace edgeport {

// The IR names of the ops src/core/ops/onnx_integer_ops.cpp declares.
namespace op {
inline constexpr char DynamicQuantizeLinear[] = "DynamicQuantizeLinear";
inline constexpr char ConvInteger[] = "ConvInteger";
inline constexpr char MatMulInteger[] = "MatMulInteger";
}  // namespace op

}  // namespace edgeport
