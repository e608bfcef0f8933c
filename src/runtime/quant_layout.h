#pragma once

#include <cstdint>
#include <string>

#include "core/graph.h"

namespace edgeport {

// How quantization parameters map onto a tensor: element (o, c, i) of the
// tensor viewed as [outer, channels, inner] uses scale[c] and zero_point[c].
// Per-tensor parameters are channels == 1.
struct QuantLayout {
  std::int64_t outer = 1;
  std::int64_t channels = 1;
  std::int64_t inner = 1;
};

// Checks the parameter counts against the shape; an Error names the node and value.
QuantLayout quant_layout(const Node& node, const std::string& value_name, const Shape& shape,
                         const QuantParams& params);

}  // namespace edgeport
