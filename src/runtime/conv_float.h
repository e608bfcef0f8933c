#pragma once

#include "runtime/activation.h"
#include "runtime/conv_geometry.h"

namespace edgeport {

// Float32 grouped convolution (depthwise when group == channels). bias may be
// nullptr. Output channels are split over `threads` threads. A depthwise
// convolution with one output per channel sums in the order of
// `depthwise_arithmetic`; every other one (and Sequential) in the bias, then
// channel, kernel row, kernel column order of accumulate_plane.
void conv_float(const ConvGeometry& geometry, const float* input, const float* weight, const float* bias,
                ActivationRange activation, float* output, int threads,
                DepthwiseArithmetic depthwise_arithmetic = DepthwiseArithmetic::Sequential);

}  // namespace edgeport
