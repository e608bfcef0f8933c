#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "core/error.h"
#include "quant/activation_range.h"

namespace edgeport {
namespace {

// The real range an int8 parameter set covers.
std::pair<double, double> covered(const AffineParams& params) {
  return {params.scale * (-128.0 - params.zero_point), params.scale * (127.0 - params.zero_point)};
}

ActivationHistogram observed(const std::vector<float>& values) {
  ActivationHistogram histogram;
  histogram.observe_range(values);
  histogram.start_histogram();
  histogram.observe_histogram(values);
  return histogram;
}

// A million values in [-1, 2] with one far outlier on each side: for MSE
// the rounding error of the bulk outweighs clipping the two.
std::vector<float> with_outliers() {
  std::vector<float> values;
  for (int i = 0; i < 1000000; ++i) values.push_back(std::sin(0.37f * static_cast<float>(i)) * 1.5f + 0.5f);
  values.push_back(40.0f);
  values.push_back(-25.0f);
  return values;
}

TEST(ActivationRange, PositiveRangeStillCoversZeroWithTheLowestCode) {
  const AffineParams params = int8_activation_params(2.0, 5.0);
  EXPECT_EQ(params.zero_point, -128);
  EXPECT_FLOAT_EQ(params.scale, 5.0f / 255.0f);
  const AffineParams negative = int8_activation_params(-6.0, -1.0);
  EXPECT_EQ(negative.zero_point, 127);
}

TEST(ActivationRange, ZeroPointIsForTheInt8GridNotUint8) {
  // [-1, 3]: scale 4/255, and 0 sits a quarter of the way up: code -128 + 63.75.
  const AffineParams params = int8_activation_params(-1.0, 3.0);
  EXPECT_EQ(params.zero_point, -64);
  const auto [lo, hi] = covered(params);
  EXPECT_NEAR(lo, -1.0, params.scale);
  EXPECT_NEAR(hi, 3.0, params.scale);
}

TEST(ActivationRange, MinMaxCoversEveryValueSeen) {
  ActivationHistogram histogram;
  histogram.observe_range(std::vector<float>{0.5f, 3.0f});
  histogram.observe_range(std::vector<float>{-2.0f, 1.0f});
  const auto [lo, hi] = covered(choose_activation_params(histogram, CalibrationMethod::MinMax, 99.99));
  EXPECT_LE(lo, -2.0 + 1e-6);
  EXPECT_GE(hi, 3.0 - 1e-6);
}

TEST(ActivationRange, HistogramMethodsCutFarOutliersAndKeepZero) {
  const ActivationHistogram histogram = observed(with_outliers());
  const auto [full_lo, full_hi] = covered(choose_activation_params(histogram, CalibrationMethod::MinMax, 99.99));
  for (const CalibrationMethod method :
       {CalibrationMethod::Percentile, CalibrationMethod::Mse, CalibrationMethod::Entropy}) {
    const AffineParams params = choose_activation_params(histogram, method, 99.99);
    const auto [lo, hi] = covered(params);
    EXPECT_LE(lo, 0.0) << to_string(method);
    EXPECT_GE(hi, 0.0) << to_string(method);
    EXPECT_GE(params.zero_point, -128) << to_string(method);
    EXPECT_LE(params.zero_point, 127) << to_string(method);
    EXPECT_LT(hi - lo, 0.5 * (full_hi - full_lo)) << to_string(method);
    // The bulk, [-1, 2], stays inside.
    EXPECT_LE(lo, -1.0 + params.scale) << to_string(method);
    EXPECT_GE(hi, 2.0 - params.scale) << to_string(method);
  }
}

TEST(ActivationRange, NonFiniteValuesAndUnknownMethodsAreErrors) {
  ActivationHistogram histogram;
  EXPECT_THROW(histogram.observe_range(std::vector<float>{1.0f, NAN}), Error);
  EXPECT_THROW(parse_calibration_method("kl"), Error);
  EXPECT_EQ(parse_calibration_method("entropy"), CalibrationMethod::Entropy);
}

}  // namespace
}  // namespace edgeport
