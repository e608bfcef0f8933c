#include "pipeline/export_stages.h"

#include "core/file_io.h"
#include "passes/passes.h"
#include "pipeline/compare_models.h"
#include "quant/report.h"

namespace edgeport {

namespace {

// Both choices of weight symmetry, measured as TFLite would run them:
// symmetric weights run in hybrid kernels, asymmetric ones stay weight-only
// behind DEQUANTIZE.
nlohmann::json measure_tflite_choice(const ExportRequest& request, const ExportSource& source,
                                     const QuantizeOutcome& chosen_outcome, StagePrinter& stages) {
  const QuantizationResult& chosen_result = chosen_outcome.result;
  QuantConfig other = request.quant;
  other.symmetric = !other.symmetric;
  QuantizationResult alternative =
      quantize_graph(source.folded.graph, other, chosen_outcome.statistics ? &*chosen_outcome.statistics : nullptr);
  if (other.symmetric) mark_hybrid(alternative.graph);
  const ModelComparison other_figures =
      compare_models(source.reference.graph, alternative.graph, source.inputs).overall;
  Graph chosen = chosen_result.graph;
  if (request.quant.symmetric) mark_hybrid(chosen);
  const ModelComparison chosen_figures = compare_models(source.reference.graph, chosen, source.inputs).overall;
  const auto& hybrid_figures = request.quant.symmetric ? chosen_figures : other_figures;
  const auto& weight_only_figures = request.quant.symmetric ? other_figures : chosen_figures;
  stages.line("TFLite choices against float: weight-only asymmetric SQNR " + format_db(weight_only_figures.sqnr_db) +
              " dB, hybrid --symmetric SQNR " + format_db(hybrid_figures.sqnr_db) + " dB");
  return {
      {"hybrid_symmetric", comparison_json(hybrid_figures)},
      {"weight_only_asymmetric", comparison_json(weight_only_figures)},
  };
}

}  // namespace

ExportForm choose_form_stage(const ExportRequest& request, const ExportSource& source,
                             const StagingDirectory& staging, StagePrinter& stages, std::ostream& out) {
  ExportForm form;
  form.quantization = {{"mode", request.quantization}};
  if (request.quantization != "dynamic") return form;
  stages.begin("quantize weights (int8, " + std::string(request.quant.symmetric ? "symmetric" : "asymmetric") + ", " +
               (request.quant.per_channel ? "per-channel" : "per-tensor") + ")");
  form.quantized = quantize_loaded(source.folded, request.quant, source.inputs);
  const std::string report = format_report(form.quantized->result, form.quantized->model);
  if (!request.quiet) out << report;
  write_file_atomically(staging.path("quantization_report.txt"), report);
  write_file_atomically(staging.path("quantization_report.json"),
                        report_json(form.quantized->result, form.quantized->model).dump(2) + "\n");
  form.report_files = {"quantization_report.txt", "quantization_report.json"};
  form.quantization["weights"] = config_json(request.quant);
  form.tflite_choice = measure_tflite_choice(request, source, *form.quantized, stages);
  stages.end();
  return form;
}

}  // namespace edgeport
