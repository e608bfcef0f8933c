// MaxPool and AvgPool over H and W of an NCHW tensor; MaxPool also on int8
// codes, whose order is their values'.
// attrs: kernel [2], strides [2] (default: kernel), pads [top,left,bottom,right],
//        dilations [2] (MaxPool only), ceil_mode 0|1,
//        count_include_pad 0|1 (AvgPool; PyTorch's default is 1),
//        layout "NCHW" | "NHWC" (MaxPool only; see conv_output_shape).
#include "core/ops/pool.h"
#include "core/op_registry.h"
#include "core/ops/shape_rules.h"

namespace edgeport {
namespace {

std::vector<ValueType> infer_pool(const Graph& graph, const Node& node) {
  const Shape& given = node_input(graph, node, 0).shape;
  if (given.size() != 4) fail_node(node, "expects 4-d input");
  const bool nhwc = channels_last(node);
  if (nhwc && node.op != op::MaxPool) fail_node(node, "only MaxPool has a channels-last form");
  const Shape x = nhwc ? nhwc_to_nchw(given) : given;
  const std::vector<std::int64_t> kernel = node.attrs.get_ints("kernel");
  if (kernel.size() != 2) fail_node(node, "expects a 2-d kernel");
  Window2d window = read_window(node, kernel);
  if (!node.attrs.has("strides")) window.strides = kernel;
  const bool ceil_mode = node.attrs.get_int("ceil_mode", 0) != 0;
  if (window.pads[0] * 2 > kernel[0] || window.pads[1] * 2 > kernel[1]) {
    fail_node(node, "padding exceeds half the kernel");
  }
  const Shape extents = window_output_2d(x, window, ceil_mode, node);
  // A max pool picks values, so int8 codes pool as they are (the runtime's
  // integer rewrite); an average pool computes in float.
  const DType dtype = node.op == op::MaxPool ? node_input(graph, node, 0).dtype : DType::Float32;
  const Shape output{x[0], x[1], extents[0], extents[1]};
  return {{dtype, nhwc ? nchw_to_nhwc(output) : output}};
}

const OpRegistration max_pool({op::MaxPool, 1, 1, infer_pool});
const OpRegistration avg_pool({op::AvgPool, 1, 1, infer_pool});

}  // namespace
}  // namespace edgeport
