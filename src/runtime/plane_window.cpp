#include "runtime/plane_window.h"

namespace edgeport {

PlaneWindow PlaneWindow::of(const Shape& input, const Shape& output, const Window2d& window) {
  PlaneWindow plane;
  plane.in_h = input[2];
  plane.in_w = input[3];
  plane.out_h = output[2];
  plane.out_w = output[3];
  plane.kernel_h = window.kernel[0];
  plane.kernel_w = window.kernel[1];
  plane.stride_h = window.strides[0];
  plane.stride_w = window.strides[1];
  plane.pad_top = window.pads[0];
  plane.pad_left = window.pads[1];
  plane.pad_bottom = window.pads[2];
  plane.pad_right = window.pads[3];
  plane.dilation_h = window.dilations[0];
  plane.dilation_w = window.dilations[1];
  return plane;
}

}  // namespace edgeport
