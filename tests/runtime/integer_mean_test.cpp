// IntegerMean against hand arithmetic and against the real mean of the
// dequantized codes requantized once.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "core/error.h"
#include "core/ops/integer.h"
#include "runtime/session.h"

namespace edgeport {
namespace {

Graph mean_graph(const Shape& shape, QuantParams in, QuantParams out) {
  Graph graph;
  const int x = graph.add_input("x", DType::Int8, shape);
  graph.value(x).quant = std::move(in);
  const int mean = graph.add(op::IntegerMean, "mean", {x});
  graph.value(mean).quant = std::move(out);
  graph.mark_output(mean);
  return graph;
}

// Four codes 10, 11, 13, 20 at zero point 2: centred sum 46. Input scale 0.5
// over output scale 0.25 is the multiplier 2 (exact in Q31): 92, over 4
// elements 23, plus the output zero point -5 gives 18. Codes 10, 11, 12, 12:
// sum 37, 74 / 4 = 18.5 rounds away from zero to 19, so 14; mirrored below
// zero, -74 / 4 rounds to -19, so -24.
TEST(IntegerMean, FollowsTheReferenceArithmeticByHand) {
  const Graph graph = mean_graph({1, 3, 2, 2}, QuantParams{{0.5f}, {2}, -1}, QuantParams{{0.25f}, {-5}, -1});
  const Tensor x = Tensor::from_vector<std::int8_t>({1, 3, 2, 2}, {10, 11, 13, 20, 10, 11, 12, 12, -6, -7, -8, -8});
  for (IntegerArithmetic arithmetic : {IntegerArithmetic::TfliteReference, IntegerArithmetic::TfliteSingleRounding}) {
    const Tensor got = Session(graph, {.integer = arithmetic}).run({x}).front();
    ASSERT_EQ(got.shape(), (Shape{1, 3, 1, 1}));
    EXPECT_EQ(got.data<std::int8_t>()[0], 18);
    EXPECT_EQ(got.data<std::int8_t>()[1], 14);
    EXPECT_EQ(got.data<std::int8_t>()[2], -24);
  }
}

TEST(IntegerMean, StaysWithinOneCodeOfTheRealMean) {
  std::mt19937 generator(7);
  std::uniform_int_distribution<int> codes(-128, 127);
  const Shape shape{2, 5, 9, 11};
  Tensor x(DType::Int8, shape);
  for (std::int8_t& c : x.values<std::int8_t>()) c = static_cast<std::int8_t>(codes(generator));
  const float in_scale = 0.037f;
  const float out_scale = 0.011f;
  const Graph graph = mean_graph(shape, QuantParams{{in_scale}, {-7}, -1}, QuantParams{{out_scale}, {3}, -1});
  const Tensor got = Session(graph, {.integer = IntegerArithmetic::TfliteReference}).run({x}).front();
  const auto xs = x.values<std::int8_t>();
  for (std::int64_t plane = 0; plane < 10; ++plane) {
    double sum = 0;
    for (std::int64_t i = 0; i < 99; ++i) sum += xs[static_cast<std::size_t>(plane * 99 + i)] + 7;
    const double want = std::clamp(std::round(sum / 99.0 * in_scale / out_scale) + 3, -128.0, 127.0);
    EXPECT_LE(std::fabs(got.data<std::int8_t>()[plane] - want), 1.0) << plane;
  }
}

// Means beyond the output's range clamp to its codes: all codes 127 at input
// scale 1 are 255 over output scale 0.5, code 510 + 0; all -128, code -510.
TEST(IntegerMean, ClampsToTheInt8Codes) {
  const Graph graph = mean_graph({1, 2, 2, 2}, QuantParams{{1.0f}, {-128}, -1}, QuantParams{{0.5f}, {0}, -1});
  const Tensor x = Tensor::from_vector<std::int8_t>({1, 2, 2, 2}, {127, 127, 127, 127, -128, -128, -128, -128});
  const Tensor got = Session(graph, {.integer = IntegerArithmetic::TfliteReference}).run({x}).front();
  EXPECT_EQ(got.data<std::int8_t>()[0], 127);
  EXPECT_EQ(got.data<std::int8_t>()[1], 0);
}

TEST(IntegerMean, RefusesAnInputThatIsNotFourDimensional) {
  Graph graph;
  const int x = graph.add_input("x", DType::Int8, {2, 3});
  EXPECT_THROW(graph.add(op::IntegerMean, "mean", {x}), Error);
}

}  // namespace
}  // namespace edgeport
