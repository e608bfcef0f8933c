#pragma once

#include "runtime/activation.h"
#include "runtime/conv_geometry.h"
#include "runtime/kernel.h"

namespace edgeport {

// A 1x1, stride-1, unpadded, ungrouped convolution: on NCHW tensors it is one
// matrix product per image, output (O x HW) = weight (O x C) * input (C x HW),
// so it needs neither im2col nor a layout change.
bool is_pointwise(const ConvGeometry& geometry);

// The pointwise convolution as oneDNN's sgemm followed by one pass adding the
// bias and clamping. The weight (O x C x 1 x 1) is copied: the kernel outlives
// the tensor it was prepared from.
Kernel prepare_pointwise_conv(const ConvGeometry& geometry, const Tensor& weight, const Tensor* bias,
                              ActivationRange activation, const RunOptions& options);

}  // namespace edgeport
