#pragma once

namespace edgeport {

// The IR names of the ops src/core/ops/matmul.cpp declares.
namespace op {
inline constexpr char MatMul[] = "MatMul";
}  // namespace op

}  // namespace edgeport
