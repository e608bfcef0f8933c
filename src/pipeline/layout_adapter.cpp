#include "pipeline/layout_adapter.h"

#include <array>

#include "core/error.h"

namespace edgeport {

namespace {

Tensor permute4(const Tensor& tensor, const std::array<int, 4>& perm) {
  const Shape& in = tensor.shape();
  Shape out_shape(4);
  for (int i = 0; i < 4; ++i) out_shape[static_cast<std::size_t>(i)] = in[static_cast<std::size_t>(perm[i])];
  std::array<std::int64_t, 4> in_strides{in[1] * in[2] * in[3], in[2] * in[3], in[3], 1};
  Tensor result(DType::Float32, out_shape);
  const float* source = tensor.data<float>();
  float* target = result.data<float>();
  std::int64_t index = 0;
  for (std::int64_t a = 0; a < out_shape[0]; ++a) {
    for (std::int64_t b = 0; b < out_shape[1]; ++b) {
      for (std::int64_t c = 0; c < out_shape[2]; ++c) {
        for (std::int64_t d = 0; d < out_shape[3]; ++d) {
          target[index++] = source[a * in_strides[perm[0]] + b * in_strides[perm[1]] + c * in_strides[perm[2]] +
                                   d * in_strides[perm[3]]];
        }
      }
    }
  }
  return result;
}

}  // namespace

Tensor adapt_layout(const Tensor& tensor, const Shape& wanted) {
  const Shape& have = tensor.shape();
  if (have == wanted) return tensor;
  if (have.size() == 4 && wanted.size() == 4 && tensor.dtype() == DType::Float32) {
    if (wanted == Shape{have[0], have[2], have[3], have[1]}) return permute4(tensor, {0, 2, 3, 1});
    if (wanted == Shape{have[0], have[3], have[1], have[2]}) return permute4(tensor, {0, 3, 1, 2});
  }
  throw Error("shape " + shape_to_string(have) + " does not match " + shape_to_string(wanted) +
              " (nor as NCHW/NHWC)");
}

}  // namespace edgeport
