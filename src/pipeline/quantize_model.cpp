#include "pipeline/quantize_model.h"

#include "core/error.h"
#include "core/file_io.h"
#include "eqm/eqm_container.h"
#include "pipeline/calibration_statistics.h"
#include "pipeline/compare_models.h"
#include "pipeline/layer_attribution.h"
#include "quant/report.h"

namespace edgeport {

std::optional<CalibrationStatistics> statistics_for(const Graph& graph, const QuantConfig& config,
                                                    const std::vector<LabelledInputs>& calibration) {
  if (!config.needs_statistics()) return std::nullopt;
  if (calibration.empty()) {
    throw Error(config.statistics_option() + " needs calibration inputs (--calibration-dir or --input)");
  }
  return collect_calibration_statistics(graph, calibration);
}

QuantizeOutcome quantize_with_statistics(LoadedModel float_model, const QuantConfig& config,
                                         const std::vector<LabelledInputs>& inputs,
                                         std::optional<CalibrationStatistics> statistics) {
  config.validate();
  QuantizeOutcome outcome;
  outcome.statistics = std::move(statistics);
  outcome.result = quantize_graph(float_model.graph, config, outcome.statistics ? &*outcome.statistics : nullptr);
  outcome.model = compare_models(float_model.graph, outcome.result.graph, inputs);
  outcome.float_model = std::move(float_model);
  return outcome;
}

QuantizeOutcome quantize_loaded(LoadedModel float_model, const QuantConfig& config,
                                const std::vector<LabelledInputs>& inputs,
                                const std::vector<LabelledInputs>& calibration) {
  config.validate();
  std::optional<CalibrationStatistics> statistics =
      statistics_for(float_model.graph, config, calibration.empty() ? inputs : calibration);
  return quantize_with_statistics(std::move(float_model), config, inputs, std::move(statistics));
}

QuantizeOutcome quantize_model(const QuantizeRequest& request, std::ostream& out) {
  if (!request.dry_run && !request.output) throw Error("quantize needs --output FILE.eqm (or --dry-run)");
  if (request.dry_run && request.output) throw Error("--dry-run writes no container; drop --output");
  request.config.validate();
  LoadOptions load = request.load;
  load.fold = true;
  LoadedModel float_model = load_model(request.model, load);
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
  QuantizeOutcome outcome = quantize_loaded(std::move(float_model), request.config, inputs, calibration);
  const LayerAttribution attribution = attribute_layer_errors(
      outcome.float_model.graph, request.config, inputs, outcome.statistics ? &*outcome.statistics : nullptr);
  const std::string text = format_report(outcome.result, outcome.model) + format_layer_attribution(attribution);
  out << text;
  if (request.report) write_file_atomically(*request.report, text);
  if (request.report_json) {
    nlohmann::json document = report_json(outcome.result, outcome.model);
    document["layer_attribution"] = layer_attribution_json(attribution);
    write_file_atomically(*request.report_json, document.dump(2) + "\n");
  }
  if (request.output) {
    write_container(outcome.result.graph, *request.output);
    out << "wrote " << request.output->string() << "\n";
  }
  return outcome;
}

}  // namespace edgeport
