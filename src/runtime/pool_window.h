#pragma once

#include <cstdint>

#include "runtime/kernel.h"
#include "runtime/plane_window.h"

namespace edgeport {

// Extents and window attributes of a MaxPool / AvgPool node (NCHW, or NHWC
// with layout "NHWC"); strides default to the kernel, as in the op's shape rule.
struct PoolWindow : PlaneWindow {
  std::int64_t planes = 0;  // batch * channels
  std::int64_t channels = 0;
  bool channels_last = false;

  static PoolWindow of(const KernelContext& context);
  // The same from the graph's declared shapes, for kernels prepared per session.
  static PoolWindow of(const Graph& graph, const Node& node);
};

}  // namespace edgeport
