#pragma once

namespace edgeport {

// The IR names of the ops src/core/ops/pool.cpp declares.
namespace op {
inline constexpr char MaxPool[] = "MaxPool";
inline constexpr char AvgPool[] = "AvgPool";
}  // namespace op

}  // namespace edgeport
