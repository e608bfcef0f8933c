#pragma once

#include "core/graph.h"

namespace edgeport {

// The int32 bias of an IntegerConv / IntegerLinear node for TFLite: its own
// codes, or zeros at input scale x weight scale per channel (zero point 0)
// when it has none, as the TFLite quantization specification requires.
Tensor integer_bias(const Graph& graph, const Node& node, const Tensor& filter);

}  // namespace edgeport
