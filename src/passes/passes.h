#pragma once

#include <functional>

#include "core/graph.h"

namespace edgeport {

// Folds inference BatchNorm into the preceding Conv (or Linear) when that conv
// has no other reader: W' = W * gamma/sqrt(var+eps) per output channel,
// b' = (b - mean) * gamma/sqrt(var+eps) + beta. Returns how many were folded.
int fold_batch_norm(Graph& graph);

// Fuses Relu / Relu6 that directly follow a Conv, Linear or Add (and are that
// op's only reader) into the op's "activation" attribute. Returns the count.
int fuse_activations(Graph& graph);

// Merges a float Conv into the Conv that alone reads it, when one of the two is
// pointwise (1x1, stride 1, no padding), nothing nonlinear sits between them
// (no fused activation), the merge is exact in real arithmetic (a first conv's
// bias cannot cross the second's zero padding) and the merged conv takes fewer
// multiply-adds. Weights are combined in double. Returns how many were merged.
int merge_linear_convs(Graph& graph);

// Moves the input normalisation the graph records, (pixel / 255 - mean) /
// std, into the graph as a per-channel 1x1 depthwise Conv in front of the
// rest, so the graph takes pixel values 0..255 as they are (metadata
// "input_pixels", core/input_normalization.h). The same function in real
// arithmetic, borders included. An Error when the graph records no
// normalisation, already takes raw pixels, or its single input is not a
// float32 [N,3,H,W] image.
void fold_input_normalization(Graph& graph);

// TFLite's dynamic-range form: every Conv / Linear whose weight is a
// Dequantize of an int8 constant with all-zero zero points reads that int8
// constant directly and gets hybrid=1; the Dequantize is compacted away once
// nothing else reads it. Returns how many ops were marked.
int mark_hybrid(Graph& graph);

// Plans a channels-last (NHWC) layout for the runtime: every Conv that
// `wants_conv` picks gets layout "NHWC", and MaxPool, GlobalAveragePool and
// element-wise ops (Relu, Relu6, Sigmoid, HardSwish, Add, Sub, Mul on tensors
// of one shape) follow when their inputs are channels-last already. Transposes
// in and out sit only where the layout changes: between two channels-last ops
// nothing is copied. The same function, bit for bit, for ops whose kernels add
// in the same order in both layouts. Returns how many ops moved.
int plan_channels_last(Graph& graph, const std::function<bool(const Graph&, const Node&)>& wants_conv);

// The integer form of a QDQ graph (the static quantizer's), as TFLite's int8
// kernels compute it. Each pattern whose float op's output only its Quantize
// to int8 reads becomes one op from codes to codes:
// - Dequantize -> Conv -> Quantize, the Conv reading an int8 activation, an
//   int8 constant weight and an int32 constant bias (or none) through
//   Dequantize: IntegerConv (a Linear in that form: IntegerLinear);
// - Dequantize, Dequantize -> Add -> Quantize of two int8 tensors of one
//   shape: IntegerAdd;
// - Dequantize -> Pad -> Quantize with the same parameters: a Pad of the
//   codes, filling with the code of its pad value.
// Everything else stays. Returns how many Quantize nodes were absorbed.
int lower_qdq_to_integer(Graph& graph);

}  // namespace edgeport
