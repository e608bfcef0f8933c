#pragma once

#include "core/graph.h"

namespace edgeport::tflite_test {

// Conv flavours (SAME-equivalent padding, PyTorch padding that needs a PAD,
// grouped, depthwise, dilated), pools with and without padding, element-wise ops with
// broadcast constants, concat, resize, pad and a mean + linear head; input
// "input" [1,3,20,20], output "output" [1,5].
Graph writer_zoo_graph();

// The layout bookkeeping's hard cases: an IR Transpose, a Flatten of a map
// with spatial extent (a real NHWC -> NCHW conversion), a Linear over the
// last axis of a 4-d tensor, an operand broadcast from a lower-rank
// activation, an unfolded BatchNorm, ceil_mode and uncounted-padding pools,
// Quantize -> Dequantize and a Concat with a constant. Input "input"
// [1,4,9,9], output "output" [1,40].
Graph writer_layout_graph();

}  // namespace edgeport::tflite_test
