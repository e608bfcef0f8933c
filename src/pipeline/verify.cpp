#include "pipeline/verify.h"

#include <sstream>

#include "core/error.h"
#include "pipeline/float_interface.h"
#include "pipeline/inputs.h"

namespace edgeport {

namespace {

// The given files, plus the calibration images of an image model when a
// directory is named or nothing else is given.
std::vector<std::filesystem::path> input_files(const VerifyRequest& request, const Graph& reference) {
  std::vector<std::filesystem::path> files = request.inputs;
  const bool use_calibration = request.calibration_dir || request.inputs.empty();
  if (use_calibration && takes_images(reference)) {
    const std::vector<std::filesystem::path> images =
        calibration_images(request.calibration_dir, request.calibration_count);
    files.insert(files.end(), images.begin(), images.end());
  } else if (request.calibration_dir) {
    throw Error(request.calibration_dir->string() + ": calibration images need a model taking [1,3,H,W], " +
                request.reference.string() + " takes " +
                shape_to_string(reference.value(reference.inputs.at(0)).shape));
  }
  return files;
}

std::string bounds_missed(const VerifyRequest& request, const ModelComparison& overall,
                          const DecisionFigures& decisions) {
  std::ostringstream failure;
  auto separate = [&failure] { return failure.tellp() > 0 ? "; " : ""; };
  if (request.tolerance && !(overall.max_abs_diff <= *request.tolerance)) {
    failure << "max abs diff " << overall.max_abs_diff << " exceeds the tolerance " << *request.tolerance;
  }
  if (request.relative_tolerance && !(overall.relative_max_diff() <= *request.relative_tolerance)) {
    failure << separate() << "max abs diff is " << overall.relative_max_diff()
            << " of max|reference|, above the relative tolerance " << *request.relative_tolerance;
  }
  if (request.min_sqnr_db && !(overall.sqnr_db >= *request.min_sqnr_db)) {
    failure << separate() << "SQNR " << overall.sqnr_db << " dB is below " << *request.min_sqnr_db << " dB";
  }
  for (const std::string& missed : missed_decision_gates(request.decision_gates, decisions)) {
    failure << separate() << missed;
  }
  return failure.str();
}

// Two models that agree on every verdict can still differ wildly in their
// outputs; without a figure bound, verify judges by this SQNR and says so.
constexpr double kDefaultMinSqnrDb = 30.0;

}  // namespace

VerifyResult verify_models(const VerifyRequest& given, std::ostream& out) {
  VerifyRequest request = given;
  const bool default_bound = !request.tolerance && !request.relative_tolerance && !request.min_sqnr_db;
  if (default_bound) request.min_sqnr_db = kDefaultMinSqnrDb;
  if (request.threshold && !(*request.threshold > 0.0 && *request.threshold < 1.0)) {
    throw Error("--threshold must lie between 0 and 1, got " + std::to_string(*request.threshold));
  }
  // --arch describes whichever of the two is a checkpoint.
  auto options_for = [&request](const std::filesystem::path& path) {
    LoadOptions options = request.load;
    if (detect_format(path) != ModelFormat::PyTorch) options.arch.clear();
    return options;
  };
  // Files with integer ends take and return real values here, through their own parameters.
  LoadedModel reference = load_model(request.reference, options_for(request.reference));
  reference.graph = with_float_interface(reference.graph);
  LoadedModel candidate = load_model(request.candidate, options_for(request.candidate));
  candidate.graph = with_float_interface(candidate.graph);
  if (reference.graph.outputs.size() != candidate.graph.outputs.size()) {
    throw Error(request.candidate.string() + ": " + std::to_string(candidate.graph.outputs.size()) +
                " outputs, the reference has " + std::to_string(reference.graph.outputs.size()));
  }
  const std::vector<LabelledInputs> sets = make_input_sets(reference.graph, input_files(request, reference.graph),
                                                           request.random_inputs, request.seed);
  const RunOptions options{.hybrid = request.hybrid};
  const OutputSets expected = run_on_input_sets(reference.graph, sets, options);
  const OutputSets actual = run_on_input_sets(candidate.graph, inputs_for(candidate.graph, reference.graph, sets),
                                              RunOptions{.hybrid = request.hybrid, .integer = request.integer});
  VerifyResult result;
  result.comparison = compare_output_sets(sets, expected, actual);
  result.decisions = decision_figures(decision_kind(reference.graph), sets, expected, actual, request.threshold);
  out << "reference: " << request.reference.string() << " (" << to_string(reference.format) << ")\n";
  out << "candidate: " << request.candidate.string() << " (" << to_string(candidate.format) << ")\n";
  for (std::size_t i = 0; i < sets.size(); ++i) {
    const std::string decision = format_input_decision(result.decisions, i);
    out << "  " << sets[i].label << ": " << format_comparison(result.comparison.per_input[i].second)
        << (decision.empty() ? "" : "; " + decision) << "\n";
  }
  out << "overall: " << format_comparison(result.comparison.overall) << "\n";
  if (result.decisions.kind != DecisionKind::None) out << "decisions: " << format_decisions(result.decisions) << "\n";
  result.failure = bounds_missed(request, result.comparison.overall, result.decisions);
  if (!result.failure.empty()) {
    out << "verdict: FAIL (" << result.failure << ")\n";
  } else {
    out << "verdict: pass\n";
  }
  if (default_bound) {
    out << "bound: SQNR >= " << kDefaultMinSqnrDb
        << " dB, the default when none of --tolerance, --relative-tolerance, --min-sqnr is given\n";
  }
  return result;
}

}  // namespace edgeport
