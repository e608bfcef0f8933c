#include "runtime/conv_library.h"
#include "runtime/conv_winograd.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "run_op.h"

namespace edgeport {
namespace {

using testing::attributes;
using testing::Ints;
using testing::random_uniform;

struct Case {
  std::string name;
  Shape input;
  std::int64_t out_channels, group, kernel;
  Ints strides, pads, dilations;
  bool bias;
  const char* activation;
};

Graph conv_graph(const Case& c, std::mt19937& generator) {
  Graph graph;
  const int x = graph.add_input("x", DType::Float32, c.input);
  const std::int64_t in_per_group = c.input[1] / c.group;
  std::vector<int> inputs{x, graph.add_constant("w", random_uniform({c.out_channels, in_per_group, c.kernel, c.kernel},
                                                                    generator, -0.5f, 0.5f))};
  if (c.bias) inputs.push_back(graph.add_constant("b", random_uniform({c.out_channels}, generator)));
  const Attributes attrs = attributes({{"group", c.group},
                                       {"strides", c.strides},
                                       {"pads", c.pads},
                                       {"dilations", c.dilations},
                                       {"activation", std::string(c.activation)}});
  graph.mark_output(graph.add("Conv", c.name, inputs, attrs));
  return graph;
}

// The DEVELOPERS.md float tolerance: max |difference| <= 1e-5 x max |reference| + 1e-6.
void expect_close_to_reference(const Graph& graph, const Tensor& input, int threads, const std::string& what) {
  const Tensor reference = Session(graph, RunOptions{.threads = threads, .reference = true}).run({input}).front();
  const Tensor library = Session(graph, RunOptions{.threads = threads}).run({input}).front();
  ASSERT_EQ(library.shape(), reference.shape()) << what;
  double scale = 0.0;
  double difference = 0.0;
  const auto expected = reference.values<float>();
  const auto actual = library.values<float>();
  for (std::size_t i = 0; i < expected.size(); ++i) {
    scale = std::max(scale, static_cast<double>(std::fabs(expected[i])));
    difference = std::max(difference, std::fabs(static_cast<double>(expected[i]) - actual[i]));
  }
  EXPECT_LE(difference, 1e-5 * scale + 1e-6) << what << " with " << threads << " thread(s), output scale " << scale;
}

TEST(LibraryConv, MatchesTheReferenceKernel) {
  const std::vector<Case> cases = {
      {"3x3_same_relu", {1, 32, 20, 23}, 64, 1, 3, {1, 1}, {1, 1, 1, 1}, {1, 1}, true, "relu"},
      {"3x3_stride2_no_bias", {1, 64, 17, 17}, 128, 1, 3, {2, 2}, {1, 1, 1, 1}, {1, 1}, false, "none"},
      {"7x7_stride2_rgb", {1, 3, 45, 38}, 64, 1, 7, {2, 2}, {3, 3, 3, 3}, {1, 1}, true, "relu"},
      {"pointwise_relu6_batch2", {2, 32, 14, 15}, 96, 1, 1, {1, 1}, {0, 0, 0, 0}, {1, 1}, true, "relu6"},
      {"pointwise_no_bias", {1, 160, 7, 7}, 40, 1, 1, {1, 1}, {0, 0, 0, 0}, {1, 1}, false, "none"},
      {"1x1_stride2", {1, 64, 28, 28}, 128, 1, 1, {2, 2}, {0, 0, 0, 0}, {1, 1}, true, "none"},
      {"depthwise_relu6", {1, 32, 28, 28}, 32, 32, 3, {1, 1}, {1, 1, 1, 1}, {1, 1}, true, "relu6"},
      {"depthwise_stride2", {1, 96, 29, 30}, 96, 96, 3, {2, 2}, {1, 1, 1, 1}, {1, 1}, true, "none"},
      {"depthwise_5x5_multiplier2", {1, 16, 12, 12}, 32, 16, 5, {1, 1}, {2, 2, 2, 2}, {1, 1}, false, "relu"},
      {"dilated", {1, 16, 19, 19}, 32, 1, 3, {1, 1}, {2, 2, 2, 2}, {2, 2}, true, "relu"},
      {"groups4", {1, 32, 13, 13}, 64, 4, 3, {1, 1}, {1, 1, 1, 1}, {1, 1}, true, "none"},
      {"asymmetric_pads_stride3", {2, 24, 16, 21}, 40, 1, 3, {3, 2}, {0, 1, 2, 0}, {1, 1}, true, "relu"},
      // Winograd: channel counts off the vector width, odd output sizes
      // (tiles hanging over the edge), no padding, uneven padding, batches.
      {"winograd_odd_sizes_no_bias", {1, 19, 15, 17}, 21, 1, 3, {1, 1}, {1, 1, 1, 1}, {1, 1}, false, "none"},
      {"winograd_valid_batch2_relu6", {2, 24, 14, 18}, 32, 1, 3, {1, 1}, {0, 0, 0, 0}, {1, 1}, true, "relu6"},
      {"winograd_asymmetric_pads", {1, 16, 13, 12}, 48, 1, 3, {1, 1}, {2, 0, 1, 2}, {1, 1}, true, "relu"},
  };
  std::mt19937 generator(12);
  for (const Case& c : cases) {
    const Graph graph = conv_graph(c, generator);
    const Tensor input = random_uniform(c.input, generator);
    for (int threads : {1, 2}) expect_close_to_reference(graph, input, threads, c.name);
  }
}

TEST(LibraryConv, TakesLargeConvolutionsAndLeavesSmallOnes) {
  std::mt19937 generator(3);
  const auto prepared = [&](const Case& c) {
    const Graph graph = conv_graph(c, generator);
    const Node& node = graph.nodes.front();
    const Tensor& weight = *graph.value(node.inputs[1]).constant;
    const Tensor* bias = c.bias ? &*graph.value(node.inputs[2]).constant : nullptr;
    return static_cast<bool>(
        prepare_library_conv(ConvGeometry::of(graph, node), weight, bias, fused_activation(node), RunOptions{}));
  };
  EXPECT_TRUE(prepared({"wide", {1, 64, 8, 8}, 64, 1, 3, {1, 1}, {1, 1, 1, 1}, {1, 1}, true, "relu"}));
  EXPECT_TRUE(prepared({"pointwise", {1, 16, 8, 8}, 8, 1, 1, {1, 1}, {0, 0, 0, 0}, {1, 1}, false, "none"}));
  EXPECT_TRUE(prepared({"depthwise", {1, 32, 8, 8}, 32, 32, 3, {1, 1}, {1, 1, 1, 1}, {1, 1}, true, "relu6"}));
  EXPECT_FALSE(prepared({"narrow", {1, 3, 8, 8}, 8, 1, 3, {1, 1}, {1, 1, 1, 1}, {1, 1}, true, "none"}));
  EXPECT_FALSE(prepared({"small_depthwise", {1, 8, 8, 8}, 8, 8, 3, {1, 1}, {1, 1, 1, 1}, {1, 1}, true, "none"}));
}

TEST(LibraryConv, ThreeByThreeStrideOneConvolutionsWithEnoughTilesRunAsWinograd) {
  const auto geometry = [](std::int64_t height, std::int64_t width, std::int64_t stride, std::int64_t group) {
    ConvGeometry g;
    g.batch = 1;
    g.in_channels = 64;
    g.out_channels = 64;
    g.group = group;
    g.channels_last = true;
    g.in_h = height;
    g.in_w = width;
    g.kernel_h = g.kernel_w = 3;
    g.stride_h = g.stride_w = stride;
    g.pad_top = g.pad_left = g.pad_bottom = g.pad_right = 1;
    g.out_h = (height - 1) / stride + 1;
    g.out_w = (width - 1) / stride + 1;
    return g;
  };
  EXPECT_TRUE(runs_as_winograd(geometry(15, 17, 1, 1)));
  EXPECT_TRUE(runs_as_winograd(geometry(56, 56, 1, 1)));
  // resnet's last layers: 16 tiles, where the transformed weights cost more than they save.
  EXPECT_FALSE(runs_as_winograd(geometry(7, 7, 1, 1)));
  EXPECT_FALSE(runs_as_winograd(geometry(56, 56, 2, 1)));
  EXPECT_FALSE(runs_as_winograd(geometry(56, 56, 1, 64)));
  ConvGeometry nchw = geometry(56, 56, 1, 1);
  nchw.channels_last = false;
  EXPECT_FALSE(runs_as_winograd(nchw));
}

}  // namespace
}  // namespace edgeport
