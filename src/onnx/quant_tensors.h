#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/tensor.h"

namespace edgeport {

// An int8 or uint8 tensor holding the given codes (zero points, weights).
Tensor code_tensor(DType dtype, Shape shape, const std::vector<std::int32_t>& codes);

// QuantParams::check, and ONNX's rule that every zero point fits the codes'
// dtype (int32 codes need zero points of 0). Errors name `what`.
void check_onnx_quant_params(const std::string& what, DType dtype, const Shape& shape, const QuantParams& params);

}  // namespace edgeport
