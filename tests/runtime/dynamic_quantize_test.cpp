#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "runtime/dynamic_quantize.h"

namespace edgeport {
namespace {

// With the range [-128, 127] XNNPACK's multiplier is exactly 1 and the zero
// point 0, so every code is the input rounded half to even: ties at every
// half step, both signs, and quarter steps around them.
TEST(QuantizeLikeXnnpack, RoundsEveryTieHalfToEven) {
  std::vector<float> values{-128.0f, 127.0f};
  for (int whole = -128; whole < 127; ++whole) {
    for (float fraction : {0.25f, 0.5f, 0.75f}) values.push_back(static_cast<float>(whole) + fraction);
  }
  std::vector<std::int8_t> codes(values.size());
  const AsymmetricParams params = quantize_like_xnnpack(values, codes);
  ASSERT_EQ(params.zero_point, 0);
  ASSERT_EQ(params.scale, 1.0f);
  for (std::size_t i = 0; i < values.size(); ++i) {
    EXPECT_EQ(codes[i], static_cast<std::int8_t>(std::nearbyint(values[i]))) << values[i];
  }
}

TEST(QuantizeLikeXnnpack, ClampsAroundTheZeroPointAndZeroesAConstantInput) {
  std::vector<float> values{0.0f, 1.0f, 2.0f, 0.5f};
  std::vector<std::int8_t> codes(values.size(), 99);
  const AsymmetricParams params = quantize_like_xnnpack(values, codes);
  EXPECT_EQ(params.zero_point, -128);
  EXPECT_EQ(codes.front(), -128);
  EXPECT_EQ(codes[2], 127);
  EXPECT_EQ(codes[3], static_cast<std::int8_t>(std::nearbyint(0.5f * 127.5f) - 128));
  std::vector<float> zeros(3, 0.0f);
  std::vector<std::int8_t> zero_codes(3, 7);
  quantize_like_xnnpack(zeros, zero_codes);
  EXPECT_EQ(zero_codes, std::vector<std::int8_t>(3, 0));
}

}  // namespace
}  // namespace edgeport
