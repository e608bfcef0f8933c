#include "tflite/padding.h"

#include <algorithm>

namespace edgeport {

SamePadding tflite_same_padding(std::int64_t input, std::int64_t kernel, std::int64_t stride, std::int64_t dilation) {
  SamePadding padding;
  padding.output = (input + stride - 1) / stride;
  const std::int64_t span = dilation * (kernel - 1) + 1;
  const std::int64_t total = std::max<std::int64_t>((padding.output - 1) * stride + span - input, 0);
  padding.before = total / 2;
  padding.after = total - padding.before;
  return padding;
}

std::int64_t tflite_valid_output(std::int64_t input, std::int64_t kernel, std::int64_t stride, std::int64_t dilation) {
  const std::int64_t span = dilation * (kernel - 1) + 1;
  return input < span ? 0 : (input - span) / stride + 1;
}

}  // namespace edgeport
