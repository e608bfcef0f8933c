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
  pool.planes = x[0] * x[1];
  pool.in_h = x[2];
  pool.in_w = x[3];
  pool.out_h = y[2];
  pool.out_w = y[3];
  pool.kernel_h = kernel[0];
  pool.kernel_w = kernel[1];
  pool.stride_h = window.strides[0];
  pool.stride_w = window.strides[1];
  pool.pad_top = window.pads[0];
  pool.pad_left = window.pads[1];
  pool.pad_bottom = window.pads[2];
  pool.pad_right = window.pads[3];
  pool.dilation_h = window.dilations[0];
  pool.dilation_w = window.dilations[1];
  return pool;
}

}  // namespace edgeport
