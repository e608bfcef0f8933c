#include <gtest/gtest.h>

#include <cmath>

#include "core/dtype.h"
#include "core/error.h"
#include "core/tensor.h"

namespace edgeport {
namespace {

TEST(Half, RoundTripsRepresentableValuesAndRoundsToNearestEven) {
  for (float value : {0.0f, -0.0f, 1.0f, -2.5f, 65504.0f, 6.103515625e-05f, 5.960464477539063e-08f}) {
    EXPECT_EQ(half_to_float(float_to_half(value)), value) << value;
  }
  EXPECT_EQ(half_to_float(float_to_half(1.0f + 1.0f / 4096)), 1.0f);  // halfway below: rounds to even
  EXPECT_TRUE(std::isinf(half_to_float(float_to_half(70000.0f))));
  EXPECT_TRUE(std::isnan(half_to_float(float_to_half(NAN))));
}

TEST(Tensor, Float16ConversionRefusesValuesThatWouldBecomeInfinite) {
  const Tensor fits = Tensor::from_vector<float>({3}, {65504.0f, -65519.0f, INFINITY}).to_float16("fc.weight");
  EXPECT_EQ(half_to_float(reinterpret_cast<const std::uint16_t*>(fits.raw())[1]), -65504.0f);
  try {
    Tensor::from_vector<float>({2}, {1.0f, 65520.0f}).to_float16("fc.weight");
    ADD_FAILURE() << "65520 rounds to infinity in float16";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("fc.weight: value 65520"), std::string::npos) << error.what();
  }
}

TEST(Tensor, DequantizesPerChannel) {
  Tensor codes = Tensor::from_vector<std::int8_t>({2, 2}, {10, -10, 3, 5});
  codes.quant = QuantParams{{0.5f, 2.0f}, {0, 1}, 0};
  const Tensor real = codes.dequantized();
  EXPECT_FLOAT_EQ(real.data<float>()[0], 5.0f);
  EXPECT_FLOAT_EQ(real.data<float>()[1], -5.0f);
  EXPECT_FLOAT_EQ(real.data<float>()[2], 4.0f);
  EXPECT_FLOAT_EQ(real.data<float>()[3], 8.0f);
}

}  // namespace
}  // namespace edgeport
