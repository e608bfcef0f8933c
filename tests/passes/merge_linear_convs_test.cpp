#include <gtest/gtest.h>

#include "graph_fixtures.h"
#include "passes/passes.h"

namespace edgeport {
namespace {

using namespace edgeport::testing;

std::vector<float> values_of(const Tensor& tensor) {
  const auto span = tensor.values<float>();
  return {span.begin(), span.end()};
}

struct Layer {
  std::int64_t out_channels;
  std::int64_t kernel;
  std::vector<std::int64_t> pads;
  bool bias = true;
  std::int64_t group = 1;
  std::string activation = "none";
  std::int64_t stride = 1;
};

Graph stack(const Shape& input, const std::vector<Layer>& layers, std::mt19937& rng) {
  Graph graph;
  int x = graph.add_input("input", DType::Float32, input);
  std::int64_t channels = input[1];
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const Layer& layer = layers[i];
    const std::string name = "conv" + std::to_string(i);
    std::vector<int> inputs{x, graph.add_constant(name + ".weight",
                                                  random_tensor({layer.out_channels, channels / layer.group,
                                                                 layer.kernel, layer.kernel},
                                                                rng))};
    if (layer.bias) inputs.push_back(graph.add_constant(name + ".bias", random_tensor({layer.out_channels}, rng)));
    Attributes attrs;
    attrs.set("pads", layer.pads);
    attrs.set("strides", ints({layer.stride, layer.stride}));
    attrs.set("group", layer.group);
    attrs.set("activation", layer.activation);
    x = graph.add("Conv", name, inputs, attrs);
    channels = layer.out_channels;
  }
  graph.mark_output(x);
  return graph;
}

// Merges `layers` and checks the count and that the output is unchanged.
void expect_merges(const Shape& input_shape, const std::vector<Layer>& layers, int expected_merges) {
  std::mt19937 rng(11);
  Graph graph = stack(input_shape, layers, rng);
  const Tensor input = random_tensor(input_shape, rng);
  const Tensor expected = run_graph(graph, input, kReference);
  const std::size_t nodes = graph.nodes.size();
  ASSERT_EQ(merge_linear_convs(graph), expected_merges);
  EXPECT_EQ(graph.nodes.size(), nodes - static_cast<std::size_t>(expected_merges));
  graph.validate();
  const Tensor got = run_graph(graph, input, kReference);
  EXPECT_LE(max_abs_diff(got, expected), 1e-5f * std::max(1.0f, max_abs(expected)));
  EXPECT_EQ(graph.value(graph.outputs[0]).name, "conv" + std::to_string(layers.size() - 1));
}

TEST(MergeLinearConvs, PointwiseIntoAWiderWindowMergesOnHandValues) {
  // x -> 1x1 (w = 2, -1 over two channels, bias 0.5) -> 1x2 kernel [3, 4]:
  // the merged 1x2 kernel over x's channels is [6, 8] and [-3, -4], bias 0.5 * 7 + 1.
  Graph graph;
  const int x = graph.add_input("input", DType::Float32, {1, 2, 1, 3});
  const int w1 = graph.add_constant("w1", Tensor::from_vector<float>({1, 2, 1, 1}, {2.0f, -1.0f}));
  const int b1 = graph.add_constant("b1", Tensor::from_vector<float>({1}, {0.5f}));
  const int first = graph.add("Conv", "first", {x, w1, b1});
  const int w2 = graph.add_constant("w2", Tensor::from_vector<float>({1, 1, 1, 2}, {3.0f, 4.0f}));
  const int b2 = graph.add_constant("b2", Tensor::from_vector<float>({1}, {1.0f}));
  graph.mark_output(graph.add("Conv", "second", {first, w2, b2}));
  ASSERT_EQ(merge_linear_convs(graph), 1);
  ASSERT_EQ(graph.nodes.size(), 1u);
  const Node& merged = graph.nodes[0];
  EXPECT_EQ(graph.value(merged.inputs[0]).name, "input");
  EXPECT_EQ(values_of(graph.constant(merged.inputs[1])), (std::vector<float>{6.0f, 8.0f, -3.0f, -4.0f}));
  EXPECT_EQ(values_of(graph.constant(merged.inputs[2])), (std::vector<float>{4.5f}));
}

TEST(MergeLinearConvs, TinyLadedaStemMergesConv1IntoConv2Only) {
  // Depthwise 3x3 filter -> 1x1 3->8 without bias -> 3x3 8->8 valid with bias
  // and ReLU: the 1x1 widens 3 -> 8, so it merges into the 3x3; merging the
  // filter into the 1x1 would cost more multiply-adds than it saves.
  expect_merges({1, 3, 20, 20},
                {{3, 3, {1, 1, 1, 1}, false, 3}, {8, 1, {0, 0, 0, 0}, false}, {8, 3, {0, 0, 0, 0}, true, 1, "relu"}},
                1);
}

TEST(MergeLinearConvs, WindowIntoAPointwiseNarrowingMerges) {
  expect_merges({1, 4, 9, 9}, {{8, 3, {1, 1, 1, 1}}, {2, 1, {0, 0, 0, 0}}}, 1);
  // A grouped first conv becomes part of a dense merged one.
  expect_merges({1, 4, 9, 9}, {{8, 3, {1, 0, 1, 2}, true, 2}, {1, 1, {0, 0, 0, 0}}}, 1);
}

TEST(MergeLinearConvs, LeavesAloneWhatIsNotExactOrNotCheaper) {
  // A ReLU between them.
  expect_merges({1, 3, 9, 9}, {{8, 1, {0, 0, 0, 0}, true, 1, "relu"}, {8, 3, {0, 0, 0, 0}}}, 0);
  // A first bias would have to cross the second's zero padding.
  expect_merges({1, 3, 9, 9}, {{8, 1, {0, 0, 0, 0}, true}, {8, 3, {1, 1, 1, 1}}}, 0);
  // Without that bias the padding is zero on both sides of the merge.
  expect_merges({1, 3, 9, 9}, {{8, 1, {0, 0, 0, 0}, false}, {8, 3, {1, 1, 1, 1}}}, 1);
  // Narrowing 1x1 before a 3x3: merging would cost more.
  expect_merges({1, 8, 9, 9}, {{2, 1, {0, 0, 0, 0}}, {8, 3, {0, 0, 0, 0}}}, 0);
  // A grouped second conv.
  expect_merges({1, 4, 9, 9}, {{8, 1, {0, 0, 0, 0}}, {8, 3, {0, 0, 0, 0}, true, 8}}, 0);
  // Two windows: neither is pointwise.
  expect_merges({1, 3, 9, 9}, {{3, 3, {0, 0, 0, 0}}, {3, 3, {0, 0, 0, 0}}}, 0);
}

TEST(MergeLinearConvs, AValueReadElsewhereIsNotMerged) {
  std::mt19937 rng(2);
  Graph graph = stack({1, 3, 9, 9}, {{8, 1, {0, 0, 0, 0}, false}, {8, 3, {0, 0, 0, 0}}}, rng);
  graph.mark_output(graph.nodes[0].outputs[0]);
  EXPECT_EQ(merge_linear_convs(graph), 0);
}

}  // namespace
}  // namespace edgeport
