#pragma once

#include "core/graph.h"

namespace edgeport {

// The IR names of the ops src/core/ops/cast.cpp declares.
namespace op {
inline constexpr char Cast[] = "Cast";
}  // namespace op

// The dtype a Cast node converts to: its "to" attribute, a dtype name such as
// "float32" (core/dtype.h). Throws an Error naming the node otherwise.
DType cast_target(const Node& node);

}  // namespace edgeport
