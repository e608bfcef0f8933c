#include <gtest/gtest.h>

#include <cmath>
#include <utility>

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

TEST(Tensor, CopiesShareBytesUntilOneIsWritten) {
  Tensor original = Tensor::from_vector<float>({2, 2}, {1, 2, 3, 4});
  const Tensor copy = original;
  EXPECT_EQ(copy.raw(), std::as_const(original).raw());  // a graph copy does not copy its weights
  original.data<float>()[0] = 9.0f;                       // mutable access detaches the writer
  EXPECT_NE(copy.raw(), std::as_const(original).raw());
  EXPECT_EQ(copy.values<float>()[0], 1.0f);
  EXPECT_EQ(original.values<float>()[0], 9.0f);

  Tensor assigned;
  assigned = copy;
  assigned.values<float>()[3] = -1.0f;
  EXPECT_EQ(copy.values<float>()[3], 4.0f);
}

TEST(Tensor, CopiesOfAViewOwnTheirBytes) {
  std::vector<float> memory{5, 6};
  const Tensor view = Tensor::view(DType::Float32, {2}, reinterpret_cast<std::uint8_t*>(memory.data()));
  const Tensor copy = view;
  memory[0] = 7.0f;
  EXPECT_FALSE(copy.is_view());
  EXPECT_EQ(copy.values<float>()[0], 5.0f);
  EXPECT_EQ(view.values<float>()[0], 7.0f);
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

TEST(Tensor, PermutedMovesEveryElementAndItsQuantizationAxis) {
  // [2, 3, 4] int8 counting codes, per-channel along axis 1.
  Tensor codes(DType::Int8, {2, 3, 4});
  for (std::int64_t i = 0; i < codes.numel(); ++i) codes.data<std::int8_t>()[i] = static_cast<std::int8_t>(i);
  codes.quant = QuantParams{{0.5f, 1.0f, 2.0f}, {0, 0, 0}, 1};
  const Tensor permuted = codes.permuted({2, 0, 1});
  ASSERT_EQ(permuted.shape(), (Shape{4, 2, 3}));
  for (std::int64_t a = 0; a < 2; ++a) {
    for (std::int64_t b = 0; b < 3; ++b) {
      for (std::int64_t c = 0; c < 4; ++c) {
        EXPECT_EQ(permuted.data<std::int8_t>()[(c * 2 + a) * 3 + b], codes.data<std::int8_t>()[(a * 3 + b) * 4 + c]);
      }
    }
  }
  ASSERT_TRUE(permuted.quant);
  EXPECT_EQ(permuted.quant->axis, 2);
  EXPECT_THROW(codes.permuted({0, 0, 1}), Error);
  EXPECT_THROW(codes.permuted({0, 1}), Error);
}

TEST(Tensor, QuantParamsCheckCountsScalesPerAxis) {
  const QuantParams per_channel{{0.5f, 1.0f}, {0, 0}, 0};
  EXPECT_NO_THROW(per_channel.check({2, 3}, "w"));
  EXPECT_THROW(per_channel.check({3, 2}, "w"), Error);
  const QuantParams outside{{0.5f}, {0}, 2};
  EXPECT_THROW(outside.check({1, 1}, "w"), Error);
  const QuantParams per_tensor{{0.5f}, {0, 1}, -1};
  try {
    per_tensor.check({4}, "weight 'fc'");
    FAIL() << "two zero points for one scale passed";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("weight 'fc'"), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace edgeport
