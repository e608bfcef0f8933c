#include "quant/bias_correction.h"

#include "core/error.h"

namespace edgeport {

std::vector<double> output_shift(const Tensor& weights, const Tensor& codes, const LayerStatistics& statistics) {
  const Tensor dequantized = codes.dequantized();
  const std::int64_t rows = weights.dim(0);
  const std::int64_t row_size = statistics.patch_size;
  if (weights.numel() != rows * row_size || rows % statistics.groups != 0) {
    throw Error("bias correction: weight " + shape_to_string(weights.shape()) +
                " does not match the calibration statistics of layer '" + statistics.node + "'");
  }
  const std::int64_t rows_per_group = rows / statistics.groups;
  const float* original = weights.data<float>();
  const float* rounded = dequantized.data<float>();
  std::vector<double> shift(static_cast<std::size_t>(rows), 0.0);
  for (std::int64_t row = 0; row < rows; ++row) {
    const std::vector<double>& mu = statistics.mean[static_cast<std::size_t>(row / rows_per_group)];
    double sum = 0.0;
    for (std::int64_t i = 0; i < row_size; ++i) {
      const std::int64_t at = row * row_size + i;
      sum += (static_cast<double>(rounded[at]) - static_cast<double>(original[at])) * mu[static_cast<std::size_t>(i)];
    }
    shift[static_cast<std::size_t>(row)] = sum;
  }
  return shift;
}

Tensor corrected_bias(const Tensor* bias, const std::vector<double>& shift) {
  Tensor result(DType::Float32, {static_cast<std::int64_t>(shift.size())});
  float* out = result.data<float>();
  for (std::size_t o = 0; o < shift.size(); ++o) {
    const double base = bias ? static_cast<double>(bias->data<float>()[o]) : 0.0;
    out[o] = static_cast<float>(base - shift[o]);
  }
  return result;
}

}  // namespace edgeport
