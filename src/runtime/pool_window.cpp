#include "runtime/pool_window.h"

#include "core/ops/shape_rules.h"

namespace edgeport {

namespace {

PoolWindow window_of(const Node& node, const Shape& given_x, const Shape& given_y) {
  const std::vector<std::int64_t> kernel = node.attrs.get_ints("kernel");
  Window2d window = read_window(node, kernel);
  if (!node.attrs.has("strides")) window.strides = kernel;
  PoolWindow pool;
  pool.channels_last = channels_last(node);
  const Shape x = pool.channels_last ? nhwc_to_nchw(given_x) : given_x;
  const Shape y = pool.channels_last ? nhwc_to_nchw(given_y) : given_y;
  pool.channels = x[1];
  static_cast<PlaneWindow&>(pool) = PlaneWindow::of(x, y, window);
  pool.planes = x[0] * x[1];
  return pool;
}

}  // namespace

PoolWindow PoolWindow::of(const KernelContext& context) {
  return window_of(context.node, context.input(0).shape(), context.output().shape());
}

PoolWindow PoolWindow::of(const Graph& graph, const Node& node) {
  return window_of(node, graph.value(node.inputs.at(0)).shape, graph.value(node.outputs.at(0)).shape);
}

}  // namespace edgeport
