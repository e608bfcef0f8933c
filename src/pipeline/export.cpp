#include "pipeline/export.h"

#include "core/error.h"
#include "core/file_io.h"
#include "core/heap_release.h"
#include "core/file_name.h"
#include "onnx/onnx_export.h"
#include "pipeline/export_stages.h"

namespace edgeport {

namespace {

void check_request(const ExportRequest& request) {
  if (request.quantization != "none" && request.quantization != "dynamic" && request.quantization != "float16" &&
      request.quantization != "int8") {
    throw Error("--quantization must be none, dynamic, float16 or int8 (static), got '" + request.quantization + "'");
  }
  const std::string io_type = interface_type(request);
  if (io_type != "float" && io_type != "int8" && io_type != "uint8") {
    throw Error("--io-type must be float, int8 or uint8, got '" + io_type + "'");
  }
  if (io_type != "float" && request.quantization != "int8") {
    throw Error("--io-type " + io_type + " needs --quantization int8: only a full-integer file has integer ends");
  }
  if (request.fold_normalization && request.quantization != "int8") {
    throw Error("--fold-normalization needs --quantization int8");
  }
  if (request.quantization == "int8") request.static_quant.validate();
  if (request.layout != "nchw" && request.layout != "nhwc") {
    throw Error("--layout must be nchw or nhwc, got '" + request.layout + "'");
  }
  if (request.device != "cpu" && request.device != "cuda") {
    throw Error("--device must be cpu or cuda, got '" + request.device + "'");
  }
  if (request.skip_onnx && request.skip_tflite) throw Error("--skip-onnx with --skip-tflite leaves nothing to export");
  if (request.c_array && request.skip_tflite) throw Error("--c-array needs the TFLite file that --skip-tflite drops");
  check_plain_file_name(request.name, "--name");
  if (request.random_inputs < 0) throw Error("--random must not be negative");
  if (request.calibration_count < 0) throw Error("--calibration-count must not be negative");
  if (request.threshold && !(*request.threshold > 0.0 && *request.threshold < 1.0)) {
    throw Error("--threshold must lie between 0 and 1, got " + std::to_string(*request.threshold));
  }
  OnnxExportOptions onnx_options;
  onnx_options.opset = request.opset;
  onnx_options.quant_format = request.onnx_quant_format;
  validate(onnx_options);
  if (request.quantization == "dynamic") request.quant.validate();
  if (request.calibration_dir && !std::filesystem::is_directory(*request.calibration_dir)) {
    throw Error(request.calibration_dir->string() + ": --calibration-dir is not a directory");
  }
}

// load, quantize (when dynamic or int8), ONNX, TFLite, C array, verify.
int stage_count(const ExportRequest& request) {
  const bool quantizes = request.quantization == "dynamic" || request.quantization == "int8";
  return 2 + (quantizes ? 1 : 0) + (request.skip_onnx ? 0 : 1) + (request.skip_tflite ? 0 : 1) +
         (request.c_array ? 1 : 0);
}

// A graph the files were written from, without its nodes and weights: the
// summary reads only its metadata.
void keep_metadata_only(Graph& graph) {
  Graph emptied;
  emptied.metadata = std::move(graph.metadata);
  graph = std::move(emptied);
}

// The stages after the checks; an ExportFailure carries the full summary of
// a failed verification.
nlohmann::json run_stages(const ExportRequest& request, StagePrinter& stages, std::ostream& out) {
  StagingDirectory staging(request.output_dir);
  if (request.device == "cuda" && !request.quiet) {
    out << "note: --device cuda accepted; export and verification run on the CPU\n";
  }
  ExportSource source = load_stage(request, stages);
  ExportForm form = choose_form_stage(request, source, staging, stages);
  // A file's bytes come in one block, too large for the heap's free pages to
  // serve: those pages would stay resident beside it (bench/export_memory.sh).
  release_free_heap_pages();
  const std::vector<Artifact> artifacts = write_stage(request, source, form, staging, stages);
  const std::vector<std::string> c_array_files = request.c_array ? c_array_stage(request, staging, stages)
                                                                 : std::vector<std::string>{};
  // Verification reads the files back and judges them against the reference
  // outputs: a deep model's weights are not held twice meanwhile.
  keep_metadata_only(source.folded.graph);
  if (form.quantized) keep_metadata_only(form.quantized->result.graph);
  if (form.full_int8) keep_metadata_only(form.full_int8->graph);
  release_free_heap_pages();
  Verification verification = verify_stage(request, source, artifacts, staging, stages);
  nlohmann::json summary =
      summarise(request, source, form, artifacts, std::move(verification.artifact_entries), stages.timings());
  if (request.c_array) summary["c_array"] = c_array_files;
  if (!verification.failures.empty()) {
    std::string message = "verification failed, nothing written to " + request.output_dir.string() + ": ";
    for (std::size_t i = 0; i < verification.failures.size(); ++i) {
      message += (i ? "; " : "") + verification.failures[i];
    }
    summary["passed"] = false;
    summary["error"] = message;
    summary["failed_stage"] = stages.timings().back()["stage"];
    throw ExportFailure(message, std::move(summary));
  }

  write_file_atomically(staging.path("export_summary.json"), summary.dump(2) + "\n");
  std::vector<std::string> written = form.report_files;
  written.push_back("export_summary.json");
  for (const Artifact& artifact : artifacts) written.push_back(artifact.file);
  written.insert(written.end(), c_array_files.begin(), c_array_files.end());
  staging.commit(written);
  out << format_export_summary(summary);
  return summary;
}

// What a CI job reads of an export that stopped early.
nlohmann::json failure_summary(const ExportRequest& request, const StagePrinter& stages, const std::string& message) {
  std::string stage = "start";
  if (stages.running()) {
    stage = *stages.running();
  } else if (stages.started()) {
    stage = "commit";
  }
  return {{"tool", {{"name", "edgeport"}, {"version", EDGEPORT_VERSION}}},
          {"model", {{"path", request.model.string()}}},
          {"output_dir", request.output_dir.string()},
          {"stages", stages.timings()},
          {"passed", false},
          {"error", message},
          {"failed_stage", stage}};
}

}  // namespace

std::string interface_type(const ExportRequest& request) {
  return request.io_type.value_or(request.quantization == "int8" ? "int8" : "float");
}

nlohmann::json export_model(const ExportRequest& request, std::ostream& out) {
  StagePrinter stages(out, request.quiet, stage_count(request), request.progress_terminal);
  try {
    check_request(request);
    return run_stages(request, stages, out);
  } catch (const ExportFailure&) {
    throw;
  } catch (const std::exception& error) {
    throw ExportFailure(error.what(), failure_summary(request, stages, error.what()));
  }
}

std::filesystem::path bundled_sample_model() {
  const std::filesystem::path relative = "models/tiny_ladeda_sample.pt";
  std::error_code status;
  if (std::filesystem::exists(relative, status)) return relative;
  const std::filesystem::path beside = std::filesystem::read_symlink("/proc/self/exe", status).parent_path() / ".." / relative;
  if (!status && std::filesystem::exists(beside, status)) return std::filesystem::weakly_canonical(beside, status);
  const std::filesystem::path source = std::filesystem::path(EDGEPORT_SOURCE_DIR) / relative;
  if (std::filesystem::exists(source, status)) return source;
  throw Error("the bundled sample model (models/tiny_ladeda_sample.pt) was not found; pass --model");
}

}  // namespace edgeport
