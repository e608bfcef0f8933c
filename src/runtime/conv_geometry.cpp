#include "runtime/conv_geometry.h"

#include "core/ops/shape_rules.h"

namespace edgeport {

namespace {

ConvGeometry geometry(const Node& node, const Shape& x, const Shape& w, const Shape& y) {
  const Window2d window = read_window(node, {w[2], w[3]});
  ConvGeometry g;
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
