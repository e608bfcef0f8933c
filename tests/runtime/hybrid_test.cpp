#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "core/error.h"
#include "run_op.h"
#include "runtime/asymmetric_quantize.h"

namespace edgeport {
namespace {

using testing::attributes;
using testing::floats;
using testing::Ints;
using testing::run_op;
using testing::values_of;

struct Quantized {
  AsymmetricParams params;
  std::vector<std::int8_t> codes;
};

Quantized quantize(const std::vector<float>& values) {
  Quantized result;
  result.codes.resize(values.size());
  result.params = quantize_asymmetric(values, result.codes);
  return result;
}

TEST(AsymmetricQuantize, PositiveRangeTakesZeroPointFromTheMinimum) {
  const Quantized q = quantize({0.0f, 2.55f});
  EXPECT_EQ(q.params.zero_point, -128);
  EXPECT_NEAR(q.params.scale, 0.01f, 1e-8f);
  EXPECT_EQ(q.codes, (std::vector<std::int8_t>{-128, 127}));
}

TEST(AsymmetricQuantize, NegativeRangeTakesZeroPointFromTheMaximum) {
  const Quantized q = quantize({-1.0f, 0.0f});
  EXPECT_EQ(q.params.zero_point, 127);
  EXPECT_NEAR(q.params.scale, 1.0f / 255.0f, 1e-9f);
  EXPECT_EQ(q.codes, (std::vector<std::int8_t>{-128, 127}));
}

TEST(AsymmetricQuantize, MixedRangeRoundsTheZeroPoint) {
  // scale 4/255, so -1 maps to -63.75 steps: zero point round(-128 + 63.75) = -64.
  const Quantized q = quantize({-1.0f, 3.0f, 0.0f, 0.5f});
  EXPECT_EQ(q.params.zero_point, -64);
  EXPECT_NEAR(q.params.scale, 4.0f / 255.0f, 1e-9f);
  EXPECT_EQ(q.codes, (std::vector<std::int8_t>{-128, 127, -64, -32}));
}

TEST(AsymmetricQuantize, RoundsHalfAwayFromZeroAsTfLite) {
  // scale exactly 1 and zero point -128: 1.5 -> -126.5 -> -127, 3.5 -> -124.5 -> -125.
  const Quantized q = quantize({0.0f, 255.0f, 1.5f, 3.5f});
  EXPECT_EQ(q.params.scale, 1.0f);
  EXPECT_EQ(q.params.zero_point, -128);
  EXPECT_EQ(q.codes, (std::vector<std::int8_t>{-128, 127, -127, -125}));
}

TEST(AsymmetricQuantize, AllZeroInputGivesUnitScale) {
  const Quantized q = quantize({0.0f, 0.0f, 0.0f});
  EXPECT_EQ(q.params.scale, 1.0f);
  EXPECT_EQ(q.params.zero_point, 0);
  EXPECT_EQ(q.codes, (std::vector<std::int8_t>{0, 0, 0}));
}

Tensor random_floats(Shape shape, std::mt19937& generator, float low, float high) {
  std::uniform_real_distribution<float> distribution(low, high);
  Tensor tensor(DType::Float32, std::move(shape));
  for (float& value : tensor.values<float>()) value = distribution(generator);
  return tensor;
}

Tensor random_codes(Shape shape, std::mt19937& generator, std::vector<float> scales, int axis) {
  std::uniform_int_distribution<int> distribution(-127, 127);
  Tensor tensor(DType::Int8, std::move(shape));
  for (std::int8_t& code : tensor.values<std::int8_t>()) code = static_cast<std::int8_t>(distribution(generator));
  tensor.quant = QuantParams{scales, std::vector<std::int32_t>(scales.size(), 0), axis};
  return tensor;
}

// TFLite's hybrid convolution written out one output element at a time:
// each batch item quantized on its own, padding skipped (real zero), int32
// sums, then float(acc) * (input_scale * channel_scale) + bias, clamped.
std::vector<float> direct_hybrid_conv(const Tensor& x, const Tensor& w, const Tensor& b, const Ints& strides,
                                      const Ints& pads, const Ints& dilations, std::int64_t group, float low,
                                      float high, const Shape& out) {
  const Shape& xs = x.shape();
  const Shape& ws = w.shape();
  const std::int64_t item = xs[1] * xs[2] * xs[3];
  std::vector<float> result;
  for (std::int64_t n = 0; n < out[0]; ++n) {
    const std::vector<float> values(x.data<float>() + n * item, x.data<float>() + (n + 1) * item);
    const Quantized q = quantize(values);
    for (std::int64_t o = 0; o < out[1]; ++o) {
      const std::int64_t g = o / (ws[0] / group);
      const float channel_scale = w.quant->scale.size() == 1 ? w.quant->scale[0] : w.quant->scale[o];
      for (std::int64_t oy = 0; oy < out[2]; ++oy) {
        for (std::int64_t ox = 0; ox < out[3]; ++ox) {
          std::int32_t acc = 0;
          for (std::int64_t c = 0; c < ws[1]; ++c) {
            for (std::int64_t ky = 0; ky < ws[2]; ++ky) {
              for (std::int64_t kx = 0; kx < ws[3]; ++kx) {
                const std::int64_t iy = oy * strides[0] - pads[0] + ky * dilations[0];
                const std::int64_t ix = ox * strides[1] - pads[1] + kx * dilations[1];
                if (iy < 0 || iy >= xs[2] || ix < 0 || ix >= xs[3]) continue;
                const std::int32_t code = q.codes[static_cast<std::size_t>(((g * ws[1] + c) * xs[2] + iy) * xs[3] + ix)];
                acc += w.data<std::int8_t>()[((o * ws[1] + c) * ws[2] + ky) * ws[3] + kx] * (code - q.params.zero_point);
              }
            }
          }
          const float value = static_cast<float>(acc) * (q.params.scale * channel_scale) + b.data<float>()[o];
          result.push_back(std::min(std::max(value, low), high));
        }
      }
    }
  }
  return result;
}

TEST(HybridConv, MatchesDirectTfLiteArithmeticBitForBit) {
  struct Case {
    Shape input;
    std::int64_t out_channels, group, kernel;
    Ints strides, pads, dilations;
    bool per_channel;
    std::string activation;
  };
  const std::vector<Case> cases = {
      {{1, 3, 9, 9}, 4, 1, 3, {1, 1}, {1, 1, 1, 1}, {1, 1}, true, "none"},
      {{2, 4, 10, 7}, 4, 4, 3, {2, 2}, {1, 0, 2, 1}, {1, 1}, true, "relu"},
      {{1, 6, 12, 12}, 6, 3, 3, {1, 2}, {2, 2, 2, 2}, {2, 2}, false, "relu6"},
      {{2, 2, 8, 8}, 5, 1, 1, {1, 1}, {0, 0, 0, 0}, {1, 1}, true, "none"},
  };
  std::mt19937 generator(3);
  for (const Case& c : cases) {
    Tensor x = random_floats(c.input, generator, -0.7f, 2.0f);
    if (c.input[0] > 1) {
      // A second batch item with a very different range must get its own scale.
      for (std::int64_t i = x.numel() / c.input[0]; i < x.numel(); ++i) x.data<float>()[i] *= 40.0f;
    }
    std::vector<float> scales(c.per_channel ? static_cast<std::size_t>(c.out_channels) : 1);
    for (std::size_t i = 0; i < scales.size(); ++i) scales[i] = 0.002f * static_cast<float>(i + 1);
    const Tensor w = random_codes({c.out_channels, c.input[1] / c.group, c.kernel, c.kernel}, generator, scales,
                                  c.per_channel ? 0 : -1);
    const Tensor b = random_floats({c.out_channels}, generator, -1.0f, 1.0f);
    const Attributes attrs = attributes({{"strides", c.strides},
                                         {"pads", c.pads},
                                         {"dilations", c.dilations},
                                         {"group", c.group},
                                         {"activation", c.activation},
                                         {"hybrid", std::int64_t{1}}});
    const Tensor y = run_op("Conv", x, {w, b}, attrs);
    const float low = c.activation == "none" ? -INFINITY : 0.0f;
    const float high = c.activation == "relu6" ? 6.0f : INFINITY;
    const std::vector<float> expected =
        direct_hybrid_conv(x, w, b, c.strides, c.pads, c.dilations, c.group, low, high, y.shape());
    EXPECT_EQ(values_of(y), expected) << shape_to_string(c.input);

    // Hybrid arithmetic only adds input rounding (at most half an input step
    // per product) to the float result on the same weights.
    RunOptions float_only;
    float_only.hybrid = false;
    const Tensor reference = run_op("Conv", x, {w, b}, attrs, float_only);
    const Tensor real_weights = w.dequantized();
    const std::int64_t kernel_size = real_weights.numel() / c.out_channels;
    float weight_mass = 0.0f;
    for (std::int64_t o = 0; o < c.out_channels; ++o) {
      float mass = 0.0f;
      for (std::int64_t k = 0; k < kernel_size; ++k) mass += std::abs(real_weights.data<float>()[o * kernel_size + k]);
      weight_mass = std::max(weight_mass, mass);
    }
    const std::int64_t item_outputs = y.numel() / c.input[0];
    const std::int64_t item_inputs = x.numel() / c.input[0];
    for (std::int64_t i = 0; i < y.numel(); ++i) {
      const std::int64_t n = i / item_outputs;
      const float step =
          quantize({x.data<float>() + n * item_inputs, x.data<float>() + (n + 1) * item_inputs}).params.scale;
      ASSERT_NEAR(y.data<float>()[i], reference.data<float>()[i], 0.5f * step * weight_mass * 1.001f)
          << shape_to_string(c.input) << " " << i;
    }
  }
}

TEST(HybridConv, ReadsTheInt8WeightBehindADequantize) {
  std::mt19937 generator(5);
  const Tensor x = random_floats({1, 2, 6, 6}, generator, -1.0f, 1.0f);
  const Tensor codes = random_codes({3, 2, 3, 3}, generator, {0.01f, 0.02f, 0.03f}, 0);
  const Attributes attrs = attributes({{"pads", Ints{1, 1, 1, 1}}, {"hybrid", std::int64_t{1}}});

  Graph graph;
  const int input = graph.add_input("x", DType::Float32, x.shape());
  const int weight = graph.add("Dequantize", "weight", {graph.add_constant("codes", codes)});
  graph.mark_output(graph.add("Conv", "conv", {input, weight}, attrs));
  const Tensor through_dequantize = Session(graph).run({x}).front();

  EXPECT_EQ(values_of(through_dequantize), values_of(run_op("Conv", x, {codes}, attrs)));
  RunOptions float_only;
  float_only.hybrid = false;
  EXPECT_NE(values_of(through_dequantize), values_of(Session(graph, float_only).run({x}).front()));
}

void expect_error_naming_node(const std::function<void()>& action, const std::string& fragment) {
  try {
    action();
    FAIL() << "expected an error mentioning " << fragment;
  } catch (const Error& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("node 'node'"), std::string::npos) << message;
    EXPECT_NE(message.find(fragment), std::string::npos) << message;
  }
}

TEST(HybridConv, RejectsAsymmetricAndFloatWeights) {
  const Tensor x = floats({1, 1, 2, 2}, {1, 2, 3, 4});
  Tensor codes = Tensor::from_vector<std::int8_t>({1, 1, 1, 1}, {5});
  codes.quant = QuantParams{{0.1f}, {3}, -1};
  const Attributes hybrid = attributes({{"hybrid", std::int64_t{1}}});
  expect_error_naming_node([&] { run_op("Conv", x, {codes}, hybrid); }, "symmetric");
  expect_error_naming_node([&] { run_op("Conv", x, {floats({1, 1, 1, 1}, {1})}, hybrid); }, "int8");
}

TEST(HybridLinear, QuantizesEachRowOnItsOwn) {
  std::mt19937 generator(9);
  Tensor x = random_floats({2, 3, 5}, generator, -2.0f, 1.0f);
  for (std::int64_t i = 10; i < 15; ++i) x.data<float>()[i] = 0.0f;  // an all-zero row
  for (std::int64_t i = 20; i < 25; ++i) x.data<float>()[i] *= 30.0f;
  const Tensor w = random_codes({4, 5}, generator, {0.01f, 0.02f, 0.005f, 0.04f}, 0);
  const Tensor b = random_floats({4}, generator, -1.0f, 1.0f);
  const Tensor y = run_op("Linear", x, {w, b}, attributes({{"hybrid", std::int64_t{1}}, {"activation", std::string("relu")}}));
  ASSERT_EQ(y.shape(), (Shape{2, 3, 4}));
  for (std::int64_t row = 0; row < 6; ++row) {
    const Quantized q = quantize({x.data<float>() + row * 5, x.data<float>() + row * 5 + 5});
    for (std::int64_t o = 0; o < 4; ++o) {
      std::int32_t acc = 0;
      for (std::int64_t i = 0; i < 5; ++i) {
        acc += w.data<std::int8_t>()[o * 5 + i] * (q.codes[static_cast<std::size_t>(i)] - q.params.zero_point);
      }
      const float expected = std::max(b.data<float>()[o] + static_cast<float>(acc) * (q.params.scale * w.quant->scale[o]), 0.0f);
      EXPECT_EQ(y.data<float>()[row * 4 + o], expected) << row << "," << o;
    }
  }
}

TEST(LinearKernel, FloatMatchesHandComputedValues) {
  const Tensor x = floats({2, 3}, {1, 2, 3, -1, 0, 1});
  const Tensor w = floats({2, 3}, {1, 0, -1, 0.5f, 0.5f, 0.5f});
  const Tensor b = floats({2}, {10, 0});
  EXPECT_EQ(values_of(run_op("Linear", x, {w, b})), (std::vector<float>{8, 3, 8, 0}));
  EXPECT_EQ(values_of(run_op("Linear", x, {w, std::nullopt}, attributes({{"activation", std::string("relu")}}))),
            (std::vector<float>{0, 3, 0, 0}));
}

}  // namespace
}  // namespace edgeport
