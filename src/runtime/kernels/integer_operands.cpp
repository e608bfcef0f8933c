#include "runtime/kernels/integer_operands.h"

#include "core/error.h"

namespace edgeport {
namespace {

std::int32_t code_at(const Tensor& tensor, std::int64_t index) {
  if (tensor.dtype() == DType::UInt8) return tensor.data<std::uint8_t>()[index];
  return tensor.data<std::int8_t>()[index];
}

}  // namespace

std::vector<std::int32_t> centered_codes(const Tensor& codes, std::int32_t zero_point) {
  std::vector<std::int32_t> centered(static_cast<std::size_t>(codes.numel()));
  for (std::size_t i = 0; i < centered.size(); ++i) {
    centered[i] = code_at(codes, static_cast<std::int64_t>(i)) - zero_point;
  }
  return centered;
}

std::vector<std::int32_t> zero_points(const KernelContext& context, std::size_t index, std::int64_t count) {
  std::vector<std::int32_t> result(static_cast<std::size_t>(count), 0);
  if (!context.has_input(index)) return result;
  const Tensor& zero_point = context.input(index);
  if (zero_point.numel() != 1 && zero_point.numel() != count) {
    throw Error("node '" + context.node.name + "': zero point has " + std::to_string(zero_point.numel()) +
                " values, expected 1 or " + std::to_string(count));
  }
  for (std::int64_t i = 0; i < count; ++i) {
    result[static_cast<std::size_t>(i)] = code_at(zero_point, zero_point.numel() == 1 ? 0 : i);
  }
  return result;
}

}  // namespace edgeport
