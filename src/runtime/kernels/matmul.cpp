// MatMul (see src/core/ops/matmul.cpp): float32, batch axes broadcast.
#include <algorithm>

#include "core/ops/matmul.h"
#include "runtime/kernel.h"

namespace edgeport {
namespace {

// Row-major strides of `shape` aligned to the last `rank` axes, 0 where the
// operand has extent 1 (or lacks the axis), so it is broadcast.
std::vector<std::int64_t> broadcast_strides(const Shape& shape, std::size_t rank) {
  std::vector<std::int64_t> strides(rank, 0);
  std::int64_t stride = 1;
  for (std::size_t i = 0; i < shape.size(); ++i) {
    const std::size_t axis = shape.size() - 1 - i;
    const std::size_t target = rank - 1 - i;
    strides[target] = shape[axis] == 1 ? 0 : stride;
    stride *= shape[axis];
  }
  return strides;
}

void run_matmul(const KernelContext& context) {
  const Tensor& a = context.input(0);
  const Tensor& b = context.input(1);
  Tensor& y = context.output();
  const Shape left = a.rank() == 1 ? Shape{1, a.dim(0)} : a.shape();
  const Shape right = b.rank() == 1 ? Shape{b.dim(0), 1} : b.shape();
  const std::int64_t rows = left[left.size() - 2];
  const std::int64_t depth = left.back();
  const std::int64_t columns = right.back();
  const Shape left_batch(left.begin(), left.end() - 2);
  const Shape right_batch(right.begin(), right.end() - 2);
  const std::size_t batch_rank = std::max(left_batch.size(), right_batch.size());
  Shape batch(batch_rank, 1);
  for (std::size_t i = 0; i < batch_rank; ++i) {
    const std::size_t from_end = batch_rank - 1 - i;
    const std::int64_t l = from_end < left_batch.size() ? left_batch[left_batch.size() - 1 - from_end] : 1;
    const std::int64_t r = from_end < right_batch.size() ? right_batch[right_batch.size() - 1 - from_end] : 1;
    batch[i] = std::max(l, r);
  }
  const std::vector<std::int64_t> left_strides = broadcast_strides(left_batch, batch_rank);
  const std::vector<std::int64_t> right_strides = broadcast_strides(right_batch, batch_rank);
  const float* a_data = a.data<float>();
  const float* b_data = b.data<float>();
  float* out = y.data<float>();
  const std::int64_t batches = shape_numel(batch);
  for (std::int64_t index = 0; index < batches; ++index) {
    std::int64_t left_offset = 0;
    std::int64_t right_offset = 0;
    std::int64_t rest = index;
    for (std::size_t axis = batch_rank; axis-- > 0;) {
      const std::int64_t coordinate = rest % batch[axis];
      rest /= batch[axis];
      left_offset += coordinate * left_strides[axis];
      right_offset += coordinate * right_strides[axis];
    }
    const float* lhs = a_data + left_offset * rows * depth;
    const float* rhs = b_data + right_offset * depth * columns;
    float* result = out + index * rows * columns;
    for (std::int64_t r = 0; r < rows; ++r) {
      float* result_row = result + r * columns;
      std::fill(result_row, result_row + columns, 0.0f);
      for (std::int64_t k = 0; k < depth; ++k) {
        const float value = lhs[r * depth + k];
        const float* rhs_row = rhs + k * columns;
        for (std::int64_t c = 0; c < columns; ++c) result_row[c] += value * rhs_row[c];
      }
    }
  }
}

const KernelRegistration registration(op::MatMul, run_matmul);

}  // namespace
}  // namespace edgeport
