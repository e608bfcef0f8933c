#pragma once

namespace edgeport {

// The IR names of the ops src/core/ops/reshape.cpp declares.
namespace op {
inline constexpr char Reshape[] = "Reshape";
inline constexpr char Flatten[] = "Flatten";
}  // namespace op

}  // namespace edgeport
