#pragma once

namespace edgeport {

// The IR names of the ops src/core/ops/integer.cpp declares.
namespace op {
inline constexpr char IntegerConv[] = "IntegerConv";
inline constexpr char IntegerAdd[] = "IntegerAdd";
inline constexpr char IntegerLinear[] = "IntegerLinear";
inline constexpr char IntegerMean[] = "IntegerMean";
}  // namespace op

}  // namespace edgeport
