#include "pipeline/layout_adapter.h"

#include "core/error.h"

namespace edgeport {

Tensor adapt_layout(const Tensor& tensor, const Shape& wanted) {
  const Shape& have = tensor.shape();
  if (have == wanted) return tensor;
  if (have.size() == 4 && wanted.size() == 4 && tensor.dtype() == DType::Float32) {
    if (wanted == Shape{have[0], have[2], have[3], have[1]}) return tensor.permuted({0, 2, 3, 1});
    if (wanted == Shape{have[0], have[3], have[1], have[2]}) return tensor.permuted({0, 3, 1, 2});
  }
  throw Error("shape " + shape_to_string(have) + " does not match " + shape_to_string(wanted) +
              " (nor as NCHW/NHWC)");
}

}  // namespace edgeport
