#include "pipeline/verify.h"

#include <cmath>
#include <iomanip>
#include <sstream>

#include "core/error.h"
#include "pipeline/inputs.h"

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

std::string format_comparison(const ModelComparison& comparison) {
  std::ostringstream text;
  text << std::setprecision(4) << "max abs diff " << std::scientific << comparison.max_abs_diff << ", mean abs diff "
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
  const Shape& reference_shape = reference.graph.value(reference.graph.inputs.at(0)).shape;
  const Shape& candidate_shape = candidate.graph.value(candidate.graph.inputs.at(0)).shape;
  if (reference_shape != candidate_shape) {
    throw Error(request.candidate.string() + ": takes input " + shape_to_string(candidate_shape) + ", " +
                request.reference.string() + " takes " + shape_to_string(reference_shape));
  }
  const std::vector<LabelledInputs> sets =
      make_input_sets(reference.graph, request.inputs, request.random_inputs, request.seed);
  VerifyResult result;
  result.comparison = compare_models(reference.graph, candidate.graph, sets, RunOptions{request.hybrid});
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
  if (request.min_sqnr_db && !(overall.sqnr_db >= *request.min_sqnr_db)) {
    failure << (failure.str().empty() ? "" : "; ") << "SQNR " << overall.sqnr_db << " dB is below "
            << *request.min_sqnr_db << " dB";
  }
  result.failure = failure.str();
  out << (result.failure.empty() ? "verdict: pass\n" : "verdict: FAIL (" + result.failure + ")\n");
  return result;
}

}  // namespace edgeport
