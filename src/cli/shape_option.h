#pragma once

#include <string>

#include "core/tensor.h"

namespace edgeport::cli {

// "1,3,224,224" or "1x3x224x224"; empty text gives an empty shape.
Shape parse_shape_option(const std::string& text);

}  // namespace edgeport::cli
