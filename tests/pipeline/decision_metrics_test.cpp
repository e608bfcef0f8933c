#include <gtest/gtest.h>

#include <cmath>

#include "pipeline/decision_metrics.h"

namespace edgeport {
namespace {

double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

// A 2x2 patch map whose mean is `mean` but whose patches differ, so that only
// the mean (not a single patch) gives the expected probability.
Tensor patch_map(float mean) {
  return Tensor::from_vector<float>({1, 1, 2, 2}, {mean - 3.0f, mean + 1.0f, mean + 2.5f, mean - 0.5f});
}

std::vector<LabelledInputs> labelled(const std::vector<std::string>& labels) {
  std::vector<LabelledInputs> inputs;
  for (const auto& label : labels) inputs.push_back({label, {}});
  return inputs;
}

OutputSets detector_outputs(const std::vector<float>& means) {
  OutputSets sets;
  for (float mean : means) sets.push_back({patch_map(mean)});
  return sets;
}

// "flip": mean logit 0.1 -> -0.1, a changed verdict at 0.5 with a small
// |delta p|; "drift": 1.0 -> 3.0, no change at 0.5 but the largest |delta p|
// and a change at 0.8; "steady": unchanged.
TEST(DecisionMetrics, DetectorFlipThresholdAndWorstImage) {
  const auto inputs = labelled({"dir/steady.png", "dir/drift.png", "dir/flip.png"});
  const DecisionFigures figures = decision_figures(DecisionKind::Detector, inputs,
                                                   detector_outputs({-3.0f, 1.0f, 0.1f}),
                                                   detector_outputs({-3.0f, 3.0f, -0.1f}), 0.8);
  ASSERT_EQ(figures.detector.size(), 3u);
  const double drift = std::abs(sigmoid(3.0) - sigmoid(1.0));
  const double flip = std::abs(sigmoid(-0.1) - sigmoid(0.1));
  EXPECT_NEAR(figures.detector[1].reference_probability, sigmoid(1.0), 1e-6);
  EXPECT_NEAR(figures.detector[1].candidate_probability, sigmoid(3.0), 1e-6);
  EXPECT_NEAR(figures.detector[1].probability_delta, drift, 1e-6);
  EXPECT_NEAR(figures.detector[1].reference_logit, 1.0, 1e-6);
  EXPECT_NEAR(figures.detector[1].candidate_logit, 3.0, 1e-6);
  EXPECT_NEAR(figures.detector[2].probability_delta, flip, 1e-6);
  EXPECT_DOUBLE_EQ(figures.detector[0].probability_delta, 0.0);
  EXPECT_TRUE(figures.detector[0].same_at_half);
  EXPECT_TRUE(figures.detector[1].same_at_half);
  EXPECT_FALSE(figures.detector[2].same_at_half);
  EXPECT_EQ(figures.detector[1].same_at_threshold, false);
  EXPECT_EQ(figures.detector[2].same_at_threshold, true);
  EXPECT_EQ(figures.changed_at_half, 1u);
  EXPECT_EQ(figures.changed_at_threshold, 1u);
  EXPECT_NEAR(figures.max_probability_delta, drift, 1e-6);
  // Both drift and flip changed a verdict (at 0.8 and at 0.5); drift moved further.
  EXPECT_EQ(figures.worst, 1u);
  EXPECT_NE(format_decisions(figures).find("worst drift.png"), std::string::npos) << format_decisions(figures);
  EXPECT_NE(format_input_decision(figures, 2).find("CHANGED at 0.5"), std::string::npos);
}

TEST(DecisionMetrics, AChangedVerdictIsWorseThanALargerDelta) {
  const auto inputs = labelled({"drift.png", "flip.png"});
  const DecisionFigures figures = decision_figures(DecisionKind::Detector, inputs, detector_outputs({1.0f, 0.1f}),
                                                   detector_outputs({3.0f, -0.1f}), std::nullopt);
  EXPECT_EQ(figures.worst, 1u);
  EXPECT_FALSE(figures.detector[0].same_at_threshold.has_value());
  const nlohmann::json json = decision_json(figures);
  EXPECT_EQ(json["worst_input"], "flip.png");
  EXPECT_EQ(json["decisions_changed_at_0.5"], 1);
  EXPECT_TRUE(json["threshold"].is_null());
}

Tensor scores(std::vector<float> values) {
  const auto classes = static_cast<std::int64_t>(values.size());
  return Tensor::from_vector<float>({1, classes}, std::move(values));
}

// Same top-1; top-1 changed but still in the top 5; top-1 changed and pushed
// out of the top 5.
TEST(DecisionMetrics, ClassifierTopOneAndTopFive) {
  const auto inputs = labelled({"same", "second", "gone"});
  OutputSets reference = {{scores({0, 0, 0, 5, 1, 0, 0, 2})},
                          {scores({0, 0, 3, 0, 0, 0, 0, 4})},
                          {scores({9, 1, 2, 3, 4, 5, 6, 7})}};
  OutputSets candidate = {{scores({0, 0, 0, 5, 1, 0, 0, 2})},
                          {scores({0, 0, 5, 0, 0, 0, 0, 4})},
                          {scores({0, 1, 2, 3, 4, 5, 6, 7})}};
  const DecisionFigures figures =
      decision_figures(DecisionKind::Classifier, inputs, reference, candidate, std::nullopt);
  ASSERT_EQ(figures.classifier.size(), 3u);
  EXPECT_EQ(figures.classifier[1].reference_top1, 7);
  EXPECT_EQ(figures.classifier[1].candidate_top1, 2);
  EXPECT_TRUE(figures.classifier[1].in_candidate_top5);
  EXPECT_FALSE(figures.classifier[2].in_candidate_top5);
  EXPECT_DOUBLE_EQ(figures.top1_agreement, 1.0 / 3.0);
  EXPECT_DOUBLE_EQ(figures.top5_agreement, 2.0 / 3.0);
}

Graph single_output_graph(const std::string& architecture, Shape output) {
  Graph graph;
  graph.mark_output(graph.add_input("scores", DType::Float32, std::move(output)));
  if (!architecture.empty()) graph.metadata["architecture"] = architecture;
  return graph;
}

TEST(DecisionMetrics, KindFollowsArchitectureAndOutput) {
  EXPECT_EQ(decision_kind(single_output_graph("tiny_ladeda", {1, 1, 126, 126})), DecisionKind::Detector);
  EXPECT_EQ(decision_kind(single_output_graph("resnet18", {1, 1000})), DecisionKind::Classifier);
  EXPECT_EQ(decision_kind(single_output_graph("mobilenet_v2:num_classes=10", {1, 10})), DecisionKind::Classifier);
  EXPECT_EQ(decision_kind(single_output_graph("resnet18", {1, 1})), DecisionKind::None);
  EXPECT_EQ(decision_kind(single_output_graph("", {1, 1000})), DecisionKind::None);
}

}  // namespace
}  // namespace edgeport
