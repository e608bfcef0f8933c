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

Tensor with_codes_in(const Tensor& codes, DType dtype) {
  if (codes.dtype() == dtype) return codes;
  if ((codes.dtype() != DType::Int8 && codes.dtype() != DType::UInt8) ||
      (dtype != DType::Int8 && dtype != DType::UInt8)) {
    throw Error("cannot recode " + std::string(dtype_name(codes.dtype())) + " codes as " +
                std::string(dtype_name(dtype)));
  }
  Tensor recoded(dtype, codes.shape());
  const std::uint8_t* from = codes.raw();
  std::uint8_t* to = recoded.raw();
  // Flipping the top bit adds 128 to an int8 code and subtracts 128 from a uint8 one.
  for (std::int64_t i = 0; i < codes.numel(); ++i) to[i] = from[i] ^ 0x80u;
  if (codes.quant) recoded.quant = with_zero_points_moved(*codes.quant, dtype == DType::UInt8 ? 128 : -128);
  return recoded;
}

QuantParams with_zero_points_moved(QuantParams params, std::int32_t offset) {
  for (std::int32_t& zero_point : params.zero_point) zero_point += offset;
  return params;
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
