#include "runtime/conv_geometry.h"

#include <algorithm>

#include "core/ops/shape_rules.h"

namespace edgeport {

ConvGeometry ConvGeometry::of(const KernelContext& context) {
  const Shape& x = context.input(0).shape();
  const Shape& w = context.input_value(1).shape;
  const Shape& y = context.output().shape();
  const Window2d window = read_window(context.node, {w[2], w[3]});
  ConvGeometry g;
  g.batch = x[0];
  g.in_channels = x[1];
  g.in_h = x[2];
  g.in_w = x[3];
  g.out_channels = w[0];
  g.kernel_h = w[2];
  g.kernel_w = w[3];
  g.out_h = y[2];
  g.out_w = y[3];
  g.group = context.node.attrs.get_int("group", 1);
  g.stride_h = window.strides[0];
  g.stride_w = window.strides[1];
  g.pad_top = window.pads[0];
  g.pad_left = window.pads[1];
  g.dilation_h = window.dilations[0];
  g.dilation_w = window.dilations[1];
  return g;
}

}  // namespace edgeport
