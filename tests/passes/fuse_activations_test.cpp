#include <gtest/gtest.h>

#include "graph_fixtures.h"
#include "passes/passes.h"

namespace edgeport {
namespace {

using namespace edgeport::testing;

// input -> Conv -> Relu -> Linear-free Add with a skip -> Relu6 ...
struct MixedGraph {
  Graph graph;
  Tensor input;
};

MixedGraph conv_add_linear_graph(std::mt19937& rng) {
  MixedGraph mixed;
  Graph& graph = mixed.graph;
  const int x = graph.add_input("input", DType::Float32, {1, 3, 4, 4});
  Attributes same;
  same.set("pads", ints({1, 1, 1, 1}));
  const int conv = graph.add("Conv", "conv",
                             {x, graph.add_constant("conv.weight", random_tensor({3, 3, 3, 3}, rng, -2.0f, 2.0f)),
                              graph.add_constant("conv.bias", random_tensor({3}, rng))},
                             same);
  const int relu = graph.add("Relu", "relu", {conv});
  const int sum = graph.add("Add", "add", {relu, x});
  const int relu6 = graph.add("Relu6", "relu6", {sum});
  const int flat = graph.add("Flatten", "flatten", {relu6});
  const int fc = graph.add("Linear", "fc",
                           {flat, graph.add_constant("fc.weight", random_tensor({5, 48}, rng, -3.0f, 3.0f)),
                            graph.add_constant("fc.bias", random_tensor({5}, rng))});
  graph.mark_output(graph.add("Relu", "fc_relu", {fc}));
  mixed.input = random_tensor({1, 3, 4, 4}, rng, -4.0f, 4.0f);
  return mixed;
}

TEST(FuseActivations, FoldsReluAndRelu6IntoConvAddLinear) {
  std::mt19937 rng(3);
  MixedGraph mixed = conv_add_linear_graph(rng);
  Graph& graph = mixed.graph;
  const Tensor expected = run_graph(graph, mixed.input, kReference);
  ASSERT_EQ(fuse_activations(graph), 3);
  EXPECT_EQ(count_ops(graph, "Relu"), 0);
  EXPECT_EQ(count_ops(graph, "Relu6"), 0);
  EXPECT_EQ(find_node(graph, "conv")->attrs.get_string("activation"), "relu");
  EXPECT_EQ(find_node(graph, "add")->attrs.get_string("activation"), "relu6");
  EXPECT_EQ(find_node(graph, "fc")->attrs.get_string("activation"), "relu");
  EXPECT_EQ(graph.value(graph.outputs[0]).name, "fc_relu") << "the model output keeps its name";
  graph.validate();
  const Tensor got = run_graph(graph, mixed.input, kReference);
  EXPECT_LE(max_abs_diff(got, expected), 1e-6f);
  // The activations did clip something, so an ignored attribute would show.
  const Tensor unclipped = [&] {
    Graph plain = graph;
    for (Node& node : plain.nodes) node.attrs.erase("activation");
    return run_graph(plain, mixed.input, kReference);
  }();
  EXPECT_GT(max_abs_diff(unclipped, expected), 1e-3f);
}

TEST(FuseActivations, LeavesSharedOrForeignProducersAlone) {
  std::mt19937 rng(4);
  Graph graph;
  const int x = graph.add_input("input", DType::Float32, {1, 2, 4, 4});
  const int conv = graph.add("Conv", "conv", {x, graph.add_constant("w", random_tensor({2, 2, 1, 1}, rng))});
  const int relu = graph.add("Relu", "relu", {conv});
  const int skip = graph.add("Add", "skip", {relu, conv});  // conv is read twice
  Attributes pool;
  pool.set("kernel", ints({2, 2}));
  const int pooled = graph.add("MaxPool", "pool", {skip}, pool);
  const int pooled_relu = graph.add("Relu", "pool_relu", {pooled});  // MaxPool takes no activation
  graph.mark_output(pooled_relu);
  EXPECT_EQ(fuse_activations(graph), 0);
  EXPECT_EQ(count_ops(graph, "Relu"), 2);
}

TEST(FuseActivations, OneActivationPerOp) {
  std::mt19937 rng(5);
  Graph graph;
  const int x = graph.add_input("input", DType::Float32, {1, 2, 4, 4});
  const int conv = graph.add("Conv", "conv", {x, graph.add_constant("w", random_tensor({2, 2, 1, 1}, rng))});
  graph.mark_output(graph.add("Relu", "relu2", {graph.add("Relu6", "relu1", {conv})}));
  EXPECT_EQ(fuse_activations(graph), 1);
  EXPECT_EQ(find_node(graph, "conv")->attrs.get_string("activation"), "relu6");
  EXPECT_EQ(count_ops(graph, "Relu"), 1);
}

TEST(FuseActivations, KeepsAProducerThatIsAlsoAModelOutput) {
  std::mt19937 rng(6);
  Graph graph;
  const int x = graph.add_input("input", DType::Float32, {1, 2, 4, 4});
  const int conv = graph.add("Conv", "conv", {x, graph.add_constant("w", random_tensor({2, 2, 1, 1}, rng))});
  graph.mark_output(conv);
  graph.mark_output(graph.add("Relu", "relu", {conv}));
  EXPECT_EQ(fuse_activations(graph), 0);
}

}  // namespace
}  // namespace edgeport
