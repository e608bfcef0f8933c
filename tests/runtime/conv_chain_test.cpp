// The depth-first conv chains and their row kernels, judged against the
// reference kernels (RunOptions::reference), which keep the accumulation
// order the runtimes and fixtures were checked against.
#include "runtime/conv_chain.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>

#include "run_op.h"

namespace edgeport {
namespace {

using testing::attributes;
using testing::Ints;
using testing::random_uniform;

struct ConvSpec {
  std::int64_t out_channels;
  std::int64_t kernel;
  std::int64_t stride;
  Ints pads;  // top, left, bottom, right
  std::int64_t group = 1;
  std::int64_t dilation = 1;
  std::string activation = "none";
  bool bias = true;
};

// Input [batch, channels, height, width] through the convs in order.
Graph conv_graph(const Shape& input, const std::vector<ConvSpec>& convs, std::mt19937& generator) {
  Graph graph;
  int x = graph.add_input("x", DType::Float32, input);
  std::int64_t channels = input[1];
  for (std::size_t i = 0; i < convs.size(); ++i) {
    const ConvSpec& spec = convs[i];
    const std::string name = "conv" + std::to_string(i);
    std::vector<int> inputs{x, graph.add_constant(name + ".weight",
                                                  random_uniform({spec.out_channels, channels / spec.group,
                                                                  spec.kernel, spec.kernel},
                                                                 generator))};
    if (spec.bias) inputs.push_back(graph.add_constant(name + ".bias", random_uniform({spec.out_channels}, generator)));
    x = graph.add("Conv", name, inputs,
                  attributes({{"strides", Ints{spec.stride, spec.stride}},
                              {"pads", spec.pads},
                              {"dilations", Ints{spec.dilation, spec.dilation}},
                              {"group", spec.group},
                              {"activation", spec.activation}}));
    channels = spec.out_channels;
  }
  graph.mark_output(x);
  return graph;
}

// Largest difference relative to the reference output's largest magnitude.
double relative_difference(const Tensor& reference, const Tensor& actual) {
  const auto want = reference.values<float>();
  const auto got = actual.values<float>();
  EXPECT_EQ(want.size(), got.size());
  double scale = 0.0;
  double worst = 0.0;
  for (std::size_t i = 0; i < want.size(); ++i) {
    scale = std::max(scale, std::abs(static_cast<double>(want[i])));
    worst = std::max(worst, std::abs(static_cast<double>(got[i]) - want[i]));
  }
  return worst / scale;
}

void expect_matches_reference(const Shape& input_shape, const std::vector<ConvSpec>& convs, int threads = 1) {
  std::mt19937 generator(7);
  const Graph graph = conv_graph(input_shape, convs, generator);
  const Tensor input = random_uniform(input_shape, generator);
  const Tensor reference = Session(graph, RunOptions{.reference = true}).run({input}).front();
  const Session fast(graph, RunOptions{.threads = threads});
  ASSERT_TRUE(fast.fast());
  const Tensor actual = fast.run({input}).front();
  EXPECT_EQ(actual.shape(), reference.shape());
  EXPECT_LE(relative_difference(reference, actual), 1e-5) << shape_to_string(input_shape);
  // A second run reuses the arena and the rings: it must give the same bits.
  const Tensor again = fast.run({input}).front();
  EXPECT_EQ(std::memcmp(again.raw(), actual.raw(), actual.nbytes()), 0);
}

TEST(ConvChain, SingleConvsOfEveryShapeMatchTheReference) {
  // Widths from below one vector to several blocks with a tail, every
  // stride, asymmetric padding, dilation, groups and depthwise.
  for (std::int64_t width : {2, 3, 7, 15, 16, 17, 31, 32, 33, 47, 70}) {
    expect_matches_reference({1, 3, 9, width}, {{8, 3, 1, {1, 1, 1, 1}}});
    expect_matches_reference({1, 5, 9, width}, {{7, 3, 2, {0, 1, 2, 0}, 1, 1, "relu"}});
    expect_matches_reference({1, 4, 11, width}, {{4, 3, 1, {2, 2, 2, 2}, 4, 2}});
    expect_matches_reference({2, 6, 6, width}, {{3, 1, 1, {0, 0, 0, 0}, 3, 1, "relu6", false}});
  }
  expect_matches_reference({1, 2, 20, 20}, {{5, 5, 3, {2, 1, 0, 3}}});
  expect_matches_reference({1, 3, 16, 40}, {{1, 7, 2, {3, 3, 3, 3}}});
}

TEST(ConvChain, ChainsMatchTheReference) {
  // Tiny-LaDeDa's shape: depthwise 3x3 padded, 1x1, 3x3 valid, 1x1, 3x3 stride 2, 1x1.
  const std::vector<ConvSpec> ladeda{{3, 3, 1, {1, 1, 1, 1}, 3, 1, "none", false},
                                     {8, 1, 1, {0, 0, 0, 0}, 1, 1, "none", false},
                                     {8, 3, 1, {0, 0, 0, 0}, 1, 1, "relu"},
                                     {8, 1, 1, {0, 0, 0, 0}, 1, 1, "relu"},
                                     {8, 3, 2, {0, 0, 0, 0}, 1, 1, "relu"},
                                     {1, 1, 1, {0, 0, 0, 0}}};
  expect_matches_reference({1, 3, 64, 64}, ladeda);
  expect_matches_reference({2, 3, 37, 45}, ladeda);
  expect_matches_reference({1, 3, 64, 64}, ladeda, 2);
  // Padding and strides in the middle of a chain, and a dilated layer.
  expect_matches_reference({1, 4, 30, 29}, {{6, 3, 2, {1, 1, 1, 1}, 1, 1, "relu"},
                                            {6, 3, 1, {2, 2, 2, 2}, 2, 2, "relu6"},
                                            {5, 5, 2, {2, 0, 1, 2}},
                                            {2, 1, 1, {0, 0, 0, 0}}},
                           2);
}

TEST(ConvChain, AChainRunsAsOneStepAndThreadsGiveTheSameBits) {
  std::mt19937 generator(3);
  const Graph graph = conv_graph({1, 3, 40, 40},
                                 {{8, 3, 1, {1, 1, 1, 1}, 1, 1, "relu"},
                                  {8, 3, 2, {0, 0, 0, 0}, 1, 1, "relu"},
                                  {1, 1, 1, {0, 0, 0, 0}}},
                                 generator);
  const std::vector<std::vector<int>> chains = find_conv_chains(graph);
  ASSERT_EQ(chains.size(), 1u);
  EXPECT_EQ(chains.front(), (std::vector<int>{0, 1, 2}));
  const Tensor input = random_uniform({1, 3, 40, 40}, generator);
  const Session one(graph, RunOptions{.threads = 1});
  const Session two(graph, RunOptions{.threads = 2});
  // No intermediate tensor exists: only the output is in the arena.
  EXPECT_EQ(one.arena_bytes(), 64 * ((1 * 1 * 19 * 19 * 4 + 63) / 64));
  const Tensor a = one.run({input}).front();
  const Tensor b = two.run({input}).front();
  EXPECT_EQ(std::memcmp(a.raw(), b.raw(), a.nbytes()), 0);
}

TEST(ConvChain, AValueReadTwiceOrAGraphOutputEndsTheChain) {
  std::mt19937 generator(5);
  Graph graph = conv_graph({1, 2, 8, 8},
                           {{4, 3, 1, {1, 1, 1, 1}}, {4, 3, 1, {1, 1, 1, 1}}, {2, 1, 1, {0, 0, 0, 0}}}, generator);
  graph.mark_output(graph.nodes[0].outputs[0]);
  const std::vector<std::vector<int>> chains = find_conv_chains(graph);
  ASSERT_EQ(chains.size(), 2u);
  EXPECT_EQ(chains[0], (std::vector<int>{0}));
  EXPECT_EQ(chains[1], (std::vector<int>{1, 2}));
  const Tensor input = random_uniform({1, 2, 8, 8}, generator);
  const std::vector<Tensor> reference = Session(graph, RunOptions{.reference = true}).run({input});
  const std::vector<Tensor> fast = Session(graph).run({input});
  ASSERT_EQ(fast.size(), 2u);
  EXPECT_LE(relative_difference(reference[0], fast[0]), 1e-5);
  EXPECT_LE(relative_difference(reference[1], fast[1]), 1e-5);
}

TEST(ConvChain, WideConvsAreLeftToOtherKernels) {
  std::mt19937 generator(9);
  const Graph graph = conv_graph({1, 32, 8, 8}, {{32, 3, 1, {1, 1, 1, 1}}}, generator);
  EXPECT_FALSE(runs_as_conv_rows(graph, graph.nodes[0]));
  EXPECT_TRUE(conv_rows_can_run(graph, graph.nodes[0]));
  expect_matches_reference({1, 32, 8, 8}, {{32, 3, 1, {1, 1, 1, 1}}});
}

}  // namespace
}  // namespace edgeport
