#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "core/error.h"
#include "pipeline/calibration_statistics.h"
#include "pipeline/compare_models.h"
#include "pipeline/quantize_model.h"

namespace edgeport {
namespace {

Tensor random_tensor(Shape shape, unsigned seed) {
  std::mt19937 generator(seed);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  Tensor tensor(DType::Float32, std::move(shape));
  for (float& value : tensor.values<float>()) value = normal(generator);
  return tensor;
}

// input -> frozen 1x1 identity filter "preprocess" -> Relu -> "conv" (3x3,
// padded) -> Relu -> GlobalAveragePool -> Flatten -> "fc".
Graph small_model() {
  Graph graph;
  int x = graph.add_input("input", DType::Float32, {1, 2, 6, 6});
  const int identity = graph.add_constant("preprocess.weight",
                                          Tensor::from_vector<float>({2, 2, 1, 1}, {1.0f, 0.0f, 0.0f, 1.0f}));
  Attributes frozen;
  frozen.set("frozen", std::int64_t{1});
  x = graph.add("Conv", "preprocess", {x, identity}, frozen);
  x = graph.add("Relu", "relu0", {x});
  Attributes padded;
  padded.set("pads", std::vector<std::int64_t>{1, 1, 1, 1});
  x = graph.add("Conv", "conv", {x, graph.add_constant("conv.weight", random_tensor({3, 2, 3, 3}, 1))}, padded);
  x = graph.add("Relu", "relu1", {x});
  x = graph.add("GlobalAveragePool", "pool", {x});
  x = graph.add("Flatten", "flatten", {x});
  graph.mark_output(graph.add("Linear", "fc", {x, graph.add_constant("fc.weight", random_tensor({2, 3}, 2))}));
  return graph;
}

std::vector<LabelledInputs> two_inputs() {
  return {{"a", {random_tensor({1, 2, 6, 6}, 3)}}, {"b", {random_tensor({1, 2, 6, 6}, 4)}}};
}

Tensor relu(const Tensor& tensor) {
  Tensor result = tensor;
  for (float& value : result.values<float>()) value = std::max(value, 0.0f);
  return result;
}

TEST(CalibrationStatistics, FeedsEachQuantizableLayerItsFloatInput) {
  const Graph graph = small_model();
  const std::vector<LabelledInputs> inputs = two_inputs();
  const CalibrationStatistics statistics = collect_calibration_statistics(graph, inputs);
  ASSERT_EQ(statistics.size(), 2u);
  EXPECT_EQ(statistics.count("preprocess"), 0u);  // frozen: never quantized

  // The conv reads the ReLU of the input (the frozen filter is the identity).
  LayerStatisticsAccumulator expected(graph, graph.nodes[2]);
  ASSERT_EQ(graph.nodes[2].name, "conv");
  for (const LabelledInputs& set : inputs) expected.add(relu(set.tensors.front()));
  const LayerStatistics conv = expected.finish();
  const LayerStatistics& measured = statistics.at("conv");
  EXPECT_EQ(measured.samples, conv.samples);
  EXPECT_EQ(measured.mean, conv.mean);
  EXPECT_EQ(measured.second_moment, conv.second_moment);

  const LayerStatistics& fc = statistics.at("fc");
  EXPECT_EQ(fc.samples, 2);
  EXPECT_EQ(fc.patch_size, 3);
  for (double mean : fc.mean.front()) EXPECT_GE(mean, 0.0);  // pooled ReLU outputs
}

TEST(CalibrationStatistics, QuantizeLoadedComputesThemWhenTheConfigNeedsThem) {
  const Graph model = small_model();
  QuantConfig config;
  config.bits = 4;
  const QuantizeOutcome plain = quantize_loaded(model, config, two_inputs());
  EXPECT_FALSE(plain.statistics.has_value());
  config.rounding = Rounding::Adaptive;
  config.bias_correction = true;
  const QuantizeOutcome calibrated = quantize_loaded(model, config, two_inputs());
  ASSERT_TRUE(calibrated.statistics.has_value());
  EXPECT_EQ(calibrated.statistics->size(), 2u);
  for (const TensorQuantRecord& record : calibrated.result.tensors) {
    EXPECT_TRUE(record.has_output_error) << record.name;
    EXPECT_TRUE(record.bias_corrected) << record.name;
  }
  // Statistics from a separate calibration set, not from the figures' inputs.
  const std::vector<LabelledInputs> other{{"c", {random_tensor({1, 2, 6, 6}, 9)}}};
  const QuantizeOutcome separate = quantize_loaded(model, config, two_inputs(), other);
  EXPECT_EQ(separate.statistics->at("fc").samples, 1);
}

bool same_outputs(const OutputSets& expected, const OutputSets& actual) {
  if (expected.size() != actual.size()) return false;
  for (std::size_t set = 0; set < expected.size(); ++set) {
    if (expected[set].size() != actual[set].size()) return false;
    for (std::size_t i = 0; i < expected[set].size(); ++i) {
      const auto want = expected[set][i].values<float>();
      const auto got = actual[set][i].values<float>();
      if (!std::equal(want.begin(), want.end(), got.begin(), got.end())) return false;
    }
  }
  return true;
}

TEST(CalibrationStatistics, OneFloatRunPerInputGivesTheOutputsAndTheStatistics) {
  const Graph graph = small_model();
  QuantConfig config;
  const FloatRun plain = run_float_model(graph, config, two_inputs());
  EXPECT_FALSE(plain.statistics.has_value());
  EXPECT_TRUE(same_outputs(run_on_input_sets(graph, two_inputs()), plain.outputs));

  config.bias_correction = true;
  const FloatRun calibrated = run_float_model(graph, config, two_inputs());
  EXPECT_TRUE(same_outputs(plain.outputs, calibrated.outputs));
  ASSERT_TRUE(calibrated.statistics.has_value());
  const CalibrationStatistics separately = collect_calibration_statistics(graph, two_inputs());
  ASSERT_EQ(calibrated.statistics->size(), separately.size());
  for (const auto& [layer, statistics] : separately) {
    EXPECT_EQ(calibrated.statistics->at(layer).mean, statistics.mean) << layer;
    EXPECT_EQ(calibrated.statistics->at(layer).second_moment, statistics.second_moment) << layer;
  }
  EXPECT_THROW(run_float_model(graph, config, {}), Error);
}

TEST(CalibrationStatistics, QuantizingWithTheFloatOutputsGivesTheFiguresOfBothRuns) {
  const Graph graph = small_model();
  QuantConfig config;
  config.bits = 4;
  const FloatRun float_run = run_float_model(graph, config, two_inputs());
  const QuantizeOutcome outcome = quantize_with_statistics(graph, config, two_inputs(), std::nullopt, float_run.outputs);
  EXPECT_TRUE(same_outputs(run_on_input_sets(outcome.result.graph, two_inputs()), outcome.outputs));
  const ModelLevelComparison both_run = compare_models(graph, outcome.result.graph, two_inputs());
  EXPECT_EQ(outcome.model.overall.sqnr_db, both_run.overall.sqnr_db);
  EXPECT_EQ(outcome.model.overall.max_abs_diff, both_run.overall.max_abs_diff);
  ASSERT_EQ(outcome.model.per_input.size(), 2u);
  EXPECT_EQ(outcome.model.per_input[1].second.mean_abs_diff, both_run.per_input[1].second.mean_abs_diff);
}

}  // namespace
}  // namespace edgeport
