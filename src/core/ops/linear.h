#pragma once

namespace edgeport {

// The IR names of the ops src/core/ops/linear.cpp declares.
namespace op {
inline constexpr char Linear[] = "Linear";
}  // namespace op

}  // namespace edgeport
