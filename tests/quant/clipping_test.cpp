#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "quant/affine.h"
#include "quant/clipping.h"

namespace edgeport {
namespace {

TEST(Clipping, PercentileInterpolatesLikeTorchQuantile) {
  // |x| sorted: 0, 1, 2, 3, 4. Position 0.9 * 4 = 3.6 -> 3 + 0.6 * (4 - 3).
  const std::vector<double> values = {-4.0, 3.0, 0.0, -1.0, 2.0};
  EXPECT_DOUBLE_EQ(abs_percentile(values, 90.0), 3.6);
  EXPECT_DOUBLE_EQ(abs_percentile(values, 100.0), 4.0);
  EXPECT_DOUBLE_EQ(abs_percentile(values, 50.0), 2.0);
  EXPECT_DOUBLE_EQ(abs_percentile(values, 10.0), 0.4);
  EXPECT_DOUBLE_EQ(abs_percentile(std::vector<double>{-7.0}, 99.9), 7.0);
  EXPECT_EQ(abs_percentile(std::vector<double>{}, 99.9), 0.0);
}

TEST(Clipping, MseSearchClipsAFarOutlierAtLowBitWidths) {
  std::vector<double> values;
  for (int i = 0; i < 200; ++i) values.push_back(std::sin(i * 0.37) * 0.1);
  values.push_back(1.0);
  const std::span<const double> all(values);
  const double clip = mse_optimal_clip({all}, 2, true);
  EXPECT_LT(clip, 1.0);
  const double unclipped = fit_channel(values, std::numeric_limits<double>::infinity(), 2, true).squared_error;
  EXPECT_LT(fit_channel(values, clip, 2, true).squared_error, unclipped);
  EXPECT_EQ(mse_optimal_clip({std::span<const double>()}, 8, false), 0.0);
}

}  // namespace
}  // namespace edgeport
