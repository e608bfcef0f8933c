#include <gtest/gtest.h>

#include <cmath>
#include <algorithm>
#include <limits>
#include <random>

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

TEST(Clipping, PercentileOfALargeTensorEqualsTheSortedInterpolation) {
  // Ties and a heavy tail, as trained weights have; the sorted vector read at
  // the interpolation position is the definition the selection must meet.
  std::mt19937 generator(3);
  std::student_t_distribution<double> heavy(2.0);
  std::vector<double> values(20011);
  for (double& value : values) value = std::round(heavy(generator) * 64.0) / 64.0;
  std::vector<double> sorted(values.size());
  std::transform(values.begin(), values.end(), sorted.begin(), [](double v) { return std::fabs(v); });
  std::sort(sorted.begin(), sorted.end());
  for (double percentile : {0.0, 12.5, 50.0, 99.0, 99.9, 99.99, 100.0}) {
    const double position = static_cast<double>(sorted.size() - 1) * percentile / 100.0;
    const auto below = static_cast<std::size_t>(std::floor(position));
    const double weight = position - std::floor(position);
    const double expected = below + 1 < sorted.size()
                                ? (weight >= 0.5 ? sorted[below + 1] - (sorted[below + 1] - sorted[below]) * (1.0 - weight)
                                                 : sorted[below] + (sorted[below + 1] - sorted[below]) * weight)
                                : sorted.back();
    EXPECT_EQ(abs_percentile(values, percentile), expected) << percentile;
  }
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
