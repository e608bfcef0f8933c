#include "runtime/conv_geometry.h"

#include "core/ops/shape_rules.h"

namespace edgeport {

namespace {

ConvGeometry geometry(const Node& node, const Shape& given_x, const Shape& w, const Shape& given_y) {
  const Window2d window = read_window(node, {w[2], w[3]});
  ConvGeometry g;
  g.channels_last = channels_last(node);
  const Shape x = g.channels_last ? nhwc_to_nchw(given_x) : given_x;
  const Shape y = g.channels_last ? nhwc_to_nchw(given_y) : given_y;
  static_cast<PlaneWindow&>(g) = PlaneWindow::of(x, y, window);
  g.batch = x[0];
  g.in_channels = x[1];
  g.out_channels = w[0];
  g.group = node.attrs.get_int("group", 1);
  return g;
}

}  // namespace

ConvGeometry ConvGeometry::of(const KernelContext& context) {
  return geometry(context.node, context.input(0).shape(), context.input_value(1).shape, context.output().shape());
}

ConvGeometry ConvGeometry::of(const Graph& graph, const Node& node) {
  return geometry(node, graph.value(node.inputs.at(0)).shape, graph.value(node.inputs.at(1)).shape,
                  graph.value(node.outputs.at(0)).shape);
}

}  // namespace edgeport
