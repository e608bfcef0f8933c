#pragma once

#include <cstdint>

#include "runtime/kernel.h"

namespace edgeport {

// Extents and window attributes of a MaxPool / AvgPool node (NCHW); strides
// default to the kernel, as in the op's shape rule.
struct PoolWindow {
  std::int64_t planes = 0;  // batch * channels
  std::int64_t in_h = 0;
  std::int64_t in_w = 0;
  std::int64_t out_h = 0;
  std::int64_t out_w = 0;
  std::int64_t kernel_h = 0;
  std::int64_t kernel_w = 0;
  std::int64_t stride_h = 0;
  std::int64_t stride_w = 0;
  std::int64_t pad_top = 0;
  std::int64_t pad_left = 0;
  std::int64_t pad_bottom = 0;
  std::int64_t pad_right = 0;
  std::int64_t dilation_h = 1;
  std::int64_t dilation_w = 1;

  static PoolWindow of(const KernelContext& context);
};

}  // namespace edgeport
