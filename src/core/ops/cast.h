#pragma once

#include "core/graph.h"

namespace edgeport {

// The dtype a Cast node converts to: its "to" attribute, a dtype name such as
// "float32" (core/dtype.h). Throws an Error naming the node otherwise.
DType cast_target(const Node& node);

}  // namespace edgeport
