#include "pipeline/quantize_model.h"

#include "core/error.h"
#include "core/file_io.h"
#include "eqm/eqm_container.h"
#include "pipeline/calibration_statistics.h"
#include "pipeline/compare_models.h"
#include "pipeline/layer_attribution.h"
#include "pipeline/watched_run.h"
#include "quant/report.h"

namespace edgeport {

namespace {

constexpr std::size_t kShortReportRows = 5;

}  // namespace

std::optional<CalibrationStatistics> statistics_for(const Graph& graph, const QuantConfig& config,
                                                    const std::vector<LabelledInputs>& calibration) {
  if (!config.needs_statistics()) return std::nullopt;
  if (calibration.empty()) {
    throw Error(config.statistics_option() + " needs calibration inputs (--calibration-dir or --input)");
  }
  return collect_calibration_statistics(graph, calibration);
}

FloatRun run_float_model(const Graph& graph, const QuantConfig& config, const std::vector<LabelledInputs>& inputs) {
  if (!config.needs_statistics()) return {run_on_input_sets(graph, inputs), std::nullopt};
  if (inputs.empty()) {
    throw Error(config.statistics_option() + " needs calibration inputs (--calibration-dir or --input)");
  }
  CalibrationStatisticsCollector collector(graph);
  FloatRun run;
  run.outputs = run_watching(graph, collector.watched(), inputs,
                             [&](std::size_t, std::span<const Tensor> layer_inputs) { collector.add(layer_inputs); });
  run.statistics = collector.finish();
  return run;
}

QuantizeOutcome quantize_with_statistics(const Graph& float_graph, const QuantConfig& config,
                                         const std::vector<LabelledInputs>& inputs,
                                         std::optional<CalibrationStatistics> statistics,
                                         const OutputSets& float_outputs) {
  config.validate();
  QuantizeOutcome outcome;
  outcome.statistics = std::move(statistics);
  outcome.result = quantize_graph(float_graph, config, outcome.statistics ? &*outcome.statistics : nullptr);
  outcome.outputs = run_on_input_sets(outcome.result.graph, inputs);
  outcome.model = compare_output_sets(inputs, float_outputs, outcome.outputs);
  return outcome;
}

QuantizeOutcome quantize_loaded(const Graph& float_graph, const QuantConfig& config,
                                const std::vector<LabelledInputs>& inputs,
                                const std::vector<LabelledInputs>& calibration) {
  config.validate();
  if (calibration.empty()) {
    FloatRun run = run_float_model(float_graph, config, inputs);
    return quantize_with_statistics(float_graph, config, inputs, std::move(run.statistics), run.outputs);
  }
  std::optional<CalibrationStatistics> statistics = statistics_for(float_graph, config, calibration);
  const OutputSets float_outputs = run_on_input_sets(float_graph, inputs);
  return quantize_with_statistics(float_graph, config, inputs, std::move(statistics), float_outputs);
}

QuantizeOutcome quantize_model(const QuantizeRequest& request, std::ostream& out) {
  if (!request.dry_run && !request.output) throw Error("quantize needs --output FILE.eqm (or --dry-run)");
  if (request.dry_run && request.output) throw Error("--dry-run writes no container; drop --output");
  request.config.validate();
  for (const auto& output : {request.output, request.report, request.report_json}) {
    if (output) check_output_file(*output);
  }
  LoadOptions load = request.load;
  load.fold = true;
  const LoadedModel float_model = load_model(request.model, load);
  std::vector<LabelledInputs> calibration;
  if (request.calibration_dir) {
    const std::vector<std::filesystem::path> images = calibration_images(request.calibration_dir, 0);
    calibration = make_input_sets(float_model.graph, images, 0, 0);
  }
  std::vector<LabelledInputs> inputs = calibration;
  if (!request.inputs.empty() || request.random_inputs > 0 || inputs.empty()) {
    for (LabelledInputs& set :
         make_input_sets(float_model.graph, request.inputs, request.random_inputs, request.seed)) {
      inputs.push_back(std::move(set));
    }
  }
  QuantizeOutcome outcome = quantize_loaded(float_model.graph, request.config, inputs, calibration);
  const LayerAttribution attribution = attribute_layer_errors(float_model.graph, outcome.result.graph, inputs);
  // Deep models have hundreds of report lines; the terminal gets the worst
  // few and the files the rest.
  out << format_report_summary(outcome.result, outcome.model)
      << format_layer_attribution(attribution, kShortReportRows);
  if (request.report) {
    write_file_atomically(*request.report, format_report(outcome.result, outcome.model) +
                                               format_layer_attribution(attribution));
    out << "wrote the full report to " << request.report->string() << "\n";
  }
  if (request.report_json) {
    nlohmann::json document = report_json(outcome.result, outcome.model);
    document["layer_attribution"] = layer_attribution_json(attribution);
    write_file_atomically(*request.report_json, document.dump(2) + "\n");
    out << "wrote the full report as JSON to " << request.report_json->string() << "\n";
  }
  if (!request.report && !request.report_json) {
    out << "the full per-tensor report: --report FILE (text) or --report-json FILE\n";
  }
  if (request.output) {
    write_container(outcome.result.graph, *request.output);
    out << "wrote " << request.output->string() << "\n";
  }
  return outcome;
}

}  // namespace edgeport
