#pragma once

#include "runtime/activation.h"
#include "runtime/conv_geometry.h"
#include "runtime/kernel.h"

namespace edgeport {

// A convolution as one oneDNN primitive in the layout oneDNN picks for this
// machine (channel-blocked on AVX-512): the weight is reordered once here, the
// NCHW input and output on every run. Returns an empty Kernel when oneDNN has
// no implementation for the geometry.
Kernel prepare_onednn_conv(const ConvGeometry& geometry, const Tensor& weight, const Tensor* bias,
                           ActivationRange activation, const RunOptions& options);

}  // namespace edgeport
