#pragma once

#include "pipeline/image.h"
#include "pipeline/resize_filter.h"

namespace edgeport {

// PIL's Image.resize((width, height), filter) on an 8-bit RGB image, byte for
// byte: the filter widens with the scale factor when shrinking (antialiasing),
// bicubic uses a = -0.5, and the weights are fixed point with 22 fractional
// bits. A horizontal pass then a vertical pass each round and clip to 0..255.
Image pil_resize(const Image& image, int width, int height, ResizeFilter filter);

}  // namespace edgeport
