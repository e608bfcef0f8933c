#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

#include "runtime/fixed_point.h"

namespace edgeport {
namespace {

TEST(FixedPoint, MultiplierIsQ31SignificandAndExponent) {
  const QuantizedMultiplier half = quantize_multiplier(0.5);
  EXPECT_EQ(half.multiplier, 1 << 30);
  EXPECT_EQ(half.shift, 0);
  const QuantizedMultiplier one = quantize_multiplier(1.0);
  EXPECT_EQ(one.multiplier, 1 << 30);
  EXPECT_EQ(one.shift, 1);
  const QuantizedMultiplier small = quantize_multiplier(0.75 / 1024);
  EXPECT_EQ(small.multiplier, 1610612736);  // 0.75 * 2^31
  EXPECT_EQ(small.shift, -10);
  // A significand that rounds up to 2^31 carries into the exponent.
  const QuantizedMultiplier carried = quantize_multiplier(std::nextafter(1.0, 0.0));
  EXPECT_EQ(carried.multiplier, 1 << 30);
  EXPECT_EQ(carried.shift, 1);
  EXPECT_EQ(quantize_multiplier(1e-12).multiplier, 0);
  EXPECT_EQ(quantize_multiplier(0.0).multiplier, 0);
}

TEST(FixedPoint, RoundingDivisionTiesAwayFromZero) {
  EXPECT_EQ(rounding_divide_by_pot(5, 1), 3);
  EXPECT_EQ(rounding_divide_by_pot(-5, 1), -3);
  EXPECT_EQ(rounding_divide_by_pot(3, 1), 2);
  EXPECT_EQ(rounding_divide_by_pot(-3, 1), -2);
  EXPECT_EQ(rounding_divide_by_pot(-6, 2), -2);  // -1.5
  EXPECT_EQ(rounding_divide_by_pot(-5, 2), -1);  // -1.25
  EXPECT_EQ(rounding_divide_by_pot(7, 0), 7);
}

TEST(FixedPoint, HighMulSaturatesOnlyAtTheMinimumSquared) {
  constexpr std::int32_t kMin = std::numeric_limits<std::int32_t>::min();
  EXPECT_EQ(saturating_rounding_doubling_high_mul(kMin, kMin), std::numeric_limits<std::int32_t>::max());
  EXPECT_EQ(saturating_rounding_doubling_high_mul(1 << 30, 1 << 30), 1 << 29);
  // 3 * 2^30 * 2 / 2^32 = 1.5: ties round upwards on both signs (the
  // negative nudge is one short of a half).
  EXPECT_EQ(saturating_rounding_doubling_high_mul(3, 1 << 30), 2);
  EXPECT_EQ(saturating_rounding_doubling_high_mul(-3, 1 << 30), -1);
  EXPECT_EQ(saturating_rounding_doubling_high_mul(-3 * 2 - 1, 1 << 29), -2);  // -1.75
}

// Against the real product rounded to nearest: the fixed-point path rounds
// twice (the high multiply, then the shift), so it may differ by one where
// the first rounding crosses a tie of the second; with the multipliers of
// real layers (accumulator scale / output scale, well below 2^-7) that is rare.
TEST(FixedPoint, MultiplyMatchesTheRealProductWithinOne) {
  std::mt19937 generator(7);
  std::uniform_int_distribution<std::int32_t> accumulators(-2000000, 2000000);
  std::uniform_real_distribution<double> multipliers(1e-5, 1e-2);
  int exact = 0;
  constexpr int kCases = 100000;
  for (int i = 0; i < kCases; ++i) {
    const std::int32_t x = accumulators(generator);
    const double real = multipliers(generator);
    const std::int32_t got = multiply_by_quantized_multiplier(x, quantize_multiplier(real));
    const double want = std::round(static_cast<double>(x) * real);
    ASSERT_LE(std::fabs(got - want), 1.0) << x << " * " << real;
    exact += got == want ? 1 : 0;
  }
  EXPECT_GE(exact, kCases * 99 / 100);
}

// Rounded once, the fixed-point product differs from the real one only where
// the Q31 multiplier's own rounding moves it across a tie.
TEST(FixedPoint, SingleRoundingMatchesTheRealProduct) {
  std::mt19937 generator(9);
  std::uniform_int_distribution<std::int32_t> accumulators(-2000000, 2000000);
  std::uniform_real_distribution<double> multipliers(1e-5, 0.9);
  int exact = 0;
  constexpr int kCases = 100000;
  for (int i = 0; i < kCases; ++i) {
    const std::int32_t x = accumulators(generator);
    const double real = multipliers(generator);
    const std::int32_t got = multiply_by_quantized_multiplier_single_rounding(x, quantize_multiplier(real));
    const double want = std::floor(static_cast<double>(x) * real + 0.5);
    ASSERT_LE(std::fabs(got - want), 1.0) << x << " * " << real;
    exact += got == want ? 1 : 0;
  }
  EXPECT_GE(exact, kCases * 9999 / 10000);
}

TEST(FixedPoint, ActivationClampIsTheQuantizedBounds) {
  const CodeClamp none = int8_activation_clamp({}, 0.1f, 5);
  EXPECT_EQ(none.low, -128);
  EXPECT_EQ(none.high, 127);
  const CodeClamp relu = int8_activation_clamp({0.0f, std::numeric_limits<float>::infinity()}, 0.1f, -20);
  EXPECT_EQ(relu.low, -20);
  EXPECT_EQ(relu.high, 127);
  const CodeClamp relu6 = int8_activation_clamp({0.0f, 6.0f}, 0.025f, -128);
  EXPECT_EQ(relu6.low, -128);
  EXPECT_EQ(relu6.high, 112);  // -128 + 240
}

}  // namespace
}  // namespace edgeport
