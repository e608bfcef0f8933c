#pragma once

#include "runtime/activation.h"
#include "runtime/conv_geometry.h"
#include "runtime/weights.h"

namespace edgeport {

// TFLite's hybrid per-channel convolution (conv and depthwise alike): each
// batch item's input is quantized to asymmetric int8 (quantize_asymmetric),
// products (code - zero_point) * weight_code are summed in int32 with padding
// contributing real zero, and each output is
//   float(acc) * (input_scale * channel_scale[o]) + bias[o]
// clamped by the fused activation, in the operand order of TFLite's optimized
// kernels. bias may be nullptr.
void conv_hybrid(const ConvGeometry& geometry, const float* input, const HybridWeight& weight, const float* bias,
                 ActivationRange activation, float* output, int threads);

}  // namespace edgeport
