#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "core/error.h"
#include "quant/layer_statistics.h"

namespace edgeport {
namespace {

Tensor uniform_tensor(Shape shape, unsigned seed) {
  std::mt19937 generator(seed);
  std::uniform_real_distribution<float> uniform(-1.0f, 2.0f);
  Tensor tensor(DType::Float32, std::move(shape));
  for (float& value : tensor.values<float>()) value = uniform(generator);
  return tensor;
}

struct ConvCase {
  Shape input{2, 6, 9, 8};
  Shape weight{4, 3, 3, 2};  // group 2: 3 input channels per group
  std::int64_t group = 2;
  std::vector<std::int64_t> strides{2, 1};
  std::vector<std::int64_t> pads{1, 0, 2, 1};  // top, left, bottom, right
  std::vector<std::int64_t> dilations{1, 2};
};

Graph conv_graph(const ConvCase& c) {
  Graph graph;
  const int x = graph.add_input("input", DType::Float32, c.input);
  const int w = graph.add_constant("conv.weight", uniform_tensor(c.weight, 1));
  Attributes attrs;
  attrs.set("group", c.group);
  attrs.set("strides", c.strides);
  attrs.set("pads", c.pads);
  attrs.set("dilations", c.dilations);
  graph.mark_output(graph.add("Conv", "conv", {x, w}, attrs));
  return graph;
}

// Brute force, written independently of the accumulator: pad the input into
// a larger buffer, then read every window of it (im2col), so padding zeros
// enter the patches as the convolution sees them.
struct Moments {
  std::vector<std::vector<double>> mean, second;
  std::int64_t samples = 0;
};

Moments im2col_moments(const ConvCase& c, const std::vector<Tensor>& inputs) {
  const std::int64_t channels = c.input[1], h = c.input[2], w = c.input[3];
  const std::int64_t ph = h + c.pads[0] + c.pads[2], pw = w + c.pads[1] + c.pads[3];
  const std::int64_t kh = c.weight[2], kw = c.weight[3], cg = c.weight[1];
  const std::int64_t k = cg * kh * kw;
  const std::int64_t out_h = (ph - c.dilations[0] * (kh - 1) - 1) / c.strides[0] + 1;
  const std::int64_t out_w = (pw - c.dilations[1] * (kw - 1) - 1) / c.strides[1] + 1;
  Moments m;
  m.mean.assign(c.group, std::vector<double>(k, 0.0));
  m.second.assign(c.group, std::vector<double>(k * k, 0.0));
  for (const Tensor& tensor : inputs) {
    const float* data = tensor.data<float>();
    for (std::int64_t n = 0; n < c.input[0]; ++n) {
      std::vector<double> padded(channels * ph * pw, 0.0);
      for (std::int64_t ch = 0; ch < channels; ++ch)
        for (std::int64_t y = 0; y < h; ++y)
          for (std::int64_t x = 0; x < w; ++x)
            padded[(ch * ph + y + c.pads[0]) * pw + x + c.pads[1]] = data[((n * channels + ch) * h + y) * w + x];
      for (std::int64_t oy = 0; oy < out_h; ++oy) {
        for (std::int64_t ox = 0; ox < out_w; ++ox) {
          for (std::int64_t g = 0; g < c.group; ++g) {
            std::vector<double> column;
            for (std::int64_t ci = 0; ci < cg; ++ci)
              for (std::int64_t ky = 0; ky < kh; ++ky)
                for (std::int64_t kx = 0; kx < kw; ++kx)
                  column.push_back(padded[((g * cg + ci) * ph + oy * c.strides[0] + ky * c.dilations[0]) * pw +
                                          ox * c.strides[1] + kx * c.dilations[1]]);
            for (std::int64_t i = 0; i < k; ++i) {
              m.mean[g][i] += column[i];
              for (std::int64_t j = 0; j < k; ++j) m.second[g][i * k + j] += column[i] * column[j];
            }
          }
          ++m.samples;
        }
      }
    }
  }
  for (std::int64_t g = 0; g < c.group; ++g) {
    for (double& v : m.mean[g]) v /= static_cast<double>(m.samples);
    for (double& v : m.second[g]) v /= static_cast<double>(m.samples);
  }
  return m;
}

TEST(LayerStatistics, StridedPaddedDilatedGroupedConvMatchesIm2col) {
  const ConvCase c;
  const Graph graph = conv_graph(c);
  const std::vector<Tensor> inputs{uniform_tensor(c.input, 7), uniform_tensor(c.input, 8)};
  LayerStatisticsAccumulator accumulator(graph, graph.nodes.front());
  for (const Tensor& input : inputs) accumulator.add(input);
  const LayerStatistics statistics = accumulator.finish();
  const Moments expected = im2col_moments(c, inputs);

  EXPECT_EQ(statistics.node, "conv");
  EXPECT_EQ(statistics.groups, 2);
  EXPECT_EQ(statistics.patch_size, 3 * 3 * 2);
  EXPECT_FALSE(statistics.diagonal);
  EXPECT_EQ(statistics.samples, expected.samples);
  for (std::int64_t g = 0; g < 2; ++g) {
    for (std::int64_t i = 0; i < statistics.patch_size; ++i) {
      EXPECT_NEAR(statistics.mean[g][i], expected.mean[g][i], 1e-12) << "group " << g << " entry " << i;
      for (std::int64_t j = 0; j < statistics.patch_size; ++j) {
        EXPECT_NEAR(statistics.moment(g, i, j), expected.second[g][i * statistics.patch_size + j], 1e-12)
            << "group " << g << " entry " << i << "," << j;
      }
    }
  }
}

Graph linear_graph(std::int64_t in, Shape input_shape) {
  Graph graph;
  const int x = graph.add_input("input", DType::Float32, std::move(input_shape));
  const int w = graph.add_constant("fc.weight", uniform_tensor({3, in}, 2));
  graph.mark_output(graph.add("Linear", "fc", {x, w}));
  return graph;
}

TEST(LayerStatistics, LinearRowsAreThePatches) {
  const Graph graph = linear_graph(5, {2, 3, 5});
  const Tensor input = uniform_tensor({2, 3, 5}, 3);
  LayerStatisticsAccumulator accumulator(graph, graph.nodes.front());
  accumulator.add(input);
  const LayerStatistics statistics = accumulator.finish();
  ASSERT_EQ(statistics.samples, 6);
  const float* x = input.data<float>();
  for (int i = 0; i < 5; ++i) {
    double mean = 0.0, cross = 0.0;
    for (int row = 0; row < 6; ++row) {
      mean += x[row * 5 + i] / 6.0;
      cross += static_cast<double>(x[row * 5 + i]) * x[row * 5 + (i + 2) % 5] / 6.0;
    }
    EXPECT_NEAR(statistics.mean[0][i], mean, 1e-12);
    EXPECT_NEAR(statistics.moment(0, i, (i + 2) % 5), cross, 1e-12);
  }
}

// Calibration files must not depend on how the accumulator batches its
// work: the sums are those of adding one patch at a time, in order, each
// product rounded before it is added, bit for bit.
TEST(LayerStatistics, SumsAreThoseOfOnePatchAtATimeBitForBit) {
  const std::int64_t in = 40;
  const std::int64_t rows = 21;
  const Graph graph = linear_graph(in, {rows, in});
  Tensor input = uniform_tensor({rows, in}, 6);
  // Post-ReLU inputs: many exact zeros, which the accumulator skips; the
  // rest spread over many binades, so that sums added in another order
  // round differently.
  int index = 0;
  for (float& value : input.values<float>()) value = std::ldexp(std::max(value, 0.0f), index++ * 7 % 41 - 20);
  LayerStatisticsAccumulator accumulator(graph, graph.nodes.front());
  accumulator.add(input);
  const LayerStatistics statistics = accumulator.finish();

  std::vector<double> mean(in, 0.0);
  std::vector<double> second(in * in, 0.0);
  const float* x = input.data<float>();
  for (std::int64_t row = 0; row < rows; ++row) {
    for (std::int64_t i = 0; i < in; ++i) {
      const double xi = x[row * in + i];
      if (xi == 0.0) continue;
      mean[i] += xi;
      for (std::int64_t j = i; j < in; ++j) {
        const double product = xi * static_cast<double>(x[row * in + j]);
        second[i * in + j] += product;
      }
    }
  }
  const double inverse = 1.0 / static_cast<double>(rows);
  for (std::int64_t i = 0; i < in; ++i) {
    EXPECT_EQ(statistics.mean[0][i], mean[i] * inverse) << i;
    for (std::int64_t j = i; j < in; ++j) {
      EXPECT_EQ(statistics.moment(0, i, j), second[i * in + j] * inverse) << i << "," << j;
      EXPECT_EQ(statistics.moment(0, j, i), second[i * in + j] * inverse) << j << "," << i;
    }
  }
}

TEST(LayerStatistics, LargePatchesKeepOnlyTheDiagonal) {
  const std::int64_t in = kMaxFullPatchSize + 1;
  const Graph graph = linear_graph(in, {4, in});
  const Tensor input = uniform_tensor({4, in}, 4);
  LayerStatisticsAccumulator accumulator(graph, graph.nodes.front());
  accumulator.add(input);
  const LayerStatistics statistics = accumulator.finish();
  EXPECT_TRUE(statistics.diagonal);
  EXPECT_EQ(statistics.second_moment[0].size(), static_cast<std::size_t>(in));
  const float* x = input.data<float>();
  double square = 0.0;
  for (int row = 0; row < 4; ++row) square += static_cast<double>(x[row * in + 7]) * x[row * in + 7] / 4.0;
  EXPECT_NEAR(statistics.moment(0, 7, 7), square, 1e-12);
  EXPECT_EQ(statistics.moment(0, 7, 8), 0.0);
}

TEST(LayerStatistics, ManyPositionsAreSubsampledEvenly) {
  // K = 1000 costs about 500k multiply-adds per position, so a budget of
  // 2^27 per input affords 268 of the 2000 rows, evenly spaced.
  const Graph graph = linear_graph(1000, {2000, 1000});
  const Tensor input = uniform_tensor({2000, 1000}, 5);
  LayerStatisticsAccumulator accumulator(graph, graph.nodes.front());
  accumulator.add(input);
  const LayerStatistics statistics = accumulator.finish();
  const std::int64_t expected_rows = kMomentBudgetPerInput / (1000 * 1001 / 2);
  ASSERT_EQ(statistics.samples, expected_rows);
  double mean = 0.0;
  for (std::int64_t index = 0; index < expected_rows; ++index) {
    mean += input.data<float>()[(index * 2000 / expected_rows) * 1000 + 3];
  }
  EXPECT_NEAR(statistics.mean[0][3], mean / static_cast<double>(expected_rows), 1e-12);
}

TEST(LayerStatistics, WrongInputShapeNamesTheNode) {
  const ConvCase c;
  const Graph graph = conv_graph(c);
  LayerStatisticsAccumulator accumulator(graph, graph.nodes.front());
  try {
    accumulator.add(uniform_tensor({1, 5, 9, 8}, 9));
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("conv"), std::string::npos) << error.what();
  }
  EXPECT_THROW(accumulator.finish(), Error);
}

}  // namespace
}  // namespace edgeport
