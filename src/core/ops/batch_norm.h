#pragma once

namespace edgeport {

// The IR names of the ops src/core/ops/batch_norm.cpp declares.
namespace op {
inline constexpr char BatchNorm[] = "BatchNorm";
}  // namespace op

}  // namespace edgeport
