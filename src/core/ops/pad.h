#pragma once

namespace edgeport {

// The IR names of the ops src/core/ops/pad.cpp declares.
namespace op {
inline constexpr char Pad[] = "Pad";
}  // namespace op

}  // namespace edgeport
