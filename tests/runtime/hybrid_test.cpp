#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "core/error.h"
#include "run_op.h"
#include "runtime/dynamic_quantize.h"

namespace edgeport {
namespace {

using testing::attributes;
using testing::floats;
using testing::Ints;
using testing::random_uniform;
using testing::run_op;
using testing::values_of;

struct Quantized {
  AsymmetricParams params;
  std::vector<std::int8_t> codes;
};

// The codes start out non-zero so that a quantizer must write every one.
Quantized quantize(DynamicQuantizer quantizer, const std::vector<float>& values) {
  Quantized result;
  result.codes.assign(values.size(), 99);
  result.params = quantize_dynamic(quantizer, values, result.codes);
  return result;
}

constexpr DynamicQuantizer kQuantizers[] = {DynamicQuantizer::Tflite, DynamicQuantizer::Xnnpack};

std::string label(DynamicQuantizer quantizer) { return quantizer == DynamicQuantizer::Tflite ? "TFLite" : "XNNPACK"; }

TEST(DynamicQuantize, PositiveRangeTakesZeroPointFromTheMinimum) {
  for (DynamicQuantizer quantizer : kQuantizers) {
    const Quantized q = quantize(quantizer, {0.0f, 2.55f});
    EXPECT_EQ(q.params.zero_point, -128) << label(quantizer);
    EXPECT_NEAR(q.params.scale, 0.01f, 1e-8f) << label(quantizer);
    EXPECT_EQ(q.codes, (std::vector<std::int8_t>{-128, 127})) << label(quantizer);
  }
}

TEST(DynamicQuantize, NegativeRangeTakesZeroPointFromTheMaximum) {
  for (DynamicQuantizer quantizer : kQuantizers) {
    const Quantized q = quantize(quantizer, {-1.0f, 0.0f});
    EXPECT_EQ(q.params.zero_point, 127) << label(quantizer);
    EXPECT_NEAR(q.params.scale, 1.0f / 255.0f, 1e-9f) << label(quantizer);
    EXPECT_EQ(q.codes, (std::vector<std::int8_t>{-128, 127})) << label(quantizer);
  }
}

TEST(DynamicQuantize, MixedRangeRoundsTheZeroPoint) {
  // scale 4/255, so -1 maps to -63.75 steps: zero point round(-128 + 63.75) = -64.
  for (DynamicQuantizer quantizer : kQuantizers) {
    const Quantized q = quantize(quantizer, {-1.0f, 3.0f, 0.0f, 0.5f});
    EXPECT_EQ(q.params.zero_point, -64) << label(quantizer);
    EXPECT_NEAR(q.params.scale, 4.0f / 255.0f, 1e-9f) << label(quantizer);
    EXPECT_EQ(q.codes, (std::vector<std::int8_t>{-128, 127, -64, -32})) << label(quantizer);
  }
}

TEST(DynamicQuantize, TfliteRoundsHalfAwayFromZeroXnnpackHalfToEven) {
  // scale exactly 1 and zero point -128. TFLite rounds -128 + x: 1.5 -> -126.5 -> -127,
  // 2.5 -> -125.5 -> -126. XNNPACK rounds x, then adds -128: 1.5 -> 2 -> -126, 2.5 -> 2 -> -126.
  const std::vector<float> values{0.0f, 255.0f, 1.5f, 2.5f};
  const Quantized tflite = quantize(DynamicQuantizer::Tflite, values);
  EXPECT_EQ(tflite.params.scale, 1.0f);
  EXPECT_EQ(tflite.params.zero_point, -128);
  EXPECT_EQ(tflite.codes, (std::vector<std::int8_t>{-128, 127, -127, -126}));
  const Quantized xnnpack = quantize(DynamicQuantizer::Xnnpack, values);
  EXPECT_EQ(xnnpack.params.scale, 1.0f);
  EXPECT_EQ(xnnpack.params.zero_point, -128);
  EXPECT_EQ(xnnpack.codes, (std::vector<std::int8_t>{-128, 127, -126, -126}));
}

// With the range [-128, 127] XNNPACK's multiplier is exactly 1 and the zero
// point 0, so every code is the input rounded half to even: ties at every
// half step of both signs, and the quarter steps around them.
TEST(DynamicQuantize, XnnpackRoundsEveryTieHalfToEven) {
  std::vector<float> values{-128.0f, 127.0f};
  for (int whole = -128; whole < 127; ++whole) {
    for (float fraction : {0.25f, 0.5f, 0.75f}) values.push_back(static_cast<float>(whole) + fraction);
  }
  const Quantized q = quantize(DynamicQuantizer::Xnnpack, values);
  ASSERT_EQ(q.params.zero_point, 0);
  ASSERT_EQ(q.params.scale, 1.0f);
  for (std::size_t i = 0; i < values.size(); ++i) {
    EXPECT_EQ(q.codes[i], static_cast<std::int8_t>(std::nearbyint(values[i]))) << values[i];
  }
}

TEST(DynamicQuantize, ScalesAreRoundedDifferently) {
  // TFLite keeps float(range / 255) computed in double; XNNPACK keeps 1 / float(255 / range).
  const std::vector<float> values{-0.7f, 3.1f};
  const double range = static_cast<double>(3.1f) - static_cast<double>(-0.7f);
  const float tflite = quantize(DynamicQuantizer::Tflite, values).params.scale;
  const float xnnpack = quantize(DynamicQuantizer::Xnnpack, values).params.scale;
  EXPECT_EQ(tflite, static_cast<float>(range / 255.0));
  EXPECT_EQ(xnnpack, 1.0f / (255.0f / (3.1f - -0.7f)));
  EXPECT_NE(tflite, xnnpack);
}

TEST(DynamicQuantize, AllZeroInputGivesUnitScale) {
  for (DynamicQuantizer quantizer : kQuantizers) {
    const Quantized q = quantize(quantizer, {0.0f, 0.0f, 0.0f});
    EXPECT_EQ(q.params.scale, 1.0f) << label(quantizer);
    EXPECT_EQ(q.params.zero_point, 0) << label(quantizer);
    EXPECT_EQ(q.codes, (std::vector<std::int8_t>{0, 0, 0})) << label(quantizer);
  }
}

TEST(DynamicQuantize, LiteRtUsesTfliteQuantizerOnlyForDepthwise) {
  EXPECT_EQ(input_quantizer(false), DynamicQuantizer::Xnnpack);
  EXPECT_EQ(input_quantizer(true), DynamicQuantizer::Tflite);
}

// LiteRT's rescale written out, independently of the runtime's helper.
float rescale(std::int32_t acc, float input_scale, float channel_scale) {
  return (static_cast<float>(acc) * input_scale) * channel_scale;
}

Tensor random_codes(Shape shape, std::mt19937& generator, std::vector<float> scales, int axis) {
  std::uniform_int_distribution<int> distribution(-127, 127);
  Tensor tensor(DType::Int8, std::move(shape));
  for (std::int8_t& code : tensor.values<std::int8_t>()) code = static_cast<std::int8_t>(distribution(generator));
  tensor.quant = QuantParams{scales, std::vector<std::int32_t>(scales.size(), 0), axis};
  return tensor;
}

// The quantized input of one batch item: each element's code and zero point,
// and each pixel's input scale.
struct QuantizedImage {
  std::vector<std::int32_t> codes;
  std::vector<std::int32_t> zero_points;
  std::vector<float> pixel_scales;
};

// Per image, or (LiteRT on a pointwise convolution) per pixel over channels.
QuantizedImage quantize_image(DynamicQuantizer quantizer, bool per_pixel, const float* image, std::int64_t channels,
                              std::int64_t pixels) {
  QuantizedImage result;
  result.codes.resize(static_cast<std::size_t>(channels * pixels));
  result.zero_points.resize(result.codes.size());
  result.pixel_scales.resize(static_cast<std::size_t>(pixels));
  const std::int64_t group_count = per_pixel ? pixels : 1;
  for (std::int64_t group = 0; group < group_count; ++group) {
    std::vector<std::size_t> members;
    for (std::int64_t c = 0; c < channels; ++c) {
      for (std::int64_t p = 0; p < pixels; ++p) {
        if (!per_pixel || p == group) members.push_back(static_cast<std::size_t>(c * pixels + p));
      }
    }
    std::vector<float> values;
    for (std::size_t member : members) values.push_back(image[member]);
    const Quantized q = quantize(quantizer, values);
    for (std::size_t k = 0; k < members.size(); ++k) {
      result.codes[members[k]] = q.codes[k];
      result.zero_points[members[k]] = q.params.zero_point;
      result.pixel_scales[members[k] % static_cast<std::size_t>(pixels)] = q.params.scale;
    }
  }
  return result;
}

// Hybrid convolution written out one output element at a time: each batch
// item quantized on its own, padding skipped (real zero), int32 sums, then
// rescaled, biased and clamped.
std::vector<float> direct_hybrid_conv(const Tensor& x, const Tensor& w, const Tensor& b,
                                      const Ints& strides, const Ints& pads, const Ints& dilations,
                                      std::int64_t group, float low, float high, const Shape& out) {
  const Shape& xs = x.shape();
  const Shape& ws = w.shape();
  const std::int64_t pixels = xs[2] * xs[3];
  const bool depthwise = group != 1 && group == xs[1];
  const bool pointwise = ws[2] == 1 && ws[3] == 1 && strides == Ints{1, 1} && pads == Ints{0, 0, 0, 0} && group == 1;
  const DynamicQuantizer quantizer = depthwise ? DynamicQuantizer::Tflite : DynamicQuantizer::Xnnpack;
  std::vector<float> result;
  for (std::int64_t n = 0; n < out[0]; ++n) {
    const QuantizedImage q =
        quantize_image(quantizer, pointwise, x.data<float>() + n * xs[1] * pixels, xs[1], pixels);
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
                const auto at = static_cast<std::size_t>((g * ws[1] + c) * pixels + iy * xs[3] + ix);
                acc += w.data<std::int8_t>()[((o * ws[1] + c) * ws[2] + ky) * ws[3] + kx] *
                       (q.codes[at] - q.zero_points[at]);
              }
            }
          }
          // Per-pixel scales only arise for pointwise convolutions, where output pixel == input pixel.
          const float input_scale =
              pointwise ? q.pixel_scales[static_cast<std::size_t>(oy * xs[3] + ox)] : q.pixel_scales[0];
          const float value = rescale(acc, input_scale, channel_scale) + b.data<float>()[o];
          result.push_back(std::min(std::max(value, low), high));
        }
      }
    }
  }
  return result;
}

