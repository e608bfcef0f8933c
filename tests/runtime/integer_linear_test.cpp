// IntegerLinear against the arithmetic written out: int64 sums of weight x
// (code - zero point) plus bias, the real rescale in double, rounded once.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "core/ops/integer.h"
#include "run_op.h"
#include "runtime/session.h"

namespace edgeport {
namespace {

TEST(IntegerLinear, MatchesTheWrittenOutArithmetic) {
  std::mt19937 generator(5);
  std::uniform_int_distribution<int> codes(-128, 127);
  std::uniform_int_distribution<int> weights(-127, 127);
  const std::int64_t rows = 6, depth = 40, features = 9;
  Tensor x(DType::Int8, {rows, depth});
  for (std::int8_t& c : x.values<std::int8_t>()) c = static_cast<std::int8_t>(codes(generator));
  Tensor w(DType::Int8, {features, depth});
  for (std::int8_t& c : w.values<std::int8_t>()) c = static_cast<std::int8_t>(weights(generator));
  std::vector<float> scales;
  for (std::int64_t o = 0; o < features; ++o) scales.push_back(0.003f + 0.001f * static_cast<float>(o));
  w.quant = QuantParams{scales, std::vector<std::int32_t>(static_cast<std::size_t>(features), 0), 0};
  std::vector<std::int32_t> bias_values;
  for (std::int64_t o = 0; o < features; ++o) bias_values.push_back(static_cast<std::int32_t>(o * 997 - 4000));
  const float input_scale = 0.04f, output_scale = 0.2f;
  const std::int32_t input_zero = 9, output_zero = -3;

  Graph graph;
  const int in = graph.add_input("x", DType::Int8, {rows, depth});
  graph.value(in).quant = QuantParams{{input_scale}, {input_zero}, -1};
  const int weight = graph.add_constant("w", w);
  const int bias = graph.add_constant("b", Tensor::from_vector<std::int32_t>({features}, bias_values));
  const int y = graph.add(op::IntegerLinear, "fc", {in, weight, bias}, testing::attributes({{"activation", std::string("relu")}}));
  graph.value(y).quant = QuantParams{{output_scale}, {output_zero}, -1};
  graph.mark_output(y);
  const Tensor got = Session(graph).run({x}).front();
  ASSERT_EQ(got.shape(), (Shape{rows, features}));
  int exact = 0;
  for (std::int64_t r = 0; r < rows; ++r) {
    for (std::int64_t o = 0; o < features; ++o) {
      std::int64_t sum = bias_values[static_cast<std::size_t>(o)];
      for (std::int64_t i = 0; i < depth; ++i) {
        sum += w.data<std::int8_t>()[o * depth + i] * (x.data<std::int8_t>()[r * depth + i] - input_zero);
      }
      const double real = static_cast<double>(sum) * input_scale * scales[static_cast<std::size_t>(o)] / output_scale;
      const double want = std::clamp(std::round(real) + output_zero, static_cast<double>(output_zero), 127.0);
      const double code = got.data<std::int8_t>()[r * features + o];
      ASSERT_LE(std::fabs(code - want), 1.0) << r << "," << o;
      exact += code == want ? 1 : 0;
    }
  }
  EXPECT_GE(exact, rows * features - 1);
}

}  // namespace
}  // namespace edgeport
