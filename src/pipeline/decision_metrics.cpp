#include "pipeline/decision_metrics.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iomanip>
#include <numeric>
#include <sstream>

#include "core/error.h"
#include "pipeline/detection.h"

namespace edgeport {

namespace {

bool is_classifier_architecture(const Graph& model) {
  auto architecture = model.metadata.find("architecture");
  if (architecture == model.metadata.end()) return false;
  return architecture->second.rfind("resnet18", 0) == 0 || architecture->second.rfind("mobilenet_v2", 0) == 0;
}

DetectionSummary image_score(const Tensor& logits) {
  return summarize_patch_logits(logits, Aggregation{Aggregation::Kind::Mean, 0});
}

bool verdict(double probability, double threshold) { return probability > threshold; }

// Class indices from the best score down; ties keep the lower index first.
std::vector<std::int64_t> ranking(const Tensor& scores, std::size_t keep) {
  std::span<const float> values = scores.values<float>();
  if (values.empty()) throw Error("the model produced an empty output");
  std::vector<std::int64_t> order(values.size());
  std::iota(order.begin(), order.end(), 0);
  keep = std::min(keep, order.size());
  std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(keep), order.end(),
                    [&values](std::int64_t a, std::int64_t b) {
                      return values[a] > values[b] || (values[a] == values[b] && a < b);
                    });
  order.resize(keep);
  return order;
}

std::string file_name(const std::string& label) {
  const std::string name = std::filesystem::path(label).filename().string();
  return name.empty() ? label : name;
}

std::string fixed(double value, int precision) {
  std::ostringstream text;
  text << std::fixed << std::setprecision(precision) << value;
  return text.str();
}

// Three significant digits: float files move probabilities by 1e-7, which a
// fixed four decimals would print as 0.
std::string significant(double value) {
  std::ostringstream text;
  text << std::setprecision(3) << value;
  return text.str();
}

void add_detector(DecisionFigures& figures, const std::string& label, const Tensor& reference,
                  const Tensor& candidate) {
  DetectorDecision decision;
  decision.label = label;
  const DetectionSummary expected = image_score(reference);
  const DetectionSummary actual = image_score(candidate);
  decision.reference_probability = expected.fake_probability;
  decision.candidate_probability = actual.fake_probability;
  decision.reference_logit = expected.aggregated_logit;
  decision.candidate_logit = actual.aggregated_logit;
  decision.probability_delta = std::abs(decision.candidate_probability - decision.reference_probability);
  decision.same_at_half = verdict(decision.reference_probability, 0.5) == verdict(decision.candidate_probability, 0.5);
  if (figures.threshold) {
    decision.same_at_threshold = verdict(decision.reference_probability, *figures.threshold) ==
                                 verdict(decision.candidate_probability, *figures.threshold);
  }
  figures.detector.push_back(decision);
}

bool changed(const DetectorDecision& decision) {
  return !decision.same_at_half || !decision.same_at_threshold.value_or(true);
}

void summarise_detector(DecisionFigures& figures) {
  for (std::size_t i = 0; i < figures.detector.size(); ++i) {
    const DetectorDecision& decision = figures.detector[i];
    figures.max_probability_delta = std::max(figures.max_probability_delta, decision.probability_delta);
    if (!decision.same_at_half) ++figures.changed_at_half;
    if (!decision.same_at_threshold.value_or(true)) ++figures.changed_at_threshold;
    if (!figures.worst) {
      figures.worst = i;
      continue;
    }
    const DetectorDecision& worst = figures.detector[*figures.worst];
    const bool worse = changed(decision) != changed(worst) ? changed(decision)
                                                           : decision.probability_delta > worst.probability_delta;
    if (worse) figures.worst = i;
  }
}

void add_classifier(DecisionFigures& figures, const std::string& label, const Tensor& reference,
                    const Tensor& candidate) {
  const std::int64_t expected = ranking(reference, 1).front();
  const std::vector<std::int64_t> top5 = ranking(candidate, 5);
  figures.classifier.push_back(
      {label, expected, top5.front(), std::find(top5.begin(), top5.end(), expected) != top5.end()});
}

void summarise_classifier(DecisionFigures& figures) {
  if (figures.classifier.empty()) return;
  auto fraction = [&figures](auto holds) {
    return static_cast<double>(std::count_if(figures.classifier.begin(), figures.classifier.end(), holds)) /
           static_cast<double>(figures.classifier.size());
  };
  figures.top1_agreement = fraction([](const ClassifierDecision& d) { return d.reference_top1 == d.candidate_top1; });
  figures.top5_agreement = fraction([](const ClassifierDecision& d) { return d.in_candidate_top5; });
}

}  // namespace

DecisionKind decision_kind(const Graph& model) {
  if (is_patch_detector(model)) return DecisionKind::Detector;
  if (model.outputs.empty() || !is_classifier_architecture(model)) return DecisionKind::None;
  const Shape& output = model.value(model.outputs.front()).shape;
  return output.size() == 2 && output[0] == 1 && output[1] > 1 ? DecisionKind::Classifier : DecisionKind::None;
}

