#pragma once

#include <cstdint>

#include "core/ops/shape_rules.h"

namespace edgeport {

// A 2-d window sliding over the last two axes of an NCHW tensor: the extents
// it reads and writes and its attributes, as convolutions and pools share them.
struct PlaneWindow {
  std::int64_t in_h = 0;
  std::int64_t in_w = 0;
  std::int64_t out_h = 0;
  std::int64_t out_w = 0;
  std::int64_t kernel_h = 0;
  std::int64_t kernel_w = 0;
  std::int64_t stride_h = 1;
  std::int64_t stride_w = 1;
  std::int64_t pad_top = 0;
  std::int64_t pad_left = 0;
  std::int64_t pad_bottom = 0;
  std::int64_t pad_right = 0;
  std::int64_t dilation_h = 1;
  std::int64_t dilation_w = 1;

  // From the NCHW input and output shapes and the node's window attributes.
  static PlaneWindow of(const Shape& input, const Shape& output, const Window2d& window);
};

}  // namespace edgeport
