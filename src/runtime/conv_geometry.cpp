#include "runtime/conv_geometry.h"

#include "core/ops/shape_rules.h"

namespace edgeport {

ConvGeometry ConvGeometry::of(const KernelContext& context) {
  const Shape& x = context.input(0).shape();
  const Shape& w = context.input_value(1).shape;
  const Shape& y = context.output().shape();
  const Window2d window = read_window(context.node, {w[2], w[3]});
  ConvGeometry g;
  static_cast<PlaneWindow&>(g) = PlaneWindow::of(x, y, window);
  g.batch = x[0];
  g.in_channels = x[1];
  g.out_channels = w[0];
  g.group = context.node.attrs.get_int("group", 1);
  return g;
}

}  // namespace edgeport
