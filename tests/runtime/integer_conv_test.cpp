// IntegerConv against the arithmetic written out independently: int64 sums
// of weight x (code - zero point), the real rescale in double rounded to
// nearest, the clamp.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "core/error.h"
#include "core/ops/integer.h"
#include "run_op.h"
#include "runtime/session.h"

namespace edgeport {
namespace {

using testing::Ints;

struct Case {
  Shape input;   // NCHW
  Shape weight;  // OIHW
  Ints pads;
  Ints strides;
  std::int64_t group;
  std::string activation;
};

Tensor random_codes(Shape shape, std::mt19937& generator, int low, int high) {
  std::uniform_int_distribution<int> distribution(low, high);
  Tensor tensor(DType::Int8, std::move(shape));
  for (std::int8_t& code : tensor.values<std::int8_t>()) code = static_cast<std::int8_t>(distribution(generator));
  return tensor;
}

void check(const Case& c, std::uint32_t seed) {
  std::mt19937 generator(seed);
  const float input_scale = 0.05f;
  const std::int32_t input_zero = -7;
  const float output_scale = 0.3f;
  const std::int32_t output_zero = 11;
  Tensor codes = random_codes(c.input, generator, -128, 127);
  Tensor weight = random_codes(c.weight, generator, -127, 127);
  const auto channels = static_cast<std::size_t>(c.weight[0]);
  std::vector<float> weight_scales;
  std::uniform_real_distribution<float> scales(0.002f, 0.02f);
  for (std::size_t o = 0; o < channels; ++o) weight_scales.push_back(scales(generator));
  weight.quant = QuantParams{weight_scales, std::vector<std::int32_t>(channels, 0), 0};
  std::uniform_int_distribution<std::int32_t> biases(-3000, 3000);
  std::vector<std::int32_t> bias_values(channels);
  for (std::int32_t& b : bias_values) b = biases(generator);
  const Tensor bias = Tensor::from_vector<std::int32_t>({static_cast<std::int64_t>(channels)}, bias_values);

  Graph graph;
  const int x = graph.add_input("x", DType::Int8, c.input);
  graph.value(x).quant = QuantParams{{input_scale}, {input_zero}, -1};
  const int w = graph.add_constant("w", weight);
  const int b = graph.add_constant("b", bias);
  Attributes attrs = testing::attributes({{"pads", c.pads}, {"strides", c.strides}, {"group", c.group},
                                          {"activation", c.activation}});
  const int y = graph.add(op::IntegerConv, "conv", {x, w, b}, attrs);
  graph.value(y).quant = QuantParams{{output_scale}, {output_zero}, -1};
  graph.mark_output(y);
  const Tensor got = Session(graph).run({codes}).front();

  const Shape& out = got.shape();
  const std::int64_t in_per_group = c.weight[1];
  const std::int64_t out_per_group = c.weight[0] / c.group;
  const std::int8_t* input = codes.data<std::int8_t>();
  const std::int8_t* kernel = weight.data<std::int8_t>();
  std::int64_t compared = 0;
  std::int64_t exact = 0;
  for (std::int64_t n = 0; n < out[0]; ++n) {
    for (std::int64_t o = 0; o < out[1]; ++o) {
      for (std::int64_t oy = 0; oy < out[2]; ++oy) {
        for (std::int64_t ox = 0; ox < out[3]; ++ox) {
          std::int64_t sum = bias_values[static_cast<std::size_t>(o)];
          for (std::int64_t ic = 0; ic < in_per_group; ++ic) {
            const std::int64_t channel = o / out_per_group * in_per_group + ic;
            for (std::int64_t ky = 0; ky < c.weight[2]; ++ky) {
              for (std::int64_t kx = 0; kx < c.weight[3]; ++kx) {
                const std::int64_t iy = oy * c.strides[0] + ky - c.pads[0];
                const std::int64_t ix = ox * c.strides[1] + kx - c.pads[1];
                if (iy < 0 || ix < 0 || iy >= c.input[2] || ix >= c.input[3]) continue;
                const std::int64_t code = input[((n * c.input[1] + channel) * c.input[2] + iy) * c.input[3] + ix];
                sum += kernel[((o * in_per_group + ic) * c.weight[2] + ky) * c.weight[3] + kx] * (code - input_zero);
              }
            }
          }
          const double real = static_cast<double>(sum) * input_scale * weight_scales[static_cast<std::size_t>(o)] /
                              output_scale;
          double want = std::round(real) + output_zero;
          want = std::clamp(want, c.activation == "relu" ? static_cast<double>(output_zero) : -128.0, 127.0);
          const double code = got.data<std::int8_t>()[((n * out[1] + o) * out[2] + oy) * out[3] + ox];
          ASSERT_LE(std::fabs(code - want), 1.0) << "output " << n << "," << o << "," << oy << "," << ox;
          exact += code == want ? 1 : 0;
          ++compared;
        }
      }
    }
  }
  EXPECT_GE(exact * 1000, compared * 999) << exact << " of " << compared;
}

TEST(IntegerConv, PaddedStridedConvolutionMatchesTheWrittenOutArithmetic) {
  check({{2, 3, 9, 11}, {5, 3, 3, 3}, {1, 1, 1, 1}, {2, 1}, 1, "none"}, 1);
}

TEST(IntegerConv, DepthwiseWithReluMatches) {
  check({{1, 4, 12, 10}, {4, 1, 3, 3}, {1, 1, 1, 1}, {1, 1}, 4, "relu"}, 2);
}

TEST(IntegerConv, GroupedPointwiseMatches) {
  check({{1, 6, 7, 7}, {4, 3, 1, 1}, {0, 0, 0, 0}, {1, 1}, 2, "none"}, 3);
}

TEST(IntegerConv, RefusesAFloatInput) {
  Graph graph;
  const int x = graph.add_input("x", DType::Float32, {1, 1, 3, 3});
  const int w = graph.add_constant("w", Tensor(DType::Int8, {1, 1, 1, 1}));
  EXPECT_THROW(graph.add(op::IntegerConv, "conv", {x, w}), Error);
}

}  // namespace
}  // namespace edgeport
