#pragma once

namespace edgeport {

// The IR name of the op src/core/ops/elu.cpp declares.
namespace op {
inline constexpr char Elu[] = "Elu";
}  // namespace op

}  // namespace edgeport