DecisionFigures decision_figures(DecisionKind kind, const std::vector<LabelledInputs>& inputs,
                                 const OutputSets& reference, const OutputSets& candidate,
                                 std::optional<double> threshold) {
  if (reference.size() != inputs.size() || candidate.size() != inputs.size()) {
    throw Error("cannot compare decisions: " + std::to_string(inputs.size()) + " input sets, " +
                std::to_string(reference.size()) + " reference and " + std::to_string(candidate.size()) +
                " candidate results");
  }
  DecisionFigures figures;
  figures.kind = kind;
  figures.threshold = threshold;
  if (kind == DecisionKind::None) return figures;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const Tensor& expected = reference[i].at(0);
    const Tensor& actual = candidate[i].at(0);
    if (kind == DecisionKind::Detector) {
      add_detector(figures, inputs[i].label, expected, actual);
    } else {
      add_classifier(figures, inputs[i].label, expected, actual);
    }
  }
  if (kind == DecisionKind::Detector) {
    summarise_detector(figures);
  } else {
    summarise_classifier(figures);
  }
  return figures;
}

std::string format_input_decision(const DecisionFigures& figures, std::size_t index) {
  if (figures.kind == DecisionKind::Detector) {
    const DetectorDecision& decision = figures.detector.at(index);
    std::string text = "p " + fixed(decision.reference_probability, 4) + " -> " +
                       fixed(decision.candidate_probability, 4) + " (" +
                       (verdict(decision.reference_probability, 0.5) ? "fake" : "real") + ", " +
                       (decision.same_at_half ? "same" : "CHANGED") + " at 0.5";
    if (figures.threshold) {
      text += std::string(", ") + (*decision.same_at_threshold ? "same" : "CHANGED") + " at " +
              fixed(*figures.threshold, 3);
    }
    return text + ")";
  }
  if (figures.kind == DecisionKind::Classifier) {
    const ClassifierDecision& decision = figures.classifier.at(index);
    return "top-1 " + std::to_string(decision.reference_top1) + " -> " + std::to_string(decision.candidate_top1) +
           (decision.in_candidate_top5 ? "" : " (not in the candidate's top 5)");
  }
  return "";
}

std::string format_decisions(const DecisionFigures& figures) {
  if (figures.kind == DecisionKind::Detector) {
    const std::size_t total = figures.detector.size();
    std::string text = "p max |delta| " + significant(figures.max_probability_delta);
    if (figures.worst) {
      const DetectorDecision& worst = figures.detector[*figures.worst];
      text += " (worst " + file_name(worst.label) + ": " + fixed(worst.reference_probability, 4) + " -> " +
              fixed(worst.candidate_probability, 4) + ", mean logit " + significant(worst.reference_logit) + " -> " +
              significant(worst.candidate_logit) + ")";
    }
    text += ", same verdict at 0.5 on " + std::to_string(total - figures.changed_at_half) + "/" +
            std::to_string(total);
    if (figures.threshold) {
      text += ", at " + fixed(*figures.threshold, 3) + " on " +
              std::to_string(total - figures.changed_at_threshold) + "/" + std::to_string(total);
    }
    return text;
  }
  if (figures.kind == DecisionKind::Classifier) {
    return "top-1 agreement " + fixed(figures.top1_agreement, 4) + ", top-5 agreement " +
           fixed(figures.top5_agreement, 4) + " over " + std::to_string(figures.classifier.size()) + " inputs";
  }
  return "";
}

nlohmann::json decision_json(const DecisionFigures& figures) {
  if (figures.kind == DecisionKind::None) return nullptr;
  nlohmann::json per_input = nlohmann::json::array();
  nlohmann::json result;
  if (figures.kind == DecisionKind::Detector) {
    for (const DetectorDecision& decision : figures.detector) {
      nlohmann::json entry = {{"input", decision.label},
                              {"reference_probability", decision.reference_probability},
                              {"candidate_probability", decision.candidate_probability},
                              {"reference_mean_logit", decision.reference_logit},
                              {"candidate_mean_logit", decision.candidate_logit},
                              {"probability_delta", decision.probability_delta},
                              {"same_decision_at_0.5", decision.same_at_half}};
      if (decision.same_at_threshold) entry["same_decision_at_threshold"] = *decision.same_at_threshold;
      per_input.push_back(entry);
    }
    result = {{"kind", "detector"},
              {"aggregation", "sigmoid(mean patch logit)"},
              {"threshold", figures.threshold ? nlohmann::json(*figures.threshold) : nlohmann::json(nullptr)},
              {"max_probability_delta", figures.max_probability_delta},
              {"decisions_changed_at_0.5", figures.changed_at_half},
              {"decisions_changed_at_threshold", figures.threshold ? nlohmann::json(figures.changed_at_threshold)
                                                                   : nlohmann::json(nullptr)},
              {"worst_input", figures.worst ? nlohmann::json(figures.detector[*figures.worst].label)
                                            : nlohmann::json(nullptr)}};
  } else {
    for (const ClassifierDecision& decision : figures.classifier) {
      per_input.push_back({{"input", decision.label},
                           {"reference_top1", decision.reference_top1},
                           {"candidate_top1", decision.candidate_top1},
                           {"reference_top1_in_candidate_top5", decision.in_candidate_top5}});
    }
    result = {{"kind", "classifier"},
              {"top1_agreement", figures.top1_agreement},
              {"top5_agreement", figures.top5_agreement}};
  }
  result["per_input"] = per_input;
  result["summary"] = format_decisions(figures);
  return result;
}

}  // namespace edgeport
