#pragma once

namespace edgeport {

// The IR names of the ops src/core/ops/unary.cpp declares.
namespace op {
inline constexpr char Relu[] = "Relu";
inline constexpr char Relu6[] = "Relu6";
inline constexpr char Sigmoid[] = "Sigmoid";
inline constexpr char HardSwish[] = "HardSwish";
}  // namespace op

}  // namespace edgeport
