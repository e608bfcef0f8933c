#include <gtest/gtest.h>

#include <algorithm>

#include "pipeline/float16_range.h"

namespace edgeport {
namespace {

// input -> Mul by `gain` ("amplify") -> Relu ("relu"): the Mul output peaks
// at gain * max|input|.
Graph amplifier(float gain) {
  Graph graph;
  const int input = graph.add_input("input", DType::Float32, {1, 4});
  const int factor = graph.add_constant("gain", Tensor::from_vector<float>({1}, {gain}));
  const int amplified = graph.add("Mul", "amplify", {input, factor});
  graph.mark_output(graph.add("Relu", "relu", {amplified}));
  return graph;
}

std::vector<LabelledInputs> two_inputs() {
  return {{"small", {Tensor::from_vector<float>({1, 4}, {0.5f, -1.0f, 0.25f, 1.0f})}},
          {"large", {Tensor::from_vector<float>({1, 4}, {2.0f, -3.0f, 0.0f, 1.0f})}}};
}

TEST(Float16Range, NamesTheNodesPastTheRangeWithTheirPeakAndInput) {
  // "small" peaks at 40000 (fits); "large" at 120000 before the Relu and
  // 80000 after it.
  const std::vector<Float16Overflow> overflows = find_float16_overflows(amplifier(40000.0f), two_inputs());
  ASSERT_EQ(overflows.size(), 2u);
  EXPECT_EQ(overflows[0].node, "amplify");
  EXPECT_EQ(overflows[0].input, "large");
  EXPECT_DOUBLE_EQ(overflows[0].largest, 120000.0);
  EXPECT_EQ(overflows[1].node, "relu");
  EXPECT_DOUBLE_EQ(overflows[1].largest, 80000.0);
  EXPECT_EQ(describe_float16_overflows(overflows, 1), "amplify reaches 120000 (on large) and 1 more");
}

TEST(Float16Range, QuietWhenEveryValueFits) {
  // "large" peaks at 60000 in magnitude, inside float16's 65504.
  EXPECT_TRUE(find_float16_overflows(amplifier(20000.0f), two_inputs()).empty());
}

TEST(Float16Range, TheCheckingRunsAlsoGiveTheModelsOutputs) {
  Graph graph = amplifier(40000.0f);
  const Float16RangeRun run = run_checking_float16_range(graph, two_inputs());
  EXPECT_EQ(graph.outputs.size(), 1u);  // its own again
  EXPECT_EQ(run.overflows.size(), 2u);
  const OutputSets plain = run_on_input_sets(graph, two_inputs());
  ASSERT_EQ(run.outputs.size(), plain.size());
  for (std::size_t set = 0; set < plain.size(); ++set) {
    ASSERT_EQ(run.outputs[set].size(), 1u);
    const auto expected = plain[set][0].values<float>();
    const auto actual = run.outputs[set][0].values<float>();
    EXPECT_TRUE(std::equal(expected.begin(), expected.end(), actual.begin(), actual.end()));
  }
}

}  // namespace
}  // namespace edgeport
