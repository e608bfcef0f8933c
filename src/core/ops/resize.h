#pragma once

namespace edgeport {

// The IR names of the ops src/core/ops/resize.cpp declares.
namespace op {
inline constexpr char Resize[] = "Resize";
}  // namespace op

}  // namespace edgeport
