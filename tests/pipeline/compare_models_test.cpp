#include <gtest/gtest.h>

#include <cmath>
#include <optional>

#include "core/error.h"
#include "pipeline/compare_models.h"

namespace edgeport {
namespace {

// input -> Relu ("relu") [-> Mul by `gain` ("second")]: one or two outputs.
Graph relu_model(const Shape& shape, std::optional<float> second_output_gain = std::nullopt) {
  Graph graph;
  const int input = graph.add_input("input", DType::Float32, shape);
  graph.mark_output(graph.add("Relu", "relu", {input}));
  if (second_output_gain) {
    const int gain = graph.add_constant("gain", Tensor::from_vector<float>({1}, {*second_output_gain}));
    graph.mark_output(graph.add("Mul", "second", {input, gain}));
  }
  return graph;
}

// NCHW [1, 2, 2, 3] values -5, -4, ..., 6.
std::vector<LabelledInputs> one_input() {
  Tensor tensor(DType::Float32, {1, 2, 2, 3});
  float value = -5.0f;
  for (float& element : tensor.values<float>()) element = value++;
  return {{"counting", {tensor}}};
}

TEST(CompareModels, BringsAnNhwcCandidateToTheReferenceLayout) {
  // Relu commutes with the transposes, so an NHWC twin agrees exactly only
  // when inputs and outputs are both brought to the right layout.
  const ModelLevelComparison comparison =
      compare_models(relu_model({1, 2, 2, 3}), relu_model({1, 2, 3, 2}), one_input());
  ASSERT_EQ(comparison.per_input.size(), 1u);
  EXPECT_EQ(comparison.per_input[0].first, "counting");
  EXPECT_EQ(comparison.overall.max_abs_diff, 0.0);
  EXPECT_TRUE(std::isinf(comparison.overall.sqnr_db));
  EXPECT_EQ(comparison.overall.elements, 12);
}

TEST(CompareModels, ComparesEveryOutput) {
  // The first outputs agree; the second differ by the input itself.
  const ModelLevelComparison comparison =
      compare_models(relu_model({1, 2, 2, 3}, 1.0f), relu_model({1, 2, 2, 3}, 2.0f), one_input());
  EXPECT_EQ(comparison.overall.elements, 24);
  EXPECT_DOUBLE_EQ(comparison.overall.max_abs_diff, 6.0);
  EXPECT_DOUBLE_EQ(comparison.per_input[0].second.max_abs_diff, 6.0);
}

TEST(CompareModels, RefusesModelsWithDifferentOutputCounts) {
  try {
    compare_models(relu_model({1, 2, 2, 3}), relu_model({1, 2, 2, 3}, 1.0f), one_input());
    FAIL() << "compared 1 output with 2";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("1 outputs to one with 2"), std::string::npos) << error.what();
  }
}

TEST(CompareModels, RefusesAnInterfaceThatIsNotTheSameNorATranspose) {
  EXPECT_THROW(compare_models(relu_model({1, 2, 2, 3}), relu_model({1, 12, 1, 1}), one_input()), Error);
}

}  // namespace
}  // namespace edgeport