TEST(HybridConv, MatchesTheDirectComputationBitForBit) {
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
    Tensor x = random_uniform(c.input, generator, -0.7f, 2.0f);
    if (c.input[0] > 1) {
      // A second batch item with a very different range must get its own scale.
      for (std::int64_t i = x.numel() / c.input[0]; i < x.numel(); ++i) x.data<float>()[i] *= 40.0f;
    }
    std::vector<float> scales(c.per_channel ? static_cast<std::size_t>(c.out_channels) : 1);
    for (std::size_t i = 0; i < scales.size(); ++i) scales[i] = 0.002f * static_cast<float>(i + 1);
    const Tensor w = random_codes({c.out_channels, c.input[1] / c.group, c.kernel, c.kernel}, generator, scales,
                                  c.per_channel ? 0 : -1);
    const Tensor b = random_uniform({c.out_channels}, generator, -1.0f, 1.0f);
    const Attributes attrs = attributes({{"strides", c.strides},
                                         {"pads", c.pads},
                                         {"dilations", c.dilations},
                                         {"group", c.group},
                                         {"activation", c.activation},
                                         {"hybrid", std::int64_t{1}}});
    const float low = c.activation == "none" ? -INFINITY : 0.0f;
    const float high = c.activation == "relu6" ? 6.0f : INFINITY;
    const Tensor y = run_op("Conv", x, {w, b}, attrs);
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
      const float step = quantize(DynamicQuantizer::Xnnpack,
                                  {x.data<float>() + n * item_inputs, x.data<float>() + (n + 1) * item_inputs})
                             .params.scale;
      ASSERT_NEAR(y.data<float>()[i], reference.data<float>()[i], 0.5f * step * weight_mass * 1.001f)
          << shape_to_string(c.input) << " " << i;
    }
  }
}

