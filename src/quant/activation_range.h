#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "quant/affine.h"

namespace edgeport {

// How the range of an activation is chosen from what calibration saw.
enum class CalibrationMethod {
  MinMax,      // the smallest and largest value seen
  Percentile,  // the (100-p)-th and p-th percentiles, both tails cut
  Mse,         // the range that minimises the quantization MSE over the values seen
  Entropy,     // the range whose int8 histogram is closest (KL divergence) to the float one
};

CalibrationMethod parse_calibration_method(const std::string& text);  // minmax | percentile | mse | entropy
std::string to_string(CalibrationMethod method);

// Values of one activation seen over every calibration input, in two passes:
// the first finds the range, the second counts values in kBins equal bins
// over it (widened to include 0). Only the methods other than minmax need the
// second pass.
class ActivationHistogram {
 public:
  static constexpr int kBins = 2048;

  void observe_range(std::span<const float> values);
  // Starts the histogram over the range observed so far.
  void start_histogram();
  void observe_histogram(std::span<const float> values);

  double min() const { return min_; }
  double max() const { return max_; }
  const std::vector<double>& counts() const { return counts_; }
  double bin_width() const { return (max_ - min_) / kBins; }

 private:
  double min_ = 0.0;  // 0 is always in the range
  double max_ = 0.0;
  std::vector<double> counts_;
};

// The asymmetric int8 parameters ([-128,127]) of an activation by `method`;
// the range always includes 0, so that zero padding and ReLU's floor are
// exact codes. `percentile` is p for CalibrationMethod::Percentile.
AffineParams choose_activation_params(const ActivationHistogram& histogram, CalibrationMethod method,
                                      double percentile);

// The int8 parameters of a range [lo, hi] widened to include 0.
AffineParams int8_activation_params(double lo, double hi);

}  // namespace edgeport
