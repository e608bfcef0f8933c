// IntegerAdd against the real sum of the dequantized operands, requantized
// and rounded once in double: TFLite's fixed-point steps (20-bit left shift,
// three rounding multiplies) may differ from it by one only, mostly at exact
// ties of the real sum (scales 0.05 and 0.06 make many), which std::round
// takes away from zero and the high multiply upwards.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "core/ops/integer.h"
#include "run_op.h"
#include "runtime/session.h"

namespace edgeport {
namespace {

struct Scales {
  float a, b, out;
  std::int32_t a_zero, b_zero, out_zero;
  std::string activation;
};

void check(const Scales& s, std::uint32_t seed) {
  std::mt19937 generator(seed);
  std::uniform_int_distribution<int> codes(-128, 127);
  const Shape shape{1, 3, 17, 19};
  Tensor x(DType::Int8, shape);
  Tensor y(DType::Int8, shape);
  for (std::int8_t& c : x.values<std::int8_t>()) c = static_cast<std::int8_t>(codes(generator));
  for (std::int8_t& c : y.values<std::int8_t>()) c = static_cast<std::int8_t>(codes(generator));
  Graph graph;
  const int a = graph.add_input("a", DType::Int8, shape);
  const int b = graph.add_input("b", DType::Int8, shape);
  graph.value(a).quant = QuantParams{{s.a}, {s.a_zero}, -1};
  graph.value(b).quant = QuantParams{{s.b}, {s.b_zero}, -1};
  const int sum = graph.add(op::IntegerAdd, "add", {a, b}, testing::attributes({{"activation", s.activation}}));
  graph.value(sum).quant = QuantParams{{s.out}, {s.out_zero}, -1};
  graph.mark_output(sum);
  const Tensor got = Session(graph).run({x, y}).front();
  std::int64_t exact = 0;
  const auto xs = x.values<std::int8_t>();
  const auto ys = y.values<std::int8_t>();
  for (std::size_t i = 0; i < xs.size(); ++i) {
    const double real = static_cast<double>(s.a) * (xs[i] - s.a_zero) + static_cast<double>(s.b) * (ys[i] - s.b_zero);
    const double low = s.activation == "relu" ? static_cast<double>(s.out_zero) : -128.0;
    const double want = std::clamp(std::round(real / s.out) + s.out_zero, low, 127.0);
    const double code = got.data<std::int8_t>()[i];
    ASSERT_LE(std::fabs(code - want), 1.0) << i;
    exact += code == want ? 1 : 0;
  }
  EXPECT_GE(exact * 1000, static_cast<std::int64_t>(xs.size()) * 980) << exact << " of " << xs.size();
}

TEST(IntegerAdd, MatchesTheRealSumRequantized) { check({0.05f, 0.02f, 0.06f, -3, 10, 4, "none"}, 1); }

TEST(IntegerAdd, EqualScalesWithReluMatch) { check({0.1f, 0.1f, 0.15f, 0, -128, -20, "relu"}, 2); }

TEST(IntegerAdd, RefusesOperandsOfDifferentShapes) {
  Graph graph;
  const int a = graph.add_input("a", DType::Int8, {1, 2});
  const int b = graph.add_input("b", DType::Int8, {1, 3});
  EXPECT_ANY_THROW(graph.add(op::IntegerAdd, "add", {a, b}));
}

}  // namespace
}  // namespace edgeport
