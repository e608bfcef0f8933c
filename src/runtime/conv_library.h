#pragma once

#include "runtime/activation.h"
#include "runtime/conv_geometry.h"
#include "runtime/kernel.h"

namespace edgeport {

// Whether prepare_library_conv takes this geometry.
bool runs_on_library(const ConvGeometry& geometry);

// A float32 convolution (NCHW or, with geometry.channels_last, NHWC input and
// output; OIHW float32 weight, optional bias, fused clamp) prepared once on
// oneDNN, the library chosen for large convolutions (docs/runtime.md, "Large
// convolutions"): a oneDNN convolution primitive, oneDNN's sgemm for NCHW
// pointwise ones, or Winograd over oneDNN's sgemm for channels-last 3x3
// stride-1 ones (runtime/conv_winograd.h). Returns an empty Kernel where the
// library is not the better choice: convolutions with fewer than 16 input
// channels per group and fewer than 16 output channels (small depthwise ones
// included) are left to the runtime's direct kernels.

Kernel prepare_library_conv(const ConvGeometry& geometry, const Tensor& weight_oihw_float32, const Tensor* bias_or_null,
                            ActivationRange activation, const RunOptions& options);

}  // namespace edgeport
