#pragma once

namespace edgeport {

// The IR names of the ops src/core/ops/mean.cpp declares.
namespace op {
inline constexpr char Mean[] = "Mean";
inline constexpr char GlobalAveragePool[] = "GlobalAveragePool";
}  // namespace op

}  // namespace edgeport
