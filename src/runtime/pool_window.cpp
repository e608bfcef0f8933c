#include "runtime/pool_window.h"

#include "core/ops/shape_rules.h"

namespace edgeport {

PoolWindow PoolWindow::of(const KernelContext& context) {
  const Node& node = context.node;
  const Shape& x = context.input(0).shape();
  const Shape& y = context.output().shape();
  const std::vector<std::int64_t> kernel = node.attrs.get_ints("kernel");
  Window2d window = read_window(node, kernel);
  if (!node.attrs.has("strides")) window.strides = kernel;
  PoolWindow pool;
  static_cast<PlaneWindow&>(pool) = PlaneWindow::of(x, y, window);
  pool.planes = x[0] * x[1];
  return pool;
}

}  // namespace edgeport
