#include "runtime/quant_layout.h"

#include "core/op_registry.h"

namespace edgeport {

QuantLayout quant_layout(const Node& node, const std::string& value_name, const Shape& shape,
                         const QuantParams& params) {
  QuantLayout layout;
  if (params.per_channel()) {
    const auto axis = static_cast<std::size_t>(params.axis);
    if (axis >= shape.size()) {
      fail_node(node, "quantization axis " + std::to_string(params.axis) + " out of range for '" + value_name + "'");
    }
    for (std::size_t i = 0; i < shape.size(); ++i) {
      if (i < axis) layout.outer *= shape[i];
      if (i > axis) layout.inner *= shape[i];
    }
    layout.channels = shape[axis];
  } else {
    layout.inner = shape_numel(shape);
  }
  if (const std::optional<std::string> problem = params.mismatch(shape)) {
    fail_node(node, "'" + value_name + "': " + *problem);
  }
  return layout;
}

}  // namespace edgeport
