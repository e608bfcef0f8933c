#pragma once

// The figures a model's user acts on, reference against candidate: a
// detector's image probability and verdict, a classifier's top-1 and top-5.
// SQNR says how far the outputs moved; these say whether that mattered.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/graph.h"
#include "pipeline/compare_models.h"

namespace edgeport {

// Which decision figures apply to a model's outputs: a patch detector's
// (is_patch_detector), a classifier's (resnet18 or mobilenet_v2 with a [1,N]
// output, N > 1), or none.
enum class DecisionKind { None, Detector, Classifier };
DecisionKind decision_kind(const Graph& model);

struct DetectorDecision {
  std::string label;
  // sigmoid(mean patch logit), in double: the score the user thresholds.
  double reference_probability = 0;
  double candidate_probability = 0;
  // The mean patch logits themselves: a detector with logits of 1e3 and more
  // saturates the probability, and only the logit shows the margin left.
  double reference_logit = 0;
  double candidate_logit = 0;
  double probability_delta = 0;  // |candidate - reference|
  bool same_at_half = true;      // both above 0.5 ("fake") or neither
  std::optional<bool> same_at_threshold;
};

struct ClassifierDecision {
  std::string label;
  std::int64_t reference_top1 = 0;
  std::int64_t candidate_top1 = 0;
  bool in_candidate_top5 = true;  // the reference's top-1 among the candidate's five best
};

struct DecisionFigures {
  DecisionKind kind = DecisionKind::None;
  std::optional<double> threshold;
  std::vector<DetectorDecision> detector;      // one per input, detectors only
  std::vector<ClassifierDecision> classifier;  // one per input, classifiers only
  // Detectors: the input whose verdict changed with the largest |delta p|,
  // else the one with the largest |delta p|.
  std::optional<std::size_t> worst;
  double max_probability_delta = 0;
  std::size_t changed_at_half = 0;
  std::size_t changed_at_threshold = 0;
  double top1_agreement = 1;  // fractions of the inputs
  double top5_agreement = 1;
};

// Decision figures from each input set's first output. An Error when an
// output holds no values or the counts of inputs and results differ.
DecisionFigures decision_figures(DecisionKind kind, const std::vector<LabelledInputs>& inputs,
                                 const OutputSets& reference, const OutputSets& candidate,
                                 std::optional<double> threshold);

// One line of the overall figures, e.g. "p max |delta| 0.0031 (worst ...),
// same verdict at 0.5 on 12/12"; empty for DecisionKind::None.
std::string format_decisions(const DecisionFigures& figures);

// The figures of input `index`, e.g. "p 0.9812 -> 0.9790 (fake, same)".
std::string format_input_decision(const DecisionFigures& figures, std::size_t index);

// Per-input and overall figures, with "summary": format_decisions; null for
// DecisionKind::None.
nlohmann::json decision_json(const DecisionFigures& figures);

}  // namespace edgeport
