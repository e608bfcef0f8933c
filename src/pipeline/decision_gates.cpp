#include "pipeline/decision_gates.h"

#include <iomanip>
#include <sstream>

namespace edgeport {

namespace {

std::string fixed(double value, int precision) {
  std::ostringstream text;
  text << std::fixed << std::setprecision(precision) << value;
  return text.str();
}

std::string probabilities(const DetectorDecision& decision) {
  return "p " + fixed(decision.reference_probability, 4) + " -> " + fixed(decision.candidate_probability, 4);
}

void check_detector(const DecisionGates& gates, const DecisionFigures& figures, std::vector<std::string>& missed) {
  for (const DetectorDecision& decision : figures.detector) {
    if (gates.max_probability_delta && !(decision.probability_delta <= *gates.max_probability_delta)) {
      missed.push_back(decision.label + ": |delta p| " + fixed(decision.probability_delta, 4) + " above " +
                       fixed(*gates.max_probability_delta, 4) + " (" + probabilities(decision) + ")");
    }
    if (!gates.require_same_decisions) continue;
    if (!decision.same_at_half) {
      missed.push_back(decision.label + ": verdict changed at 0.5 (" + probabilities(decision) + ")");
    }
    if (!decision.same_at_threshold.value_or(true)) {
      missed.push_back(decision.label + ": verdict changed at the threshold " + fixed(*figures.threshold, 4) + " (" +
                       probabilities(decision) + ")");
    }
  }
}

void check_classifier(const DecisionGates& gates, const DecisionFigures& figures, std::vector<std::string>& missed) {
  if (!gates.min_top1_agreement || figures.top1_agreement >= *gates.min_top1_agreement) return;
  std::string disagreeing;
  for (const ClassifierDecision& decision : figures.classifier) {
    if (decision.reference_top1 == decision.candidate_top1) continue;
    disagreeing += (disagreeing.empty() ? "" : ", ") + decision.label + " (" + std::to_string(decision.reference_top1) +
                   " -> " + std::to_string(decision.candidate_top1) + ")";
  }
  missed.push_back("top-1 agreement " + fixed(figures.top1_agreement, 4) + " below " +
                   fixed(*gates.min_top1_agreement, 4) + "; top-1 changed on " + disagreeing);
}

}  // namespace

std::vector<std::string> missed_decision_gates(const DecisionGates& gates, const DecisionFigures& figures) {
  std::vector<std::string> missed;
  if (figures.kind == DecisionKind::Detector) check_detector(gates, figures, missed);
  if (figures.kind == DecisionKind::Classifier) check_classifier(gates, figures, missed);
  return missed;
}

}  // namespace edgeport
