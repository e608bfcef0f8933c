#pragma once

#include "core/graph.h"

namespace edgeport::onnx_test {

Attributes attributes(std::initializer_list<std::pair<const char*, AttributeValue>> entries);

// Conv (strided, asymmetric pads, fused ReLU), depthwise Conv, BatchNorm,
// Relu6, MaxPool, AvgPool, GlobalAveragePool, Flatten and Linear (fused
// Relu6); input [1,3,17,19], output "fc" [1,5].
Graph classifier_graph();

// Resize (scales and sizes), Sub, Mul by a constant, Transpose, Linear over
// the last axis of a 4-d tensor, Pad, Concat, Reshape and Mean; input
// [1,3,8,6].
Graph shape_ops_graph();

// int8 codes of a float weight per output channel (axis 0) or per tensor,
// asymmetric over [-128, 127] or symmetric over [-127, 127].
Tensor quantize_weight(const Tensor& weight, bool per_channel, bool symmetric);

// Conv + fused ReLU, a grouped Conv, Relu6, pooling and a Linear, with int8
// weights read by Dequantize; input [1,4,12,10].
Graph quantized_graph(bool per_channel, bool symmetric);

}  // namespace edgeport::onnx_test
