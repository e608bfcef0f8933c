// Cast: converts every element to the dtype named by attrs "to" (e.g.
// "float32", "int32"), as ONNX Cast: float to integer truncates toward zero.
#include "core/ops/cast.h"

#include "core/op_registry.h"

namespace edgeport {

DType cast_target(const Node& node) {
  const std::string name = node.attrs.get_string("to");
  for (DType dtype : {DType::Float32, DType::Float64, DType::Int64, DType::Int32, DType::Int16, DType::Int8,
                      DType::UInt8}) {
    if (dtype_name(dtype) == name) return dtype;
  }
  fail_node(node, "cannot cast to '" + name + "'");
}

namespace {

std::vector<ValueType> infer_cast(const Graph& graph, const Node& node) {
  return {{cast_target(node), node_input(graph, node, 0).shape}};
}

const OpRegistration registration({op::Cast, 1, 1, infer_cast});

}  // namespace
}  // namespace edgeport
