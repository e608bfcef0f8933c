#pragma once

#include <vector>

#include "core/tensor.h"
#include "quant/layer_statistics.h"

namespace edgeport {

// The mean output shift of each output channel o that weight quantization
// causes on calibration data: (dequantized(codes) - weights)_o . mu_g(o), with
// the weights' rows as OIHW / [out, in] rows and mu of the row's group.
// Subtracting it from the bias makes the layer's mean output error zero on
// that data.
std::vector<double> output_shift(const Tensor& weights, const Tensor& codes, const LayerStatistics& statistics);

// bias - shift in float32 (biases stay float32); -shift when there is no bias.
Tensor corrected_bias(const Tensor* bias, const std::vector<double>& shift);

}  // namespace edgeport
