#pragma once

namespace edgeport {

// The IR names of the ops src/core/ops/binary.cpp declares.
namespace op {
inline constexpr char Add[] = "Add";
inline constexpr char Sub[] = "Sub";
inline constexpr char Mul[] = "Mul";
}  // namespace op

}  // namespace edgeport
