#include "pipeline/export.h"

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <iomanip>
#include <sstream>

#include "core/error.h"
#include "core/file_io.h"
#include "onnx/onnx_export.h"
#include "passes/passes.h"
#include "pipeline/external_runtimes.h"
#include "pipeline/float16_range.h"
#include "pipeline/inputs.h"
#include "pipeline/layout_adapter.h"
#include "pipeline/quantize_model.h"
#include "pipeline/verify.h"
#include "quant/report.h"
#include "runtime/session.h"
#include "tflite/writer.h"

namespace edgeport {

namespace {

using Clock = std::chrono::steady_clock;

double milliseconds_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// Files are written into a private folder inside the output directory and
// moved into place together once everything is verified; on failure the
// folder is removed and the output directory is as it was.
class Staging {
 public:
  explicit Staging(const std::filesystem::path& output_dir) : output_dir_(output_dir) {
    std::error_code status;
    std::filesystem::create_directories(output_dir_, status);
    if (status) throw Error(output_dir_.string() + ": cannot create the output directory (" + status.message() + ")");
    directory_ = output_dir_ / (".edgeport-staging-" + std::to_string(::getpid()));
    std::filesystem::create_directory(directory_, status);
    if (status || ::access(directory_.c_str(), W_OK) != 0) {
      throw Error(output_dir_.string() + ": output directory is not writable (" + status.message() + ")");
    }
  }
  Staging(const Staging&) = delete;
  Staging& operator=(const Staging&) = delete;
  ~Staging() {
    std::error_code ignored;
    std::filesystem::remove_all(directory_, ignored);
  }

  std::filesystem::path path(const std::string& file_name) const { return directory_ / file_name; }
  std::filesystem::path final_path(const std::string& file_name) const { return output_dir_ / file_name; }

  void commit(const std::vector<std::string>& file_names) {
    for (const auto& file_name : file_names) {
      std::error_code status;
      std::filesystem::rename(path(file_name), final_path(file_name), status);
      if (status) throw Error(final_path(file_name).string() + ": cannot move into place (" + status.message() + ")");
    }
  }

 private:
  std::filesystem::path output_dir_;
  std::filesystem::path directory_;
};

struct Artifact {
  std::string file;
  std::string kind;       // "onnx" | "tflite"
  std::string precision;  // "float32" | "int8" | "float16"
  std::string form;
  bool quantized = false;
};

class StagePrinter {
 public:
  StagePrinter(std::ostream& out, bool quiet, int total) : out_(out), quiet_(quiet), total_(total) {}

  void begin(const std::string& name) {
    name_ = name;
    start_ = Clock::now();
    if (!quiet_) out_ << "[" << ++index_ << "/" << total_ << "] " << name << "\n" << std::flush;
  }
  void line(const std::string& text) {
    if (!quiet_) out_ << "      " << text << "\n" << std::flush;
  }
  void end(nlohmann::json& stages) {
    const double elapsed = milliseconds_since(start_);
    stages.push_back({{"stage", name_}, {"ms", elapsed}});
    if (!quiet_) out_ << "      done in " << std::fixed << std::setprecision(1) << elapsed << " ms\n" << std::flush;
    out_ << std::defaultfloat;
  }

