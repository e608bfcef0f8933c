#pragma once

namespace edgeport {

// The IR names of the ops src/core/ops/transpose.cpp declares.
namespace op {
inline constexpr char Transpose[] = "Transpose";
}  // namespace op

}  // namespace edgeport
