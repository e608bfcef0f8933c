#include <gtest/gtest.h>

#include "core/error.h"
#include "pipeline/downstream_graph.h"
#include "runtime/session.h"

namespace edgeport {
namespace {

// input -> Mul "scale" -> Relu "relu" -> Mul "gain" -> Add "sum" (with the
// Mul "scale" output as a skip) = output 0; input -> Mul "side" = output 1,
// which no change to "gain" reaches.
Graph skip_graph() {
  Graph graph;
  const int input = graph.add_input("input", DType::Float32, {1, 4});
  const int scaled = graph.add("Mul", "scale", {input, graph.add_constant("s", Tensor::from_vector<float>({1}, {1.5f}))});
  const int relu = graph.add("Relu", "relu", {scaled});
  const int gained = graph.add("Mul", "gain", {relu, graph.add_constant("g", Tensor::from_vector<float>({1}, {0.3f}))});
  graph.mark_output(graph.add("Add", "sum", {gained, scaled}));
  graph.mark_output(graph.add("Mul", "side", {input, graph.add_constant("d", Tensor::from_vector<float>({1}, {2.0f}))}));
  return graph;
}

constexpr std::size_t kGain = 2;  // index of "gain" in skip_graph's nodes

void expect_same_values(const Tensor& expected, const Tensor& actual) {
  ASSERT_EQ(expected.shape(), actual.shape());
  const auto want = expected.values<float>();
  const auto got = actual.values<float>();
  for (std::size_t i = 0; i < want.size(); ++i) EXPECT_EQ(want[i], got[i]) << "element " << i;
}

TEST(DownstreamGraph, RunFromTheUnchangedValuesEqualsTheChangedWholeGraph) {
  const Graph graph = skip_graph();
  const Tensor changed_gain = Tensor::from_vector<float>({1}, {0.7f});
  Graph changed = graph;
  changed.nodes[kGain].inputs[1] = changed.add_constant("g_changed", changed_gain);
  const Tensor input = Tensor::from_vector<float>({1, 4}, {0.5f, -1.0f, 2.25f, 3.0f});

  // Every value of the unchanged run, by value id.
  Graph watched = graph;
  for (std::size_t v = 0; v < graph.values.size(); ++v) watched.mark_output(static_cast<int>(v));
  const std::vector<Tensor> run = Session(watched).run({input});
  const std::vector<Tensor> unchanged(run.begin() + static_cast<std::ptrdiff_t>(graph.outputs.size()), run.end());

  const int gain_output = graph.nodes[kGain].outputs[0];
  const DownstreamGraph part =
      downstream_graph(graph, kGain, {std::nullopt, changed_gain}, {graph.outputs[0], graph.outputs[1], gain_output});
  ASSERT_EQ(part.graph.nodes.size(), 2u);  // "gain" and "sum"
  EXPECT_EQ(part.feeds, (std::vector<int>{graph.nodes[1].outputs[0], graph.nodes[0].outputs[0]}));
  ASSERT_EQ(part.output_index.size(), 3u);
  EXPECT_EQ(part.output_index[1], -1);

  std::vector<Tensor> feeds;
  for (int feed : part.feeds) feeds.push_back(unchanged[static_cast<std::size_t>(feed)]);
  const std::vector<Tensor> partial = Session(part.graph).run(feeds);
  Graph changed_watched = changed;
  changed_watched.mark_output(gain_output);
  const std::vector<Tensor> whole = Session(changed_watched).run({input});
  expect_same_values(whole[0], partial[static_cast<std::size_t>(part.output_index[0])]);
  expect_same_values(whole[2], partial[static_cast<std::size_t>(part.output_index[2])]);
  expect_same_values(whole[1], unchanged[static_cast<std::size_t>(graph.outputs[1])]);
}

// As for a bias the quantizer gives a layer that had none.
TEST(DownstreamGraph, AddsTheInputSlotOfANewParameter) {
  const Graph graph = skip_graph();
  const DownstreamGraph part = downstream_graph(graph, graph.nodes.size() - 1,
                                                {std::nullopt, std::nullopt, Tensor::from_vector<float>({1}, {1.0f})},
                                                {graph.outputs[1]});
  ASSERT_EQ(part.graph.nodes.size(), 1u);
  ASSERT_EQ(part.graph.nodes[0].inputs.size(), 3u);
  EXPECT_TRUE(part.graph.is_constant(part.graph.nodes[0].inputs[2]));
  EXPECT_EQ(part.feeds, std::vector<int>{graph.inputs[0]});
  EXPECT_EQ(part.output_index, std::vector<int>{0});
}

TEST(DownstreamGraph, NamesANodeOutsideTheGraph) {
  EXPECT_THROW(downstream_graph(skip_graph(), 9, {}, {}), Error);
}

}  // namespace
}  // namespace edgeport
