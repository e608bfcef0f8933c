#pragma once

namespace edgeport {

// The IR names of the ops src/core/ops/conv.cpp declares.
namespace op {
inline constexpr char Conv[] = "Conv";
}  // namespace op

}  // namespace edgeport