TEST(HybridConv, ReadsTheInt8WeightBehindADequantize) {
  std::mt19937 generator(5);
  const Tensor x = random_uniform({1, 2, 6, 6}, generator, -1.0f, 1.0f);
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
  Tensor x = random_uniform({2, 3, 5}, generator, -2.0f, 1.0f);
  for (std::int64_t i = 10; i < 15; ++i) x.data<float>()[i] = 0.0f;  // an all-zero row
  for (std::int64_t i = 20; i < 25; ++i) x.data<float>()[i] *= 30.0f;
  const Tensor w = random_codes({4, 5}, generator, {0.01f, 0.02f, 0.005f, 0.04f}, 0);
  const Tensor b = random_uniform({4}, generator, -1.0f, 1.0f);
  const Attributes attrs = attributes({{"hybrid", std::int64_t{1}}, {"activation", std::string("relu")}});
  const Tensor y = run_op("Linear", x, {w, b}, attrs);
  ASSERT_EQ(y.shape(), (Shape{2, 3, 4}));
  for (std::int64_t row = 0; row < 6; ++row) {
    const Quantized q =
        quantize(DynamicQuantizer::Xnnpack, {x.data<float>() + row * 5, x.data<float>() + row * 5 + 5});
    for (std::int64_t o = 0; o < 4; ++o) {
      std::int32_t acc = 0;
      for (std::int64_t i = 0; i < 5; ++i) {
        acc += w.data<std::int8_t>()[o * 5 + i] * (q.codes[static_cast<std::size_t>(i)] - q.params.zero_point);
      }
      const float expected = std::max(rescale(acc, q.params.scale, w.quant->scale[o]) + b.data<float>()[o], 0.0f);
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
