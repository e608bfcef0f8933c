#include <gtest/gtest.h>

#include "graph_fixtures.h"
#include "passes/passes.h"

namespace edgeport {
namespace {

using namespace edgeport::testing;

TEST(FoldBatchNorm, MatchesTheFormulaOnAHandExample) {
  Graph graph;
  const int x = graph.add_input("input", DType::Float32, {1, 1, 2, 2});
  const int w = graph.add_constant("conv.weight", Tensor::from_vector<float>({1, 1, 1, 1}, {2.0f}));
  const int b = graph.add_constant("conv.bias", Tensor::from_vector<float>({1}, {1.0f}));
  const int conv = graph.add("Conv", "conv", {x, w, b});
  // scale = 3 / sqrt(3 + 1) = 1.5; W' = 2 * 1.5; b' = (1 - 2) * 1.5 + 0.5
  const int gamma = graph.add_constant("bn.weight", Tensor::from_vector<float>({1}, {3.0f}));
  const int beta = graph.add_constant("bn.bias", Tensor::from_vector<float>({1}, {0.5f}));
  const int mean = graph.add_constant("bn.running_mean", Tensor::from_vector<float>({1}, {2.0f}));
  const int var = graph.add_constant("bn.running_var", Tensor::from_vector<float>({1}, {3.0f}));
  Attributes attrs;
  attrs.set("epsilon", 1.0);
  graph.mark_output(graph.add("BatchNorm", "bn", {conv, gamma, beta, mean, var}, attrs));

  ASSERT_EQ(fold_batch_norm(graph), 1);
  ASSERT_EQ(graph.nodes.size(), 1u);
  const Node& folded = graph.nodes[0];
  EXPECT_EQ(folded.name, "conv");
  EXPECT_EQ(graph.constant(folded.inputs[1]).data<float>()[0], 3.0f);
  EXPECT_EQ(graph.constant(folded.inputs[2]).data<float>()[0], -1.0f);
  EXPECT_EQ(graph.value(folded.inputs[1]).name, "conv.weight");
  EXPECT_EQ(graph.value(folded.inputs[2]).name, "conv.bias");
  // The graph output keeps the BatchNorm's name.
  EXPECT_EQ(graph.value(graph.outputs[0]).name, "bn");
  EXPECT_EQ(graph.values.size(), 4u) << "the BatchNorm's parameters are compacted away";
  graph.validate();
}

// Random conv stacks with and without bias, grouped, strided, padded; the
// folded graph must compute what the unfolded one does.
TEST(FoldBatchNorm, RandomConvGraphsKeepTheirOutputs) {
  std::mt19937 rng(42);
  for (int trial = 0; trial < 12; ++trial) {
    std::uniform_int_distribution<int> pick(0, 1);
    Graph graph;
    const std::int64_t channels = 4;
    const int x = graph.add_input("input", DType::Float32, {1, channels, 11, 9});
    int h = x;
    for (int layer = 0; layer < 3; ++layer) {
      const std::string name = "conv" + std::to_string(layer);
      const std::int64_t group = pick(rng) ? 2 : 1;
      const std::int64_t kernel = pick(rng) ? 3 : 1;
      Attributes attrs;
      attrs.set("group", group);
      attrs.set("strides", pick(rng) ? ints({2, 1}) : ints({1, 1}));
      attrs.set("pads", kernel == 3 ? ints({1, 0, 1, 1}) : ints({0, 0, 0, 0}));
      std::vector<int> inputs = {h, graph.add_constant(name + ".weight",
                                                       random_tensor({channels, channels / group, kernel, kernel}, rng))};
      if (pick(rng)) inputs.push_back(graph.add_constant(name + ".bias", random_tensor({channels}, rng)));
      h = graph.add("Conv", name, inputs, attrs);
      h = add_batch_norm(graph, "bn" + std::to_string(layer), h, rng, trial % 2 ? 1e-3 : 1e-5);
      if (layer < 2) h = graph.add("Relu", "relu" + std::to_string(layer), {h});
    }
    graph.mark_output(h);
    const Tensor input = random_tensor({1, channels, 11, 9}, rng);
    const Tensor expected = run_graph(graph, input, kReference);

    ASSERT_EQ(fold_batch_norm(graph), 3) << "trial " << trial;
    EXPECT_EQ(count_ops(graph, "BatchNorm"), 0);
    EXPECT_NE(find_node(graph, "conv0"), nullptr);
    const Tensor got = run_graph(graph, input, kReference);
    EXPECT_LE(max_abs_diff(got, expected), 1e-5f * std::max(1.0f, max_abs(expected))) << "trial " << trial;
  }
}

TEST(FoldBatchNorm, FoldsIntoATwoDimensionalLinear) {
  std::mt19937 rng(7);
  Graph graph;
  const int x = graph.add_input("input", DType::Float32, {3, 5});
  const int w = graph.add_constant("fc.weight", random_tensor({4, 5}, rng));
  const int fc = graph.add("Linear", "fc", {x, w});
  graph.mark_output(add_batch_norm(graph, "bn", fc, rng));
  const Tensor input = random_tensor({3, 5}, rng);
  const Tensor expected = run_graph(graph, input, kReference);
  ASSERT_EQ(fold_batch_norm(graph), 1);
  EXPECT_EQ(graph.nodes.size(), 1u);
  EXPECT_LE(max_abs_diff(run_graph(graph, input, kReference), expected), 1e-5f);
}

TEST(FoldBatchNorm, LeavesLinearOverHigherRanksAlone) {
  std::mt19937 rng(8);
  Graph graph;
  const int x = graph.add_input("input", DType::Float32, {1, 4, 6, 4});
  const int w = graph.add_constant("fc.weight", random_tensor({4, 4}, rng));
  // BatchNorm normalises axis 1, the Linear's channels are the last axis.
  graph.mark_output(add_batch_norm(graph, "bn", graph.add("Linear", "fc", {x, w}), rng));
  EXPECT_EQ(fold_batch_norm(graph), 0);
  EXPECT_EQ(count_ops(graph, "BatchNorm"), 1);
}

TEST(FoldBatchNorm, KeepsConvOutputsThatOthersRead) {
  std::mt19937 rng(9);
  Graph graph;
  const int x = graph.add_input("input", DType::Float32, {1, 2, 4, 4});
  const int conv = graph.add("Conv", "conv", {x, graph.add_constant("w", random_tensor({2, 2, 1, 1}, rng))});
  const int bn = add_batch_norm(graph, "bn", conv, rng);
  graph.mark_output(graph.add("Add", "add", {bn, conv}));
  EXPECT_EQ(fold_batch_norm(graph), 0);

  Graph exposed;
  const int input = exposed.add_input("input", DType::Float32, {1, 2, 4, 4});
  const int conv_out = exposed.add("Conv", "conv", {input, exposed.add_constant("w", random_tensor({2, 2, 1, 1}, rng))});
  exposed.mark_output(conv_out);
  exposed.mark_output(add_batch_norm(exposed, "bn", conv_out, rng));
  EXPECT_EQ(fold_batch_norm(exposed), 0) << "the conv's output is itself a model output";
}

TEST(FoldBatchNorm, SkipsWhatItCannotFold) {
  std::mt19937 rng(10);
  Graph graph;
  const int x = graph.add_input("input", DType::Float32, {1, 2, 4, 4});
  const int activated = graph.add("Relu", "relu", {x});
  const int after_relu = add_batch_norm(graph, "bn0", activated, rng);
  Attributes fused;
  fused.set("activation", std::string("relu"));
  const int conv = graph.add("Conv", "conv", {after_relu, graph.add_constant("w", random_tensor({2, 2, 1, 1}, rng))},
                             fused);
  const int after_fused = add_batch_norm(graph, "bn1", conv, rng);
  const int live_weight = graph.add_input("weight", DType::Float32, {2, 2, 1, 1});
  const int dynamic = graph.add("Conv", "dynamic", {after_fused, live_weight});
  graph.mark_output(add_batch_norm(graph, "bn2", dynamic, rng));
  EXPECT_EQ(fold_batch_norm(graph), 0);
  EXPECT_EQ(count_ops(graph, "BatchNorm"), 3);
}

TEST(FoldBatchNorm, SharedWeightsGetSeparateFoldedCopies) {
  std::mt19937 rng(11);
  Graph graph;
  const int x = graph.add_input("input", DType::Float32, {1, 3, 5, 5});
  const int w = graph.add_constant("shared.weight", random_tensor({3, 3, 3, 3}, rng));
  Attributes same;
  same.set("pads", ints({1, 1, 1, 1}));
  const int a = add_batch_norm(graph, "bn_a", graph.add("Conv", "conv_a", {x, w}, same), rng);
  const int b = add_batch_norm(graph, "bn_b", graph.add("Conv", "conv_b", {a, w}, same), rng);
  graph.mark_output(b);
  const Tensor input = random_tensor({1, 3, 5, 5}, rng);
  const Tensor expected = run_graph(graph, input, kReference);
  ASSERT_EQ(fold_batch_norm(graph), 2);
  const Node* conv_a = find_node(graph, "conv_a");
  const Node* conv_b = find_node(graph, "conv_b");
  ASSERT_TRUE(conv_a && conv_b);
  EXPECT_NE(conv_a->inputs[1], conv_b->inputs[1]);
  EXPECT_LE(max_abs_diff(run_graph(graph, input, kReference), expected), 1e-5f * std::max(1.0f, max_abs(expected)));
}

TEST(FoldBatchNorm, ChainedBatchNormsAllFold) {
  std::mt19937 rng(12);
  Graph graph;
  const int x = graph.add_input("input", DType::Float32, {1, 2, 3, 3});
  const int conv = graph.add("Conv", "conv", {x, graph.add_constant("w", random_tensor({2, 2, 1, 1}, rng))});
  graph.mark_output(add_batch_norm(graph, "bn2", add_batch_norm(graph, "bn1", conv, rng), rng));
  const Tensor input = random_tensor({1, 2, 3, 3}, rng);
  const Tensor expected = run_graph(graph, input, kReference);
  EXPECT_EQ(fold_batch_norm(graph), 2);
  EXPECT_EQ(graph.nodes.size(), 1u);
  EXPECT_LE(max_abs_diff(run_graph(graph, input, kReference), expected), 1e-5f * std::max(1.0f, max_abs(expected)));
}

}  // namespace
}  // namespace edgeport
