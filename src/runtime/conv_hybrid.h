#pragma once

#include "runtime/activation.h"
#include "runtime/conv_geometry.h"
#include "runtime/weights.h"

namespace edgeport {

// Hybrid convolution (conv and depthwise alike), as LiteRT computes it: each
// batch item's input is quantized to asymmetric int8 on its own (by
// input_quantizer; a pointwise convolution quantizes each pixel's channel
// vector instead, as XNNPACK runs it as a fully connected layer), products (code -
// zero_point) * weight_code are summed in int32 with padding contributing
// real zero, and each output is
//   rescale_accumulator(acc, input_scale, channel_scale[o]) + bias[o],
// clamped by the fused activation. bias may be nullptr.
void conv_hybrid(const ConvGeometry& geometry, const float* input, const HybridWeight& weight, const float* bias,
                 ActivationRange activation, float* output, int threads);

}  // namespace edgeport
