#include <gtest/gtest.h>

#include <cmath>

#include "core/ops/conv.h"
#include "onnx/onnx_export.h"
#include "pipeline/decision_gates.h"
#include "pipeline/verify.h"
#include "../test_scratch.h"

namespace edgeport {
namespace {

DetectorDecision detector(const std::string& label, double reference, double candidate) {
  DetectorDecision decision;
  decision.label = label;
  decision.reference_probability = reference;
  decision.candidate_probability = candidate;
  decision.probability_delta = std::abs(candidate - reference);
  decision.same_at_half = (reference > 0.5) == (candidate > 0.5);
  return decision;
}

TEST(DecisionGates, DetectorGatesNameTheInputAndTheFigure) {
  DecisionFigures figures;
  figures.kind = DecisionKind::Detector;
  figures.detector = {detector("steady.png", 0.9, 0.91), detector("flip.png", 0.52, 0.47)};
  EXPECT_TRUE(missed_decision_gates({}, figures).empty());

  const auto same = missed_decision_gates({std::nullopt, true, std::nullopt}, figures);
  ASSERT_EQ(same.size(), 1u);
  EXPECT_NE(same[0].find("flip.png: verdict changed at 0.5"), std::string::npos) << same[0];

  const auto delta = missed_decision_gates({0.02, false, std::nullopt}, figures);
  ASSERT_EQ(delta.size(), 1u);
  EXPECT_NE(delta[0].find("flip.png: |delta p| 0.0500 above 0.0200"), std::string::npos) << delta[0];
  EXPECT_EQ(missed_decision_gates({0.06, false, std::nullopt}, figures).size(), 0u);
}

TEST(DecisionGates, ThresholdVerdictsCountWhenSameDecisionsAreRequired) {
  DecisionFigures figures;
  figures.kind = DecisionKind::Detector;
  figures.threshold = 0.8;
  figures.detector = {detector("drift.png", 0.75, 0.85)};
  figures.detector[0].same_at_threshold = false;
  const auto missed = missed_decision_gates({std::nullopt, true, std::nullopt}, figures);
  ASSERT_EQ(missed.size(), 1u);
  EXPECT_NE(missed[0].find("drift.png: verdict changed at the threshold 0.8000"), std::string::npos) << missed[0];
}

TEST(DecisionGates, ClassifierTopOneAgreement) {
  DecisionFigures figures;
  figures.kind = DecisionKind::Classifier;
  figures.classifier = {{"a.png", 3, 3, true}, {"b.png", 7, 2, true}};
  figures.top1_agreement = 0.5;
  const auto missed = missed_decision_gates({std::nullopt, true, 0.99}, figures);
  ASSERT_EQ(missed.size(), 1u);
  EXPECT_NE(missed[0].find("top-1 agreement 0.5000 below 0.9900"), std::string::npos) << missed[0];
  EXPECT_NE(missed[0].find("b.png (7 -> 2)"), std::string::npos) << missed[0];
  EXPECT_TRUE(missed_decision_gates({std::nullopt, true, 0.5}, figures).empty());
}

double mean_logit(const Tensor& logits) {
  double sum = 0;
  for (float value : logits.values<float>()) sum += value;
  return sum / static_cast<double>(logits.numel());
}

// A candidate whose last bias is shifted so that the bundled image nearest
// the decision boundary crosses it: verify must name that image, and pass
// the same file when no decision gate is set.
TEST(DecisionGates, ShiftedBiasFlipsAVerdictAndVerifyFails) {
  const std::filesystem::path sample = std::filesystem::path(EDGEPORT_SOURCE_DIR) / "models" / "tiny_ladeda_sample.pt";
  LoadedModel model = load_model(sample);
  const std::vector<std::filesystem::path> images = calibration_images(std::nullopt, 0);
  const std::vector<LabelledInputs> inputs = make_input_sets(model.graph, images, 0, 0);
  const OutputSets reference = run_on_input_sets(model.graph, inputs);
  std::size_t nearest = 0;
  std::vector<double> means;
  for (std::size_t i = 0; i < reference.size(); ++i) {
    means.push_back(mean_logit(reference[i].at(0)));
    if (std::abs(means[i]) < std::abs(means[nearest])) nearest = i;
  }
  const double shift = -means[nearest] - std::copysign(0.5, means[nearest]);

  const Node& last = model.graph.nodes.at(static_cast<std::size_t>(model.graph.producer(model.graph.outputs.at(0))));
  ASSERT_EQ(last.op, op::Conv);
  ASSERT_EQ(last.inputs.size(), 3u);
  ASSERT_TRUE(model.graph.is_constant(last.inputs[2]));
  for (float& bias : model.graph.value(last.inputs[2]).constant->values<float>()) bias += static_cast<float>(shift);
  const std::filesystem::path candidate = testing::fresh_test_folder("pipeline", "shifted") / "shifted.onnx";
  write_onnx(model.graph, candidate);

  std::size_t expected_changes = 0;
  for (double mean : means) expected_changes += (mean > 0) != (mean + shift > 0) ? 1 : 0;
  VerifyRequest request;
  request.reference = sample;
  request.candidate = candidate;
  request.random_inputs = 0;
  request.decision_gates.require_same_decisions = false;  // --allow-decision-changes
  request.min_sqnr_db = 0.0;  // the shift costs SQNR too; only the verdict gate is under test
  std::ostringstream report;
  const VerifyResult ungated = verify_models(request, report);
  EXPECT_TRUE(ungated.failure.empty()) << ungated.failure;
  EXPECT_EQ(ungated.decisions.changed_at_half, expected_changes);

  request.decision_gates.require_same_decisions = true;
  const VerifyResult gated = verify_models(request, report);
  EXPECT_NE(gated.failure.find(images[nearest].string() + ": verdict changed at 0.5"), std::string::npos)
      << gated.failure;
}

}  // namespace
}  // namespace edgeport
