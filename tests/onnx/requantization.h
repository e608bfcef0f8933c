#pragma once

#include "core/graph.h"

namespace edgeport::onnx_test {

// An upper bound on max |y_dynamic - y| where y is the graph's output in our
// runtime (weights dequantized, float activations) and y_dynamic the output
// of the same graph exported in the "dynamic" form, whose Conv / Linear with
// quantized weights see their input requantized to uint8 by
// DynamicQuantizeLinear. Same weights, so only activations differ:
//
// - requantizing x with scale s = (max(x, 0) - min(x, 0)) / 255 moves each
//   element by at most s / 2 (the zero point is rounded, so the range still
//   covers x to within s / 2, and round-to-nearest adds at most s / 2 inside);
// - a Conv / Linear turns an input error e into at most e times its largest
//   row sum of |w| (L-infinity operator norm); ReLU, ReLU6, pooling, means,
//   resizes and reshapes do not enlarge it; Add / Sub add errors; Mul by a
//   constant scales by its largest |c|; BatchNorm by its largest
//   |gamma / sqrt(var + eps)|; Sigmoid by 1/4; HardSwish by 3/2.
//
// The scale of a requantized input is taken from the reference activation x
// and widened by the error already bounded for x (a perturbed x has a range
// at most 2 e wider). Throws Error for ops the bound does not cover.
double requantization_bound(const Graph& graph, const Tensor& input);

}  // namespace edgeport::onnx_test
