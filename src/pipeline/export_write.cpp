#include "pipeline/export_stages.h"

#include <map>

#include "core/file_io.h"
#include "onnx/onnx_export.h"
#include "pipeline/c_array_export.h"
#include "tflite/arena_estimate.h"
#include "tflite/info.h"
#include "tflite/writer.h"

namespace edgeport {

namespace {

std::map<std::string, std::string> file_metadata(const LoadedModel& model, const ExportForm& form) {
  std::map<std::string, std::string> metadata = {
      {"producer", "edgeport"},
      {"producer_version", EDGEPORT_VERSION},
      {"source_checkpoint", model.path.filename().string()},
      {"source_checkpoint_sha256", model.graph.metadata.at("source_sha256")},
      {"quantization", form.quantization.dump()},
  };
  if (!model.arch.empty()) metadata["architecture"] = model.arch;
  return metadata;
}

// The file without a suffix is the deployed one; a quantized or float16 file
// gets a float32 twin named *_fp32.
std::string float_file_name(const ExportRequest& request, const std::string& extension) {
  return request.name + (request.quantization != "none" ? "_fp32" : "") + extension;
}

std::vector<Artifact> write_onnx_files(const ExportRequest& request, const ExportSource& source,
                                       const ExportForm& form, const StagingDirectory& staging,
                                       StagePrinter& stages) {
  stages.begin("ONNX export (opset " + std::to_string(request.opset) + ")");
  OnnxExportOptions options;
  options.opset = request.opset;
  options.quant_format = request.onnx_quant_format;
  options.dynamic_batch = request.dynamic_batch;
  options.int8_weight_codes = request.onnx_int8_weights;
  options.metadata = file_metadata(source.folded, form);
  std::vector<Artifact> artifacts;
  const std::string float_file = float_file_name(request, ".onnx");
  write_onnx(source.folded.graph, staging.path(float_file), options);
  artifacts.push_back({float_file, "onnx", "float32", "float32", false});
  const std::string file = request.name + ".onnx";
  if (form.quantized) {
    write_onnx(form.quantized->result.graph, staging.path(file), options);
    artifacts.push_back({file, "onnx", "int8",
                         request.onnx_quant_format == "qdq"
                             ? "QDQ: int8 weights, DequantizeLinear into float Conv/Gemm"
                             : "dynamic: DynamicQuantizeLinear + ConvInteger/MatMulInteger",
                         true, request.onnx_quant_format == "dynamic"});
  } else if (form.full_int8) {
    write_onnx(form.full_int8->graph, staging.path(file), options);
    artifacts.push_back({file, "onnx", "int8", "static QDQ: QuantizeLinear/DequantizeLinear on activations and weights",
                         true});
  } else if (request.quantization == "float16") {
    options.float16_weights = true;
    write_onnx(source.folded.graph, staging.path(file), options);
    artifacts.push_back({file, "onnx", "float16", "float16 weights, Cast into float Conv/Gemm", true});
  }
  for (const Artifact& artifact : artifacts) {
    stages.line(artifact.file + ": " + std::to_string(std::filesystem::file_size(staging.path(artifact.file))) +
                " bytes, passes onnx::checker and shape inference (" + artifact.form + ")");
  }
  stages.end();
  return artifacts;
}

std::string describe_tflite_file(const std::string& file, const TfliteExportSummary& summary) {
  return file + ": " + std::to_string(summary.bytes) + " bytes, " + summary.form + ", " +
         std::to_string(summary.transposes) + " TRANSPOSE";
}

nlohmann::json staged_arena(const StagingDirectory& staging, const std::string& file) {
  return tflite_arena_json(TfliteModelView(read_file_bytes(staging.path(file)), file));
}

std::vector<Artifact> write_tflite_files(const ExportRequest& request, const ExportSource& source,
                                         const ExportForm& form, const StagingDirectory& staging,
                                         StagePrinter& stages) {
  stages.begin("TFLite conversion (layout " + request.layout + ", no TRANSPOSE around ops)");
  TfliteExportOptions options;
  options.layout = request.layout;
  options.metadata = file_metadata(source.folded, form);
  std::vector<Artifact> artifacts;
  const std::string float_file = float_file_name(request, ".tflite");
  options.quantization = "none";
  const TfliteExportSummary float_summary = write_tflite(source.folded.graph, staging.path(float_file), options);
  artifacts.push_back({float_file, "tflite", "float32", float_summary.form, false});
  stages.line(describe_tflite_file(float_file, float_summary));
  if (request.quantization != "none") {
    const std::string file = request.name + ".tflite";
    options.quantization = request.quantization;
    options.io_type = form.full_int8 ? form.quantization.at("io_type").get<std::string>() : interface_type(request);
    const Graph& graph = form.quantized   ? form.quantized->result.graph
                         : form.full_int8 ? form.full_int8->graph
                                          : source.folded.graph;
    const TfliteExportSummary summary = write_tflite(graph, staging.path(file), options);
    const bool int8 = form.quantized || form.full_int8;
    artifacts.push_back({file, "tflite", int8 ? "int8" : "float16", summary.form, true, summary.hybrid_ops > 0});
    stages.line(describe_tflite_file(file, summary));
  }
  for (Artifact& artifact : artifacts) {
    artifact.arena = staged_arena(staging, artifact.file);
    stages.line(artifact.file + ": " + format_tflite_arena(artifact.arena));
  }
  stages.end();
  return artifacts;
}

}  // namespace

std::vector<std::string> c_array_stage(const ExportRequest& request, const StagingDirectory& staging,
                                       StagePrinter& stages) {
  stages.begin("C array for TFLite Micro");
  const std::string file = request.name + ".tflite";
  const std::vector<std::string> written = stage_c_array(staging.path(file), file, request.name, staging);
  stages.line(written[0] + ", " + written[1] + ": " + file + " as a 16-byte aligned const unsigned char array");
  stages.end();
  return written;
}

std::vector<Artifact> write_stage(const ExportRequest& request, const ExportSource& source, const ExportForm& form,
                                  const StagingDirectory& staging, StagePrinter& stages) {
  std::vector<Artifact> artifacts;
  if (!request.skip_onnx) artifacts = write_onnx_files(request, source, form, staging, stages);
  if (!request.skip_tflite) {
    for (Artifact& artifact : write_tflite_files(request, source, form, staging, stages)) {
      artifacts.push_back(std::move(artifact));
    }
  }
  return artifacts;
}

}  // namespace edgeport
