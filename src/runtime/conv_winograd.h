#pragma once

#include "runtime/activation.h"
#include "runtime/conv_geometry.h"
#include "runtime/kernel.h"

namespace edgeport {

// A 3x3, stride 1 float32 convolution on channels-last activations computed
// as Winograd F(2x2, 3x3): each 2x2 block of outputs takes 16 multiplies per
// input/output channel pair instead of 36. The input's 4x4 tiles and the
// weights are transformed into 16 planes, the planes are multiplied by
// oneDNN's sgemm (tiles x in_channels times in_channels x out_channels), and
// each 4x4 product tile is transformed back into its 2x2 outputs with the
// bias and clamp. Exact in real arithmetic; in float it stays within the
// runtime's float tolerance of the direct convolution.

// Whether prepare_winograd_conv takes this geometry: channels-last, group 1,
// 3x3 kernel, stride 1, no dilation, and enough output tiles per image that
// the transformed weights (16/9 the size of the direct ones) are read for
// more than a few tiles.
bool runs_as_winograd(const ConvGeometry& geometry);

Kernel prepare_winograd_conv(const ConvGeometry& geometry, const Tensor& weight_oihw_float32,
                             const Tensor* bias_or_null, ActivationRange activation, const RunOptions& options);

}  // namespace edgeport
