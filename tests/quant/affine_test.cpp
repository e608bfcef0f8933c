#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "core/error.h"
#include "quant/affine.h"

namespace edgeport {
namespace {

TEST(Affine, CodeRangesFollowTheBitWidth) {
  EXPECT_EQ(code_range(8, false).lo, -128);
  EXPECT_EQ(code_range(8, false).hi, 127);
  EXPECT_EQ(code_range(8, true).lo, -127);
  EXPECT_EQ(code_range(4, false).lo, -8);
  EXPECT_EQ(code_range(4, false).hi, 7);
  EXPECT_EQ(code_range(2, true).lo, -1);
  EXPECT_EQ(code_range(2, true).hi, 1);
  EXPECT_THROW(code_range(1, false), Error);
  EXPECT_THROW(code_range(9, false), Error);
}

TEST(Affine, RoundsHalfToEven) {
  EXPECT_EQ(round_half_even(0.5), 0.0);
  EXPECT_EQ(round_half_even(1.5), 2.0);
  EXPECT_EQ(round_half_even(2.5), 2.0);
  EXPECT_EQ(round_half_even(-0.5), 0.0);
  EXPECT_EQ(round_half_even(-1.5), -2.0);
  EXPECT_EQ(round_half_even(-2.5), -2.0);
  EXPECT_EQ(round_half_even(2.4999999), 2.0);
  EXPECT_EQ(round_half_even(-3.7), -4.0);
}

TEST(Affine, AsymmetricRangeIncludesZeroSoZeroIsExact) {
  // A positive-only range: without widening, 0 would fall outside.
  const AffineParams params = compute_quant_params(0.5, 2.0, 8, false);
  EXPECT_EQ(params.zero_point, -128);
  EXPECT_FLOAT_EQ(params.scale, 2.0f / 255.0f);
  const CodeRange range = code_range(8, false);
  EXPECT_EQ(dequantize_value(quantize_value(0.0, params, range), params), 0.0f);
  const AffineParams negative = compute_quant_params(-3.0, -1.0, 8, false);
  EXPECT_EQ(negative.zero_point, 127);
  EXPECT_EQ(dequantize_value(quantize_value(0.0, negative, range), negative), 0.0f);
}

TEST(Affine, SeedZeroPointFormulaOnAMixedRange) {
  // scale = (1 - -0.5) / 255, zero_point = round(-128 - (-0.5)/scale) = round(-128 + 85) = -43.
  const AffineParams params = compute_quant_params(-0.5, 1.0, 8, false);
  EXPECT_EQ(params.zero_point, -43);
  const CodeRange range = code_range(8, false);
  EXPECT_EQ(quantize_value(-0.5, params, range), -128);
  EXPECT_EQ(quantize_value(1.0, params, range), 127);
}

TEST(Affine, SymmetricUsesTheRestrictedRangeAndKeepsTheLargestWeight) {
  const AffineParams params = compute_quant_params(-0.3, 1.27, 8, true);
  EXPECT_EQ(params.zero_point, 0);
  EXPECT_FLOAT_EQ(params.scale, 0.01f);
  const CodeRange range = code_range(8, true);
  EXPECT_EQ(quantize_value(1.27, params, range), 127);
  EXPECT_EQ(quantize_value(-1.27, params, range), -127);
  EXPECT_EQ(quantize_value(-5.0, params, range), -127);  // never -128
  EXPECT_NEAR(dequantize_value(127, params), 1.27f, 1e-6f);
}

TEST(Affine, TinyScalesAreRaisedToTheGuard) {
  EXPECT_EQ(compute_quant_params(0.0, 0.0, 8, false).scale, kMinScale);
  EXPECT_EQ(compute_quant_params(0.0, 0.0, 8, true).scale, kMinScale);
  EXPECT_EQ(compute_quant_params(-1e-12, 1e-12, 8, false).scale, kMinScale);
  EXPECT_EQ(compute_quant_params(0.0, 0.0, 8, false).zero_point, -128);
}

TEST(Affine, FitMeasuresErrorAgainstTheUnclampedValues) {
  const std::vector<double> values = {-1.0, 0.0, 0.25, 4.0};
  const ChannelFit full = fit_channel(values, std::numeric_limits<double>::infinity(), 8, false);
  const ChannelFit clipped = fit_channel(values, 1.0, 8, false);
  EXPECT_LT(full.squared_error, 1e-3);
  // 4.0 clipped to about 1.0 costs about 3.0 of error.
  EXPECT_NEAR(clipped.max_abs_error, 3.0, 0.01);
  EXPECT_GT(clipped.squared_error, full.squared_error);
}

}  // namespace
}  // namespace edgeport
