#pragma once

#include "core/tensor.h"

namespace edgeport {

// Brings a tensor to the shape another model's interface expects: unchanged
// when the shapes already agree, transposed NCHW <-> NHWC when one is that
// permutation of the other (TFLite files written with --layout nhwc).
// An Error otherwise.
Tensor adapt_layout(const Tensor& tensor, const Shape& wanted);

}  // namespace edgeport
