#pragma once

#include <cstdint>

namespace edgeport {

// TFLite's SAME padding along one axis: the output has ceil(input / stride)
// entries and any odd padding goes after (bottom / right), unlike PyTorch.
struct SamePadding {
  std::int64_t before = 0;
  std::int64_t after = 0;
  std::int64_t output = 0;
};
SamePadding tflite_same_padding(std::int64_t input, std::int64_t kernel, std::int64_t stride, std::int64_t dilation);

// TFLite's VALID output extent (no padding).
std::int64_t tflite_valid_output(std::int64_t input, std::int64_t kernel, std::int64_t stride, std::int64_t dilation);

}  // namespace edgeport
