#include "pipeline/verify.h"

#include <sstream>

namespace edgeport {

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
