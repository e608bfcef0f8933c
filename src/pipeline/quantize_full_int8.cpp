#include "pipeline/quantize_full_int8.h"

#include <iomanip>

#include "core/error.h"
#include "core/file_io.h"
#include "eqm/eqm_container.h"
#include "passes/passes.h"

namespace edgeport {
namespace {

std::vector<LabelledInputs> calibration_sets(const QuantizeRequest& request, const Graph& graph) {
  if (request.calibration_dir || takes_images(graph)) {
    return make_input_sets(graph, calibration_images(request.calibration_dir, 0), 0, 0);
  }
  return {};
}

void print_report(const FullInt8Outcome& outcome, std::ostream& out) {
  const StaticQuantization& q = outcome.quantization;
  out << "full int8: " << q.activations.size() << " activations int8 per tensor (calibration "
      << to_string(q.config.method) << " on " << outcome.calibration_sets
      << " input sets), weights int8 symmetric per channel, biases int32";
  if (!q.exact_weights.empty()) {
    out << "; exact (integer kernel times a power of two):";
    for (const std::string& name : q.exact_weights) out << " " << name;
  }
  out << "\n";
  for (const auto& [name, params] : q.activations) {
    const double lo = params.scale * (-128.0 - params.zero_point);
    const double hi = params.scale * (127.0 - params.zero_point);
    out << "  " << std::left << std::setw(32) << name << " scale " << std::setprecision(6) << params.scale
        << " zero point " << params.zero_point << " range [" << lo << ", " << hi << "]\n";
  }
  out << "model output against float: " << format_comparison(outcome.model.overall) << "\n";
  const std::string decisions = format_decisions(outcome.decisions);
  if (!decisions.empty()) out << "decisions: " << decisions << "\n";
  out << format_activation_attribution(outcome.attribution, outcome.model.overall.sqnr_db);
}

}  // namespace

Graph static_quantization_source(const Graph& folded) {
  Graph graph = folded;
  if (merge_linear_convs(graph) > 0) graph.compact();
  return graph;
}

FullInt8Outcome quantize_full_int8(const QuantizeRequest& request, const StaticQuantConfig& config, std::ostream& out) {
  if (!request.dry_run && !request.output) throw Error("quantize needs --output FILE.eqm (or --dry-run)");
  if (request.dry_run && request.output) throw Error("--dry-run writes no container; drop --output");
  if (request.report || request.report_json) {
    throw Error("--quantization int8 prints its report; --report and --report-json are for the weight quantizer");
  }
  if (request.output) check_output_file(*request.output);
  config.validate();
  LoadOptions load = request.load;
  load.fold = true;
  const LoadedModel float_model = load_model(request.model, load);
  std::vector<LabelledInputs> calibration = calibration_sets(request, float_model.graph);
  std::vector<LabelledInputs> inputs = calibration;
  if (!request.inputs.empty() || request.random_inputs > 0 || inputs.empty()) {
    for (LabelledInputs& set :
         make_input_sets(float_model.graph, request.inputs, request.random_inputs, request.seed)) {
      inputs.push_back(std::move(set));
    }
  }
  if (calibration.empty()) calibration = inputs;
  std::vector<std::vector<Tensor>> sets;
  for (const LabelledInputs& set : calibration) sets.push_back(set.tensors);
  FullInt8Outcome outcome{quantize_static(static_quantization_source(float_model.graph), sets, config), {}, {}, sets.size(), {}};
  const OutputSets reference = run_on_input_sets(float_model.graph, inputs);
  const OutputSets candidate = run_on_input_sets(outcome.quantization.graph, inputs);
  outcome.model = compare_output_sets(inputs, reference, candidate);
  outcome.decisions = decision_figures(decision_kind(float_model.graph), inputs, reference, candidate, std::nullopt);
  outcome.attribution = attribute_activation_errors(outcome.quantization.graph, inputs, reference);
  print_report(outcome, out);
  if (request.output) {
    write_container(outcome.quantization.graph, *request.output);
    out << "wrote " << request.output->string() << "\n";
  }
  return outcome;
}

}  // namespace edgeport
