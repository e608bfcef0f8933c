#pragma once

#include <optional>
#include <string>
#include <vector>

#include "pipeline/decision_metrics.h"

namespace edgeport {

// Bounds on the decision figures, shared by export and verify. Each applies
// only where its figure exists: the first two to detectors, the last to
// classifiers.
struct DecisionGates {
  std::optional<double> max_probability_delta;  // --max-prob-delta
  bool require_same_decisions = false;          // at 0.5, and at --threshold when given
  std::optional<double> min_top1_agreement;     // --min-top1-agreement
};

// Every gate the figures miss, each naming the input and the figure, e.g.
// "chelsea_blurred.png: verdict changed at 0.5 (p 0.5210 -> 0.4987)".
std::vector<std::string> missed_decision_gates(const DecisionGates& gates, const DecisionFigures& figures);

}  // namespace edgeport
