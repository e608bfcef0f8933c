#pragma once

namespace edgeport {

// The IR names of the ops src/core/ops/concat.cpp declares.
namespace op {
inline constexpr char Concat[] = "Concat";
}  // namespace op

}  // namespace edgeport
