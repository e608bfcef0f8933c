#include <gtest/gtest.h>

#include "core/error.h"
#include "pipeline/watched_run.h"

namespace edgeport {
namespace {

// input -> Mul "double" -> Relu "relu" (the output).
Graph doubler() {
  Graph graph;
  const int input = graph.add_input("input", DType::Float32, {1, 3});
  const int doubled = graph.add("Mul", "double", {input, graph.add_constant("two", Tensor::from_vector<float>({1}, {2.0f}))});
  graph.mark_output(graph.add("Relu", "relu", {doubled}));
  return graph;
}

std::vector<float> values_of(const Tensor& tensor) {
  const auto values = tensor.values<float>();
  return {values.begin(), values.end()};
}

TEST(WatchedRun, HandsEachSetsWatchedValuesToTheVisitorAndReturnsTheOutputs) {
  const Graph graph = doubler();
  const std::vector<LabelledInputs> inputs = {{"a", {Tensor::from_vector<float>({1, 3}, {1.0f, -2.0f, 0.5f})}},
                                              {"b", {Tensor::from_vector<float>({1, 3}, {-1.0f, 3.0f, 0.0f})}}};
  const int doubled = graph.nodes[0].outputs[0];
  std::vector<std::size_t> sets;
  std::vector<std::vector<float>> seen;
  const OutputSets outputs =
      run_watching(graph, {doubled, graph.inputs[0]}, inputs, [&](std::size_t set, std::span<const Tensor> watched) {
        ASSERT_EQ(watched.size(), 2u);
        sets.push_back(set);
        seen.push_back(values_of(watched[0]));
        seen.push_back(values_of(watched[1]));
      });
  EXPECT_EQ(sets, (std::vector<std::size_t>{0, 1}));
  ASSERT_EQ(seen.size(), 4u);
  EXPECT_EQ(seen[0], (std::vector<float>{2.0f, -4.0f, 1.0f}));
  EXPECT_EQ(seen[1], (std::vector<float>{1.0f, -2.0f, 0.5f}));
  EXPECT_EQ(seen[2], (std::vector<float>{-2.0f, 6.0f, 0.0f}));
  const OutputSets plain = run_on_input_sets(graph, inputs);
  ASSERT_EQ(outputs.size(), 2u);
  for (std::size_t set = 0; set < outputs.size(); ++set) {
    ASSERT_EQ(outputs[set].size(), 1u);
    EXPECT_EQ(values_of(outputs[set][0]), values_of(plain[set][0]));
  }
}

TEST(WatchedRun, NamesAnInputSetOfTheWrongCount) {
  const std::vector<LabelledInputs> inputs = {{"empty", {}}};
  EXPECT_THROW(run_watching(doubler(), {}, inputs, [](std::size_t, std::span<const Tensor>) {}), Error);
}

}  // namespace
}  // namespace edgeport
