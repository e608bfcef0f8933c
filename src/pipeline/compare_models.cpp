#include "pipeline/compare_models.h"

#include <cmath>
#include <iomanip>
#include <sstream>

#include "core/error.h"
#include "core/progress.h"
#include "pipeline/layout_adapter.h"
#include "runtime/session.h"

namespace edgeport {

std::vector<Tensor> interface_inputs(const Graph& graph, const LabelledInputs& set) {
  if (set.tensors.size() != graph.inputs.size()) {
    throw Error(set.label + ": " + std::to_string(set.tensors.size()) + " inputs for a model with " +
                std::to_string(graph.inputs.size()));
  }
  std::vector<Tensor> adapted;
  for (std::size_t i = 0; i < set.tensors.size(); ++i) {
    adapted.push_back(adapt_layout(set.tensors[i], graph.value(graph.inputs[i]).shape));
  }
  return adapted;
}

OutputSets run_on_input_sets(const Graph& graph, const std::vector<LabelledInputs>& inputs,
                             const RunOptions& options) {
  const Session session(graph, options);
  ProgressScope progress("inputs", inputs.size());
  OutputSets outputs;
  for (const LabelledInputs& set : inputs) {
    outputs.push_back(session.run(interface_inputs(graph, set)));
    progress.step();
  }
  return outputs;
}

ModelLevelComparison compare_output_sets(const std::vector<LabelledInputs>& inputs, const OutputSets& reference,
                                         const OutputSets& candidate) {
  if (reference.size() != inputs.size() || candidate.size() != inputs.size()) {
    throw Error("cannot compare: " + std::to_string(inputs.size()) + " input sets, " +
                std::to_string(reference.size()) + " reference and " + std::to_string(candidate.size()) +
                " candidate results");
  }
  ModelLevelComparison comparison;
  ComparisonAccumulator overall;
  for (std::size_t set = 0; set < inputs.size(); ++set) {
    const std::vector<Tensor>& expected = reference[set];
    const std::vector<Tensor>& actual = candidate[set];
    if (expected.size() != actual.size()) {
      throw Error("cannot compare a model with " + std::to_string(expected.size()) + " outputs to one with " +
                  std::to_string(actual.size()));
    }
    ComparisonAccumulator this_set;
    for (std::size_t i = 0; i < expected.size(); ++i) {
      const Tensor adapted = adapt_layout(actual[i], expected[i].shape());
      this_set.add(expected[i], adapted);
      overall.add(expected[i], adapted);
    }
    comparison.per_input.emplace_back(inputs[set].label, this_set.result());
  }
  comparison.overall = overall.result();
  return comparison;
}

ModelLevelComparison compare_models(const Graph& reference, const Graph& candidate,
                                    const std::vector<LabelledInputs>& inputs, const RunOptions& options) {
  if (reference.outputs.size() != candidate.outputs.size()) {
    throw Error("cannot compare a model with " + std::to_string(reference.outputs.size()) + " outputs to one with " +
                std::to_string(candidate.outputs.size()));
  }
  return compare_output_sets(inputs, run_on_input_sets(reference, inputs, options),
                             run_on_input_sets(candidate, inputs, options));
}

std::string format_comparison(const ModelComparison& comparison) {
  std::ostringstream text;
  text << std::setprecision(4) << "max abs diff " << std::scientific << comparison.max_abs_diff << " ("
       << comparison.relative_max_diff() << " of max|reference| " << comparison.reference_max_abs << "), mean abs diff "
       << comparison.mean_abs_diff << std::defaultfloat << ", SQNR "
       << (std::isinf(comparison.sqnr_db) ? std::string("inf") : [&] {
            std::ostringstream db;
            db << std::fixed << std::setprecision(2) << comparison.sqnr_db;
            return db.str();
          }())
       << " dB, cosine " << std::fixed << std::setprecision(6) << comparison.cosine_similarity;
  return text.str();
}

}  // namespace edgeport
