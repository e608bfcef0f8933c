#include "pipeline/export_stages.h"

#include <algorithm>
#include <optional>

#include "core/file_io.h"
#include "core/heap_release.h"
#include "core/ops/conv.h"
#include "core/ops/linear.h"
#include "core/progress.h"
#include "passes/passes.h"
#include "pipeline/activation_attribution.h"
#include "pipeline/compare_models.h"
#include "pipeline/decision_gates.h"
#include "pipeline/float_layer_search.h"
#include "pipeline/quantize_full_int8.h"
#include "pipeline/layer_attribution.h"
#include "quant/report.h"

namespace edgeport {

namespace {

constexpr std::size_t kShortReportRows = 5;

// Both choices of weight symmetry, measured as TFLite would run them:
// symmetric weights run in hybrid kernels, asymmetric ones stay weight-only
// behind DEQUANTIZE.
struct TfliteChoice {
  nlohmann::json figures;
  std::string line;  // for the terminal
};

TfliteChoice measure_tflite_choice(const QuantConfig& config, const ExportSource& source,
                                   const QuantizeOutcome& chosen_outcome) {
  const auto measure = [&](const OutputSets& candidate) {
    return compare_output_sets(source.inputs, source.reference_outputs, candidate).overall;
  };
  const auto measure_graph = [&](Graph graph, bool hybrid) {
    if (hybrid) mark_hybrid(graph);
    return measure(run_on_input_sets(graph, source.inputs));
  };
  QuantConfig other = config;
  other.symmetric = !other.symmetric;
  const ModelComparison other_figures = measure_graph(
      quantize_graph(source.folded.graph, other, chosen_outcome.statistics ? &*chosen_outcome.statistics : nullptr)
          .graph,
      other.symmetric);
  // Weight-only, the chosen graph runs as it did for the quantizer's figures.
  const ModelComparison chosen_figures = config.symmetric ? measure_graph(chosen_outcome.result.graph, true)
                                                          : measure(chosen_outcome.outputs);
  const auto& hybrid_figures = config.symmetric ? chosen_figures : other_figures;
  const auto& weight_only_figures = config.symmetric ? other_figures : chosen_figures;
  return {{{"hybrid_symmetric", comparison_json(hybrid_figures)},
           {"weight_only_asymmetric", comparison_json(weight_only_figures)}},
          "TFLite choices against float: weight-only asymmetric SQNR " + format_db(weight_only_figures.sqnr_db) +
              " dB, hybrid --symmetric SQNR " + format_db(hybrid_figures.sqnr_db) + " dB"};
}

std::string join(const std::vector<std::string>& names) {
  std::string text;
  for (const std::string& name : names) text += (text.empty() ? "" : ",") + name;
  return text.empty() ? "none" : text;
}

// --min-sqnr and the decision gates, on the verification inputs.
FloorCheck export_floors(const ExportRequest& request, const ExportSource& source) {
  return [&request, &source](const ModelLevelComparison& comparison, const OutputSets& reference,
                             const OutputSets& candidate) {
    if (comparison.overall.sqnr_db < request.min_sqnr_db) return false;
    const DecisionFigures decisions =
        decision_figures(decision_kind(source.reference), source.inputs, reference, candidate, request.threshold);
    return missed_decision_gates(request.decision_gates, decisions).empty();
  };
}

void report_float_layer_choice(const FloatLayerChoice& choice, double floor_db, ExportForm& form,
                               StagePrinter& stages) {
  stages.line("float layers chosen by measurement: " + join(choice.float_layers) + " (SQNR " +
              format_db(choice.comparison.overall.sqnr_db) + " dB against the floor " + format_db(floor_db) +
              " dB, decision gates " + (choice.met ? "held" : "missed") + "; " + std::to_string(choice.candidates_measured) + " candidates measured, " +
              (choice.exhaustive ? "every smaller set fails" : "greedy by error share") + ")");
  form.quantization["float_layer_search"] = {{"float_layers", choice.float_layers},
                                             {"sqnr_db", choice.comparison.overall.sqnr_db},
                                             {"min_sqnr_db", floor_db},
                                             {"candidates_measured", choice.candidates_measured},
                                             {"exhaustive", choice.exhaustive},
                                             {"met", choice.met}};
}

// --float-layers auto: the fewest float layers with which the weight-only
// file meets the floors.
QuantConfig choose_float_layers(const ExportRequest& request, const ExportSource& source, const FloatRun& folded,
                                ExportForm& form, StagePrinter& stages) {
  const FloatLayerChoice choice =
      fewest_float_layers(source.folded.graph, folded.outputs, request.quant, source.inputs,
                          export_floors(request, source), folded.statistics ? &*folded.statistics : nullptr);
  report_float_layer_choice(choice, request.min_sqnr_db, form, stages);
  QuantConfig config = request.quant;
  config.float_layers = choice.float_layers;
  return config;
}

// --quantization int8: the QDQ graph both formats are written from, its
// activation ranges calibrated on the verification inputs.
// Every Conv and Linear, the frozen gradient filter included: its output is
// an activation like any other.
std::vector<std::string> convolution_layers(const Graph& graph) {
  std::vector<std::string> layers;
  for (const Node& node : graph.nodes) {
    if (node.op == op::Conv || node.op == op::Linear) layers.push_back(node.name);
  }
  return layers;
}

// --float-layers auto with --quantization int8: the fewest layers left in
// float with which the full-int8 graph meets the floors. The greedy order
// starts with the readers of the activations whose quantization costs most.
std::vector<std::string> choose_static_float_layers(const ExportRequest& request, const ExportSource& source,
                                                    const Graph& quantized_source,
                                                    const std::vector<LabelledInputs>& inputs,
                                                    const std::vector<std::vector<Tensor>>& calibration,
                                                    const StaticQuantConfig& config, ExportForm& form,
                                                    StagePrinter& stages) {
  const FloatLayerQuantizer quantize = [&](const std::vector<std::string>& float_layers) {
    StaticQuantConfig candidate = config;
    candidate.float_layers = float_layers;
    return quantize_static(quantized_source, calibration, candidate).graph;
  };
  const auto by_activation_cost = [&] {
    std::vector<std::string> ordered;
    for (const ActivationShare& row :
         attribute_activation_errors(quantize(config.float_layers), inputs, source.reference_outputs)) {
      const int value = quantized_source.find_value(row.activation);
      if (value < 0) continue;
      for (int reader : quantized_source.consumers(value)) {
        const std::string& name = quantized_source.nodes[static_cast<std::size_t>(reader)].name;
        if (std::find(ordered.begin(), ordered.end(), name) == ordered.end()) ordered.push_back(name);
      }
    }
    const std::vector<std::string> layers = convolution_layers(quantized_source);
    std::vector<std::string> weighted;
    for (const std::string& name : ordered) {
      if (std::find(layers.begin(), layers.end(), name) != layers.end()) weighted.push_back(name);
    }
    for (const std::string& name : layers) {
      if (std::find(weighted.begin(), weighted.end(), name) == weighted.end()) weighted.push_back(name);
    }
    return weighted;
  };
  const FloatLayerChoice choice =
      fewest_float_layers(quantize, {convolution_layers(quantized_source), config.float_layers, by_activation_cost},
                          source.reference_outputs, inputs, export_floors(request, source));
  report_float_layer_choice(choice, request.min_sqnr_db, form, stages);
  return choice.float_layers;
}

void quantize_full_int8(const ExportRequest& request, const ExportSource& source, ExportForm& form,
                        StagePrinter& stages) {
  StaticQuantConfig config = request.static_quant;
  config.float_layers = request.quant.float_layers;
  stages.begin("quantize weights and activations (full int8, calibration " + to_string(config.method) + " on " +
               std::to_string(source.inputs.size()) + " inputs)");
  Graph quantized_source = static_quantization_source(source.folded.graph);
  if (request.fold_normalization) fold_input_normalization(quantized_source);
  const std::vector<LabelledInputs> inputs = inputs_for(quantized_source, source.reference, source.inputs);
  std::vector<std::vector<Tensor>> calibration;
  for (const LabelledInputs& input : inputs) calibration.push_back(input.tensors);
  if (request.choose_float_layers) {
    config.float_layers = progress_phase("float layer search", [&] {
      return choose_static_float_layers(request, source, quantized_source, inputs, calibration, config, form, stages);
    });
  }
  form.full_int8 = progress_phase("calibration", [&] { return quantize_static(quantized_source, calibration, config); });
  stages.line(std::to_string(form.full_int8->activations.size()) +
              " activations int8 per tensor (range includes 0), weights int8 symmetric per channel, biases int32" +
              (form.full_int8->exact_weights.empty() ? std::string()
                                                     : "; exact (integer kernel times a power of two): " + join(form.full_int8->exact_weights)));
  nlohmann::json activations = nlohmann::json::object();
  for (const auto& [name, params] : form.full_int8->activations) {
    activations[name] = {{"scale", params.scale}, {"zero_point", params.zero_point}};
  }
  const std::vector<ActivationShare> attribution = progress_phase(
      "activation attribution",
      [&] { return attribute_activation_errors(form.full_int8->graph, inputs, source.reference_outputs); });
  const double total =
      compare_output_sets(source.inputs, source.reference_outputs, run_on_input_sets(form.full_int8->graph, inputs))
          .overall.sqnr_db;
  stages.block(format_activation_attribution(attribution, total));
  nlohmann::json shares = nlohmann::json::array();
  for (const ActivationShare& row : attribution) {
    shares.push_back({{"activation", row.activation.empty() ? "(weights alone)" : row.activation}, {"sqnr_db", row.sqnr_db}});
  }
  form.quantization["activation_attribution"] = std::move(shares);
  form.quantization["calibration_method"] = to_string(config.method);
  form.quantization["activations"] = std::move(activations);
  // A float layer at the front leaves the input float: no integer interface then, unless asked for.
  form.quantization["io_type"] = request.io_type.value_or(config.float_layers.empty() ? "int8" : "float");
  form.quantization["float_layers"] = config.float_layers;
  form.quantization["fold_normalization"] = request.fold_normalization;
  stages.end();
}

}  // namespace

ExportForm choose_form_stage(const ExportRequest& request, const ExportSource& source,
                             const StagingDirectory& staging, StagePrinter& stages) {
  ExportForm form;
  form.quantization = {{"mode", request.quantization}};
  if (request.quantization == "int8") quantize_full_int8(request, source, form, stages);
  if (request.quantization != "dynamic") return form;
  stages.begin("quantize weights (int8, " + std::string(request.quant.symmetric ? "symmetric" : "asymmetric") + ", " +
               (request.quant.per_channel ? "per-channel" : "per-tensor") + ")");
  // The folded model's outputs (and the statistics, when needed) come from
  // one run per input that every measurement below reuses.
  FloatRun folded =
      progress_phase("float model", [&] { return run_float_model(source.folded.graph, request.quant, source.inputs); });
  const QuantConfig config =
      request.choose_float_layers
          ? progress_phase("float layer search", [&] { return choose_float_layers(request, source, folded, form, stages); })
          : request.quant;
  form.quantized = progress_phase("quantization", [&] {
    return quantize_with_statistics(source.folded.graph, config, source.inputs, std::move(folded.statistics),
                                    folded.outputs);
  });
  std::optional<TfliteChoice> tflite_choice;
  if (!request.skip_tflite) {
    tflite_choice =
        progress_phase("TFLite forms", [&] { return measure_tflite_choice(config, source, *form.quantized); });
  }
  // Writing, verifying and the per-layer figures need only the quantized
  // graph, and a deep model's statistics take tens of MB until the export ends.
  form.quantized->statistics.reset();
  // The measurements above made and dropped a deep model's worth of sessions.
  // Their freed pages go back to the system before the per-layer figures, the
  // stage's largest phase, make sessions of their own (bench/export_memory.sh).
  release_free_heap_pages();
  const LayerAttribution attribution =
      attribute_layer_errors(source.folded.graph, form.quantized->result.graph, source.inputs);
  const std::string report =
      format_report(form.quantized->result, form.quantized->model) + format_layer_attribution(attribution);
  // Deep models have hundreds of report lines; the terminal gets the worst
  // few and the files the rest.
  stages.block(format_report_summary(form.quantized->result, form.quantized->model) +
               format_layer_attribution(attribution, kShortReportRows) + "full report: " +
               (request.output_dir / "quantization_report.txt").string() +
               " and quantization_report.json (in place once the export succeeds)\n");
  write_file_atomically(staging.path("quantization_report.txt"), report);
  nlohmann::json report_document = report_json(form.quantized->result, form.quantized->model);
  report_document["layer_attribution"] = layer_attribution_json(attribution);
  write_file_atomically(staging.path("quantization_report.json"), report_document.dump(2) + "\n");
  form.report_files = {"quantization_report.txt", "quantization_report.json"};
  form.quantization["weights"] = config_json(config);
  if (tflite_choice) {
    stages.line(tflite_choice->line);
    form.tflite_choice = std::move(tflite_choice->figures);
  }
  stages.end();
  return form;
}

}  // namespace edgeport
