#pragma once

#include "core/graph.h"

namespace edgeport::tflite_test {

// Conv flavours (SAME-equivalent padding, PyTorch padding that needs a PAD,
// grouped, depthwise, dilated), pools with and without padding, element-wise ops with
// broadcast constants, concat, resize, pad and a mean + linear head; input
// "input" [1,3,20,20], output "output" [1,5].
Graph writer_zoo_graph();

}  // namespace edgeport::tflite_test
