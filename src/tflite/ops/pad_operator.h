#pragma once

#include <string>

#include "tflite/lowering_context.h"

namespace edgeport {

// PAD for zero padding; PADV2, whose fill is a constant named `name` +
// "/pad_value", for any other value.
void emit_pad(LoweringContext& context, int input, int paddings, int output, float value, const std::string& name);

}  // namespace edgeport
