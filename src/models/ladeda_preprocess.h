#pragma once

#include <string>
#include <vector>

#include "models/model_builder.h"

namespace edgeport {

// The fixed input representations shared by LaDeDa and Tiny-LaDeDa: four
// 3x3 gradient filters, NPR, or the raw image. The authors' definitions
// (networks/LaDeDa.py, networks/Tiny_LaDeDa.py) spell them identically.
const std::vector<std::string>& ladeda_preprocess_modes();

// Adds the representation `mode` of `x`. The gradient filters are
// F.conv2d(x, k.repeat(3,1,1,1), groups=3, padding="same"): a depthwise 3x3
// cross-correlation with one pixel of zero padding on every side.
int ladeda_preprocess(ModelBuilder& builder, const std::string& mode, int x);

// NPR halves and doubles the image, so H and W must be even; throws an Error
// naming `architecture` otherwise.
void check_ladeda_preprocess_input(const std::string& architecture, const std::string& mode, const Shape& input);

}  // namespace edgeport
