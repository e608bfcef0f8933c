#pragma once

#include "runtime/activation.h"
#include "runtime/conv_geometry.h"

namespace edgeport {

// Float32 grouped convolution (depthwise when group == channels). bias may be
// nullptr. Output channels are split over `threads` threads.
void conv_float(const ConvGeometry& geometry, const float* input, const float* weight, const float* bias,
                ActivationRange activation, float* output, int threads);

}  // namespace edgeport
