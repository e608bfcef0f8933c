#include "onnx/quant_tensors.h"

#include "core/error.h"

namespace edgeport {

Tensor code_tensor(DType dtype, Shape shape, const std::vector<std::int32_t>& codes) {
  Tensor tensor(dtype, std::move(shape));
  if (static_cast<std::size_t>(tensor.numel()) != codes.size()) {
    throw Error("code tensor of shape " + shape_to_string(tensor.shape()) + " given " + std::to_string(codes.size()) +
                " codes");
  }
  for (std::size_t i = 0; i < codes.size(); ++i) {
    if (dtype == DType::UInt8) {
      tensor.data<std::uint8_t>()[i] = static_cast<std::uint8_t>(codes[i]);
    } else {
      tensor.data<std::int8_t>()[i] = static_cast<std::int8_t>(codes[i]);
    }
  }
  return tensor;
}

void check_onnx_quant_params(const std::string& what, DType dtype, const Shape& shape, const QuantParams& params) {
  params.check(shape, "'" + what + "'");
  const std::int32_t lowest = dtype == DType::Int8 ? -128 : 0;
  const std::int32_t highest = dtype == DType::Int8 ? 127 : dtype == DType::UInt8 ? 255 : 0;
  for (std::int32_t zero_point : params.zero_point) {
    if (zero_point < lowest || zero_point > highest) {
      throw Error("'" + what + "': zero point " + std::to_string(zero_point) + " does not fit " +
                  std::string(dtype_name(dtype)) + (dtype == DType::Int32 ? " (ONNX requires 0)" : ""));
    }
  }
}

}  // namespace edgeport
