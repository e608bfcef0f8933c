#pragma once

namespace edgeport {

// The IR name of the op src/core/ops/hard_sigmoid.cpp declares.
namespace op {
inline constexpr char HardSigmoid[] = "HardSigmoid";
}  // namespace op

// Its attributes' defaults, ONNX's; every layer reads absent ones as these.
namespace hard_sigmoid {
inline constexpr double kDefaultAlpha = 0.2;
inline constexpr double kDefaultBeta = 0.5;
}  // namespace hard_sigmoid

}  // namespace edgeport
