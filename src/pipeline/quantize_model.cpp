#include "pipeline/quantize_model.h"

#include "core/error.h"
#include "core/file_io.h"
#include "eqm/eqm_container.h"
#include "pipeline/compare_models.h"
#include "quant/report.h"

namespace edgeport {

QuantizeOutcome quantize_loaded(LoadedModel float_model, const QuantConfig& config,
                                const std::vector<LabelledInputs>& inputs) {
  config.validate();
  QuantizeOutcome outcome;
  outcome.result = quantize_graph(float_model.graph, config);
  outcome.model = compare_models(float_model.graph, outcome.result.graph, inputs);
  outcome.float_model = std::move(float_model);
  return outcome;
}

QuantizeOutcome quantize_model(const QuantizeRequest& request, std::ostream& out) {
  if (!request.dry_run && !request.output) throw Error("quantize needs --output FILE.eqm (or --dry-run)");
  if (request.dry_run && request.output) throw Error("--dry-run writes no container; drop --output");
  request.config.validate();
  LoadOptions load = request.load;
  load.fold = true;
  LoadedModel float_model = load_model(request.model, load);
  const std::vector<LabelledInputs> inputs =
      make_input_sets(float_model.graph, request.inputs, request.random_inputs, request.seed);
  QuantizeOutcome outcome = quantize_loaded(std::move(float_model), request.config, inputs);
  const std::string text = format_report(outcome.result, outcome.model);
  out << text;
  if (request.report) write_file_atomically(*request.report, text);
  if (request.report_json) {
    write_file_atomically(*request.report_json, report_json(outcome.result, outcome.model).dump(2) + "\n");
  }
  if (request.output) {
    write_container(outcome.result.graph, *request.output);
    out << "wrote " << request.output->string() << "\n";
  }
  return outcome;
}

}  // namespace edgeport
