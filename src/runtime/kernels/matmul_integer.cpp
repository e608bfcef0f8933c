// MatMulInteger (see src/core/ops/onnx_integer_ops.cpp): exact int32
// accumulation of (a - a_zero_point) * (b - b_zero_point), b's zero point per
// column when it has one per column.
#include "core/ops/onnx_integer_ops.h"
#include "runtime/kernels/integer_operands.h"

namespace edgeport {
namespace {

void run_matmul_integer(const KernelContext& context) {
  const Tensor& a = context.input(0);
  const Tensor& b = context.input(1);
  const std::int64_t depth = b.dim(0);
  const std::int64_t columns = b.dim(1);
  const std::int64_t rows = a.numel() / depth;
  const std::vector<std::int32_t> left = centered_codes(a, zero_points(context, 2, 1)[0]);
  const std::vector<std::int32_t> b_zero = zero_points(context, 3, columns);
  std::vector<std::int32_t> right = centered_codes(b, 0);
  for (std::int64_t k = 0; k < depth; ++k) {
    for (std::int64_t n = 0; n < columns; ++n) right[static_cast<std::size_t>(k * columns + n)] -= b_zero[n];
  }
  std::int32_t* output = context.output().data<std::int32_t>();
  for (std::int64_t r = 0; r < rows; ++r) {
    std::int32_t* out_row = output + r * columns;
    std::fill(out_row, out_row + columns, 0);
    for (std::int64_t k = 0; k < depth; ++k) {
      const std::int32_t value = left[static_cast<std::size_t>(r * depth + k)];
      const std::int32_t* b_row = right.data() + k * columns;
      for (std::int64_t n = 0; n < columns; ++n) out_row[n] += value * b_row[n];
    }
  }
}

const KernelRegistration registration(op::MatMulInteger, run_matmul_integer);

}  // namespace
}  // namespace edgeport