 private:
  std::ostream& out_;
  bool quiet_;
  int total_;
  int index_ = 0;
  std::string name_;
  Clock::time_point start_;
};

void check_request(const ExportRequest& request) {
  if (request.quantization != "none" && request.quantization != "dynamic" && request.quantization != "float16") {
    throw Error("--quantization must be none, dynamic or float16, got '" + request.quantization + "'");
  }
  if (request.layout != "nchw" && request.layout != "nhwc") {
    throw Error("--layout must be nchw or nhwc, got '" + request.layout + "'");
  }
  if (request.device != "cpu" && request.device != "cuda") {
    throw Error("--device must be cpu or cuda, got '" + request.device + "'");
  }
  if (request.skip_onnx && request.skip_tflite) throw Error("--skip-onnx with --skip-tflite leaves nothing to export");
  if (request.name.empty() || request.name.find('/') != std::string::npos) {
    throw Error("--name must be a plain file stem, got '" + request.name + "'");
  }
  if (request.random_inputs < 0) throw Error("--random must not be negative");
  OnnxExportOptions onnx_options;
  onnx_options.opset = request.opset;
  onnx_options.quant_format = request.onnx_quant_format;
  validate(onnx_options);
  if (request.quantization == "dynamic") request.quant.validate();
  if (request.calibration_dir && !std::filesystem::is_directory(*request.calibration_dir)) {
    throw Error(request.calibration_dir->string() + ": --calibration-dir is not a directory");
  }
}

std::string format_db(double value) {
  if (std::isinf(value)) return "inf";
  std::ostringstream text;
  text << std::fixed << std::setprecision(2) << value;
  return text.str();
}

std::map<std::string, std::string> export_metadata(const LoadedModel& model, const std::string& quantization_json) {
  std::map<std::string, std::string> metadata = {
      {"producer", "edgeport"},
      {"producer_version", EDGEPORT_VERSION},
      {"source_checkpoint", model.path.filename().string()},
      {"source_checkpoint_sha256", model.graph.metadata.at("source_sha256")},
      {"quantization", quantization_json},
  };
  if (!model.arch.empty()) metadata["architecture"] = model.arch;
  return metadata;
}

}  // namespace

nlohmann::json export_model(const ExportRequest& request, std::ostream& out) {
  check_request(request);
  const bool quantize = request.quantization == "dynamic";
  const int stage_count = 3 + (quantize ? 1 : 0) + (request.skip_onnx ? 0 : 1) + (request.skip_tflite ? 0 : 1);
  StagePrinter stages_out(out, request.quiet, stage_count);
  nlohmann::json stages = nlohmann::json::array();
  Staging staging(request.output_dir);
  if (request.device == "cuda" && !request.quiet) {
    out << "note: --device cuda accepted; export and verification run on the CPU\n";
  }

  stages_out.begin("load " + request.model.string());
  LoadOptions folded_options = request.load;
  folded_options.fold = true;
  LoadedModel folded = load_model(request.model, folded_options);
  LoadOptions reference_options = request.load;
  reference_options.fold = false;
  const LoadedModel reference = load_model(request.model, reference_options);
  const Value& input_value = reference.graph.value(reference.graph.inputs.at(0));
  const Value& output_value = reference.graph.value(reference.graph.outputs.at(0));
  stages_out.line(to_string(folded.format) + (folded.arch.empty() ? "" : ", " + folded.arch) +
                  (folded.arch_inferred ? " (inferred from the keys)" : "") + ", input '" + input_value.name + "' " +
                  shape_to_string(input_value.shape) + ", output '" + output_value.name + "' " +
                  shape_to_string(output_value.shape));
  std::vector<std::filesystem::path> sample_files = request.samples;
  if (request.calibration_dir) {
    for (const auto& image : list_images(*request.calibration_dir)) sample_files.push_back(image);
  }
  const std::vector<LabelledInputs> inputs =
      make_input_sets(reference.graph, sample_files, request.random_inputs, request.seed);
  const std::vector<Float16Overflow> float16_overflows = find_float16_overflows(reference.graph, inputs);
  if (!float16_overflows.empty()) {
    out << "warning: activations pass float16's range (65504): " << describe_float16_overflows(float16_overflows)
        << "; GPU and NPU delegates that compute in float16 will overflow (edgeport's files compute in float32"
        << (request.quantization == "float16" ? ", float16 only stores their weights" : "") << ")\n";
  }
  stages_out.end(stages);

  nlohmann::json quantization_json = {{"mode", request.quantization}};
  std::optional<QuantizeOutcome> quantized;
  std::vector<std::string> written;
  nlohmann::json tflite_choice;
  if (quantize) {
    stages_out.begin("quantize weights (int8, " + std::string(request.quant.symmetric ? "symmetric" : "asymmetric") +
                     ", " + (request.quant.per_channel ? "per-channel" : "per-tensor") + ")");
    quantized = quantize_loaded(folded, request.quant, inputs);
    const std::string report = format_report(quantized->result, quantized->model);
    if (!request.quiet) out << report;
    write_file_atomically(staging.path("quantization_report.txt"), report);
    write_file_atomically(staging.path("quantization_report.json"),
                          report_json(quantized->result, quantized->model).dump(2) + "\n");
    written.insert(written.end(), {"quantization_report.txt", "quantization_report.json"});
    quantization_json["weights"] = config_json(request.quant);

    // The other choice of weight symmetry, measured as TFLite would run it:
    // symmetric weights run in hybrid kernels, asymmetric ones stay
    // weight-only behind DEQUANTIZE.
    QuantConfig other = request.quant;
    other.symmetric = !other.symmetric;
    QuantizationResult alternative = quantize_graph(folded.graph, other);
    if (other.symmetric) mark_hybrid(alternative.graph);
    const ModelComparison other_figures = compare_graphs(reference.graph, alternative.graph, inputs).overall;
    Graph chosen = quantized->result.graph;
    if (request.quant.symmetric) mark_hybrid(chosen);
    const ModelComparison chosen_figures = compare_graphs(reference.graph, chosen, inputs).overall;
    const auto& hybrid_figures = request.quant.symmetric ? chosen_figures : other_figures;
    const auto& weight_only_figures = request.quant.symmetric ? other_figures : chosen_figures;
    tflite_choice = {
        {"hybrid_symmetric", comparison_json(hybrid_figures)},
        {"weight_only_asymmetric", comparison_json(weight_only_figures)},
    };
    stages_out.line("TFLite choices against float: weight-only asymmetric SQNR " +
                    format_db(weight_only_figures.sqnr_db) + " dB, hybrid --symmetric SQNR " +
                    format_db(hybrid_figures.sqnr_db) + " dB");
    stages_out.end(stages);
  }
  const std::string quantization_text = quantization_json.dump();
  const std::map<std::string, std::string> metadata = export_metadata(folded, quantization_text);

  std::vector<Artifact> artifacts;
  if (!request.skip_onnx) {
    stages_out.begin("ONNX export (opset " + std::to_string(request.opset) + ")");
    OnnxExportOptions options;
    options.opset = request.opset;
    options.quant_format = request.onnx_quant_format;
    options.dynamic_batch = request.dynamic_batch;
    options.metadata = metadata;
    const bool twin = request.quantization != "none";
    const std::string float_file = request.name + (twin ? "_fp32.onnx" : ".onnx");
    write_onnx(folded.graph, staging.path(float_file), options);
    artifacts.push_back({float_file, "onnx", "float32", "float32", false});
    const std::string file = request.name + ".onnx";
    if (quantize) {
      write_onnx(quantized->result.graph, staging.path(file), options);
      artifacts.push_back({file, "onnx", "int8",
                           request.onnx_quant_format == "qdq"
                               ? "QDQ: int8 weights, DequantizeLinear into float Conv/Gemm"
                               : "dynamic: DynamicQuantizeLinear + ConvInteger/MatMulInteger",
                           true});
    } else if (twin) {
      options.float16_weights = true;
      write_onnx(folded.graph, staging.path(file), options);
      artifacts.push_back({file, "onnx", "float16", "float16 weights, Cast into float Conv/Gemm", true});
    }
    for (const Artifact& artifact : artifacts) {
      stages_out.line(artifact.file + ": " + std::to_string(std::filesystem::file_size(staging.path(artifact.file))) +
                      " bytes, passes onnx::checker and shape inference (" + artifact.form + ")");
    }
    stages_out.end(stages);
  }
  if (!request.skip_tflite) {
    stages_out.begin("TFLite conversion (layout " + request.layout + ", no TRANSPOSE around ops)");
    TfliteExportOptions options;
    options.layout = request.layout;
    options.metadata = metadata;
    const bool twin = request.quantization != "none";
    const std::string float_file = request.name + (twin ? "_fp32.tflite" : ".tflite");
    options.quantization = "none";
    const TfliteExportSummary float_summary = write_tflite(folded.graph, staging.path(float_file), options);
    artifacts.push_back({float_file, "tflite", "float32", float_summary.form, false});
    stages_out.line(float_file + ": " + std::to_string(float_summary.bytes) + " bytes, " + float_summary.form + ", " +
                    std::to_string(float_summary.transposes) + " TRANSPOSE");
    if (twin) {
      const std::string file = request.name + ".tflite";
      options.quantization = request.quantization;
      const TfliteExportSummary summary =
          write_tflite(quantize ? quantized->result.graph : folded.graph, staging.path(file), options);
      artifacts.push_back({file, "tflite", quantize ? "int8" : "float16", summary.form, true});
      stages_out.line(file + ": " + std::to_string(summary.bytes) + " bytes, " + summary.form + ", " +
                      std::to_string(summary.transposes) + " TRANSPOSE");
      if (quantize) {
        tflite_choice["written"] = summary.form;
        tflite_choice["why"] =
            request.quant.symmetric
                ? "symmetric weights (zero point 0) go straight into TFLite's hybrid kernels"
                : "asymmetric weights have zero points, which TFLite's hybrid kernels ignore, so they stay int8 "
                  "behind DEQUANTIZE with float compute; pass --symmetric for hybrid kernels";
      }
    }
    stages_out.end(stages);
  }

  stages_out.begin("verify every file against the float model (" + std::to_string(inputs.size()) + " inputs)");
  ExternalRuntimes runtimes;
  if (request.verify_external) {
    runtimes = find_external_runtimes();
    if (!runtimes.onnxruntime && !request.skip_onnx) {
      throw Error("--verify-external: ONNX Runtime is not available (" +
                  (runtimes.notes.empty() ? std::string("see edgeport doctor") : runtimes.notes.front()) + ")");
    }
    if (!runtimes.litert && !request.skip_tflite) {
      throw Error("--verify-external: LiteRT is not available (" +
                  (runtimes.notes.empty() ? std::string("see edgeport doctor") : runtimes.notes.front()) + ")");
    }
  }
  std::vector<std::string> failures;
  nlohmann::json artifact_entries = nlohmann::json::array();
  for (const Artifact& artifact : artifacts) {
    const std::filesystem::path staged = staging.path(artifact.file);
    const LoadedModel written_model = load_model(staged);
    const ModelComparison ours = compare_graphs(reference.graph, written_model.graph, inputs).overall;
    nlohmann::json verification = {{"edgeport_runtime", comparison_json(ours)}};
    auto check = [&](const ModelComparison& figures, const std::string& judge) {
      if (artifact.quantized ? !(figures.sqnr_db >= request.min_sqnr_db) : !request.float_tolerance.holds(figures)) {
        std::ostringstream failure;
        failure << artifact.file << " in " << judge << ": ";
        if (artifact.quantized) {
          failure << "SQNR " << format_db(figures.sqnr_db) << " dB below the floor of "
                  << format_db(request.min_sqnr_db) << " dB";
        } else {
          failure << "max abs diff " << figures.max_abs_diff << " above " << request.float_tolerance.bound(figures)
                  << " (" << request.float_tolerance.describe() << ", max|reference| " << figures.reference_max_abs
                  << ")";
        }
        failures.push_back(failure.str());
      }
    };
    check(ours, "edgeport's runtime");
    stages_out.line(artifact.file + " (edgeport runtime): " + format_comparison(ours));
    if (request.verify_external) {
      const ExternalRuntime judge = artifact.kind == "onnx" ? ExternalRuntime::OnnxRuntime : ExternalRuntime::LiteRt;
      const Session session(written_model.graph);
      const Shape& artifact_input = written_model.graph.value(written_model.graph.inputs.at(0)).shape;
      ComparisonAccumulator against_reference;
      ComparisonAccumulator against_ours;
      const Session reference_session(reference.graph);
      for (const LabelledInputs& set : inputs) {
        const Tensor adapted = adapt_layout(set.tensors.front(), artifact_input);
        const Tensor external = run_external(runtimes, judge, staged, adapted);
        const Tensor mine = session.run({adapted}).front();
        against_ours.add(mine, external);
        against_reference.add(reference_session.run(set.tensors).front(), adapt_layout(external, output_value.shape));
      }
      verification[judge == ExternalRuntime::OnnxRuntime ? "onnxruntime" : "litert"] = {
          {"vs_float_model", comparison_json(against_reference.result())},
          {"vs_edgeport_runtime", comparison_json(against_ours.result())}};
      check(against_reference.result(), to_string(judge));
      stages_out.line(artifact.file + " (" + to_string(judge) + "): " + format_comparison(against_reference.result()) +
                      "; vs edgeport runtime max abs diff " + std::to_string(against_ours.result().max_abs_diff));
    }
    artifact_entries.push_back({{"file", artifact.file},
                                {"kind", artifact.kind},
                                {"precision", artifact.precision},
                                {"form", artifact.form},
                                {"bytes", std::filesystem::file_size(staged)},
                                {"verification", verification}});
  }
  stages_out.end(stages);
  if (!failures.empty()) {
    std::string joined;
    for (const auto& failure : failures) joined += (joined.empty() ? "" : "; ") + failure;
    throw Error("verification failed, nothing written to " + request.output_dir.string() + ": " + joined);
  }

  const auto checkpoint_bytes = static_cast<std::int64_t>(std::filesystem::file_size(request.model));
  nlohmann::json sizes = nlohmann::json::array();
  sizes.push_back({{"format", std::string("PyTorch (") + request.model.extension().string() + ")"},
                   {"file", request.model.filename().string()},
                   {"bytes", checkpoint_bytes},
                   {"reduction_vs_pt", 0.0}});
  for (auto& entry : artifact_entries) {
    const auto bytes = entry["bytes"].get<std::int64_t>();
    const double reduction = 1.0 - static_cast<double>(bytes) / static_cast<double>(checkpoint_bytes);
    entry["reduction_vs_pt"] = reduction;
    sizes.push_back({{"format", std::string(entry["kind"] == "onnx" ? "ONNX" : "TFLite") + " " +
                                    entry["precision"].get<std::string>()},
                     {"file", entry["file"]},
                     {"bytes", bytes},
                     {"reduction_vs_pt", reduction}});
  }
  nlohmann::json summary = {
      {"tool", {{"name", "edgeport"}, {"version", EDGEPORT_VERSION}}},
      {"model",
       {{"path", request.model.string()},
        {"format", to_string(folded.format)},
        {"sha256", folded.graph.metadata.at("source_sha256")},
        {"architecture", folded.arch},
        {"architecture_inferred", folded.arch_inferred},
        {"input", {{"name", input_value.name}, {"shape", input_value.shape}, {"dtype", "float32"}}},
        {"output", {{"name", output_value.name}, {"shape", output_value.shape}, {"dtype", "float32"}}}}},
      {"configuration",
       {{"quantization", quantization_json},
        {"opset", request.opset},
        {"onnx_quant_format", request.onnx_quant_format},
        {"tflite_layout", request.layout},
        {"device", request.device},
        {"min_sqnr_db", request.min_sqnr_db},
        {"float_tolerance",
         {{"relative", request.float_tolerance.relative}, {"absolute", request.float_tolerance.absolute}}},
        {"verify_external", request.verify_external}}},
      {"verification_inputs", [&] {
         nlohmann::json labels = nlohmann::json::array();
         for (const auto& set : inputs) labels.push_back(set.label);
         return labels;
       }()},
      {"artifacts", artifact_entries},
      {"sizes", sizes},
      {"stages", stages},
      {"output_dir", request.output_dir.string()},
      {"passed", true},
  };
  if (!tflite_choice.is_null()) summary["tflite_form"] = tflite_choice;
  summary["float16_activation_overflows"] = nlohmann::json::array();
  for (const Float16Overflow& overflow : float16_overflows) {
    summary["float16_activation_overflows"].push_back(
        {{"node", overflow.node}, {"input", overflow.input}, {"largest", overflow.largest}});
  }
  write_file_atomically(staging.path("export_summary.json"), summary.dump(2) + "\n");
  written.push_back("export_summary.json");
  for (const Artifact& artifact : artifacts) written.push_back(artifact.file);
  staging.commit(written);
  out << format_export_summary(summary);
  return summary;
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

std::string format_export_summary(const nlohmann::json& summary) {
  std::ostringstream text;
  text << "\nModel size comparison (measured)\n";
  text << std::left << std::setw(20) << "format" << std::setw(30) << "file" << std::right << std::setw(12) << "bytes"
       << std::setw(12) << "reduction" << "\n";
  for (const auto& row : summary["sizes"]) {
    text << std::left << std::setw(20) << row["format"].get<std::string>() << std::setw(30)
         << row["file"].get<std::string>() << std::right << std::setw(12) << row["bytes"].get<std::int64_t>()
         << std::setw(11) << std::fixed << std::setprecision(1) << 100.0 * row["reduction_vs_pt"].get<double>()
         << "%\n";
  }
  text << std::defaultfloat << "\nVerification against the float model (" << summary["verification_inputs"].size()
       << " inputs)\n";
  for (const auto& artifact : summary["artifacts"]) {
    for (const auto& [judge, figures] : artifact["verification"].items()) {
      const nlohmann::json& against = judge == "edgeport_runtime" ? figures : figures["vs_float_model"];
      text << "  " << std::left << std::setw(26) << artifact["file"].get<std::string>() << std::setw(18) << judge
           << "max abs diff " << std::scientific << std::setprecision(3) << against["max_abs_diff"].get<double>()
           << std::defaultfloat << ", SQNR "
           << (against["sqnr_db"].is_null() ? std::string("inf") : format_db(against["sqnr_db"].get<double>()))
           << " dB\n";
    }
  }
  if (summary.contains("tflite_form") && summary["tflite_form"].contains("written")) {
    const auto& form = summary["tflite_form"];
    auto db = [](const nlohmann::json& figures) {
      return figures["sqnr_db"].is_null() ? std::string("inf") : format_db(figures["sqnr_db"].get<double>());
    };
    text << "\nTFLite form: " << form["written"].get<std::string>() << "\n  why: " << form["why"].get<std::string>()
         << "\n  measured: weight-only asymmetric " << db(form["weight_only_asymmetric"])
         << " dB, hybrid (--symmetric) " << db(form["hybrid_symmetric"]) << " dB SQNR against float\n";
  }
  double total = 0;
  for (const auto& stage : summary["stages"]) total += stage["ms"].get<double>();
  text << "\nwrote " << summary["artifacts"].size() << " model files and export_summary.json to "
       << summary["output_dir"].get<std::string>() << " in " << std::fixed << std::setprecision(0) << total
       << " ms\n";
  return text.str();
}

}  // namespace edgeport
