#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/tensor.h"

namespace edgeport {

// An int8 or uint8 tensor holding the given codes (zero points, weights).
Tensor code_tensor(DType dtype, Shape shape, const std::vector<std::int32_t>& codes);

// The same real values, (code - zero point) * scale, with codes of the other
// 8-bit dtype: codes and the tensor's own zero points move by 128.
Tensor with_codes_in(const Tensor& codes, DType dtype);
// Zero points moved by `offset`.
QuantParams with_zero_points_moved(QuantParams params, std::int32_t offset);

// QuantParams::check, and ONNX's rule that every zero point fits the codes'
// dtype (int32 codes need zero points of 0). Errors name `what`.
void check_onnx_quant_params(const std::string& what, DType dtype, const Shape& shape, const QuantParams& params);

}  // namespace edgeport
