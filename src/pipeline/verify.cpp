#include "pipeline/verify.h"

#include <cmath>
#include <iomanip>
#include <sstream>

#include "core/error.h"
#include "pipeline/inputs.h"
#include "pipeline/layout_adapter.h"
#include "runtime/session.h"

namespace edgeport {

std::vector<LabelledInputs> make_input_sets(const Graph& graph, const std::vector<std::filesystem::path>& files,
                                            int random_inputs, std::uint64_t seed) {
  if (graph.inputs.size() != 1) {
    throw Error("models with " + std::to_string(graph.inputs.size()) + " inputs are not supported here");
  }
  std::vector<LabelledInputs> sets;
  for (int i = 0; i < random_inputs; ++i) {
    const std::uint64_t input_seed = seed + static_cast<std::uint64_t>(i);
    sets.push_back({"random seed " + std::to_string(input_seed),
                    {seeded_random_input(graph.value(graph.inputs.front()).shape, input_seed)}});
  }
  for (const auto& file : files) sets.push_back({file.string(), {load_input(file, graph)}});
  if (sets.empty()) throw Error("no inputs to compare on");
  return sets;
}

ModelLevelComparison compare_graphs(const Graph& reference, const Graph& candidate,
                                    const std::vector<LabelledInputs>& inputs, const RunOptions& options) {
  const Session reference_session(reference, options);
  const Session candidate_session(candidate, options);
  const Shape& candidate_input = candidate.value(candidate.inputs.at(0)).shape;
  const Shape& reference_output = reference.value(reference.outputs.at(0)).shape;
  ModelLevelComparison result;
  ComparisonAccumulator overall;
  for (const LabelledInputs& set : inputs) {
    const Tensor expected = reference_session.run(set.tensors).front();
    const Tensor actual = adapt_layout(
        candidate_session.run({adapt_layout(set.tensors.front(), candidate_input)}).front(), reference_output);
    result.per_input.emplace_back(set.label, compare_outputs(expected, actual));
    overall.add(expected, actual);
  }
  result.overall = overall.result();
  return result;
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

VerifyResult verify_models(const VerifyRequest& request, std::ostream& out) {
  // --arch describes whichever of the two is a checkpoint.
  auto options_for = [&request](const std::filesystem::path& path) {
    LoadOptions options = request.load;
    if (detect_format(path) != ModelFormat::PyTorch) options.arch.clear();
    return options;
  };
  const LoadedModel reference = load_model(request.reference, options_for(request.reference));
  const LoadedModel candidate = load_model(request.candidate, options_for(request.candidate));
  const std::vector<LabelledInputs> sets =
      make_input_sets(reference.graph, request.inputs, request.random_inputs, request.seed);
  VerifyResult result;
  result.comparison = compare_graphs(reference.graph, candidate.graph, sets, RunOptions{request.hybrid});
  out << "reference: " << request.reference.string() << " (" << to_string(reference.format) << ")\n";
  out << "candidate: " << request.candidate.string() << " (" << to_string(candidate.format) << ")\n";
  for (const auto& [label, comparison] : result.comparison.per_input) {
    out << "  " << label << ": " << format_comparison(comparison) << "\n";
  }
  const ModelComparison& overall = result.comparison.overall;
  out << "overall: " << format_comparison(overall) << "\n";
  std::ostringstream failure;
  if (request.tolerance && !(overall.max_abs_diff <= *request.tolerance)) {
    failure << "max abs diff " << overall.max_abs_diff << " exceeds the tolerance " << *request.tolerance;
  }
  if (request.relative_tolerance && !(overall.relative_max_diff() <= *request.relative_tolerance)) {
    failure << (failure.str().empty() ? "" : "; ") << "max abs diff is " << overall.relative_max_diff()
            << " of max|reference|, above the relative tolerance " << *request.relative_tolerance;
  }
  if (request.min_sqnr_db && !(overall.sqnr_db >= *request.min_sqnr_db)) {
    failure << (failure.str().empty() ? "" : "; ") << "SQNR " << overall.sqnr_db << " dB is below "
            << *request.min_sqnr_db << " dB";
  }
  result.failure = failure.str();
  out << (result.failure.empty() ? "verdict: pass\n" : "verdict: FAIL (" + result.failure + ")\n");
  return result;
}

}  // namespace edgeport
