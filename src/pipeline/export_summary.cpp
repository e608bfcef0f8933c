#include "pipeline/export_stages.h"
#include "tflite/info.h"

#include <cmath>
#include <iomanip>
#include <map>
#include <sstream>

namespace edgeport {

namespace {

// The source model's size first, then every file's, with its reduction
// against the source; each artifact entry gains its "reduction_vs_pt" too.
nlohmann::json size_table(const ExportRequest& request, ModelFormat source_format, nlohmann::json& artifact_entries) {
  const auto checkpoint_bytes = static_cast<std::int64_t>(std::filesystem::file_size(request.model));
  nlohmann::json sizes = nlohmann::json::array();
  sizes.push_back({{"format", display_name(source_format) + " (" + request.model.extension().string() + ")"},
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
  return sizes;
}

nlohmann::json model_entry(const ExportRequest& request, const ExportSource& source) {
  const Graph& graph = source.reference;
  const Value& input = graph.value(graph.inputs.at(0));
  const Value& output = graph.value(graph.outputs.at(0));
  return {{"path", request.model.string()},
          {"format", to_string(source.folded.format)},
          {"sha256", source.folded.graph.metadata.at("source_sha256")},
          {"architecture", source.folded.arch},
          {"architecture_inferred", source.folded.arch_inferred},
          {"input", {{"name", input.name}, {"shape", input.shape}, {"dtype", "float32"}}},
          {"output", {{"name", output.name}, {"shape", output.shape}, {"dtype", "float32"}}}};
}

nlohmann::json configuration_entry(const ExportRequest& request, const ExportForm& form) {
  return {{"quantization", form.quantization},
          {"opset", request.opset},
          {"onnx_quant_format", request.onnx_quant_format},
          {"tflite_layout", request.layout},
          {"device", request.device},
          {"min_sqnr_db", request.min_sqnr_db},
          {"threshold", request.threshold ? nlohmann::json(*request.threshold) : nlohmann::json(nullptr)},
          {"max_prob_delta", request.decision_gates.max_probability_delta
                                 ? nlohmann::json(*request.decision_gates.max_probability_delta)
                                 : nlohmann::json(nullptr)},
          {"require_same_decisions", request.decision_gates.require_same_decisions},
          {"min_top1_agreement", request.decision_gates.min_top1_agreement
                                     ? nlohmann::json(*request.decision_gates.min_top1_agreement)
                                     : nlohmann::json(nullptr)},
          {"float_tolerance",
           {{"relative", request.float_tolerance.relative}, {"absolute", request.float_tolerance.absolute}}},
          {"verify_external", request.verify_external}};
}

// The measured choice between TFLite's two int8 forms, and which one the
// int8 .tflite file took and why.
nlohmann::json tflite_form_entry(const ExportRequest& request, const ExportForm& form,
                                 const std::vector<Artifact>& artifacts) {
  nlohmann::json choice = form.tflite_choice;
  for (const Artifact& artifact : artifacts) {
    if (artifact.kind != "tflite" || artifact.precision != "int8") continue;
    choice["written"] = artifact.form;
    choice["why"] = request.quant.symmetric
                        ? "symmetric weights (zero point 0) go straight into TFLite's hybrid kernels"
                        : "asymmetric weights have zero points, which TFLite's hybrid kernels ignore, so they stay "
                          "int8 behind DEQUANTIZE with float compute; pass --symmetric for hybrid kernels";
  }
  return choice;
}

// "12 calibration images (bundled, DIR): a.png, b.png, ...; random seed 0, x.npy".
// The calibration images are the last inputs (make_input_sets puts the
// random ones first, then the samples, then the calibration images).
std::string describe_inputs(const nlohmann::json& summary) {
  const nlohmann::json& labels = summary["verification_inputs"];
  const nlohmann::json& calibration = summary["calibration"];
  const std::size_t images = calibration.is_null() ? 0 : calibration["images"].get<std::size_t>();
  std::string calibration_part;
  std::string others;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    const std::filesystem::path path = labels[i].get<std::string>();
    const bool from_calibration = i + images >= labels.size();
    std::string& part = from_calibration ? calibration_part : others;
    part += (part.empty() ? "" : ", ") + (from_calibration ? path.filename().string() : path.string());
  }
  std::string text;
  if (images > 0) {
    text = std::to_string(images) + " calibration images (" + (calibration["bundled"].get<bool>() ? "bundled, " : "") +
           calibration["directory"].get<std::string>() + "): " + calibration_part;
  }
  if (!others.empty()) text += (text.empty() ? "" : "; ") + others;
  return text;
}

// Why a quantized file is not smaller than its float32 twin, when it is not.
nlohmann::json size_notes(const ExportRequest& request, const nlohmann::json& artifact_entries) {
  std::map<std::string, std::int64_t> bytes;
  for (const auto& artifact : artifact_entries) bytes[artifact["file"]] = artifact["bytes"].get<std::int64_t>();
  nlohmann::json notes = nlohmann::json::array();
  for (const auto& artifact : artifact_entries) {
    if (artifact["precision"] == "float32") continue;
    const std::filesystem::path file = artifact["file"].get<std::string>();
    const std::string twin = file.stem().string() + "_fp32" + file.extension().string();
    if (!bytes.count(twin) || bytes[file.string()] < bytes[twin]) continue;
    const bool zero_point_correction = artifact["kind"] == "onnx" && request.onnx_quant_format == "dynamic" &&
                                       !request.quant.symmetric;
    notes.push_back(file.string() + " (" + std::to_string(bytes[file.string()]) + " B) is not smaller than " + twin +
                    " (" + std::to_string(bytes[twin]) + " B): " +
                    (zero_point_correction
                         ? "ONNX Runtime's ConvInteger takes one weight zero point, so asymmetric per-channel "
                           "weights need a second ConvInteger per layer for the zero-point correction; --symmetric "
                           "drops it"
                         : "the model has too few weights for int8 to pay for the quantization parameters and ops"));
  }
  return notes;
}

// What a microcontroller needs of each TFLite file, and the C array files.
std::string microcontroller_text(const nlohmann::json& summary) {
  std::string text;
  for (const auto& artifact : summary["artifacts"]) {
    if (!artifact.contains("arena")) continue;
    text += "  " + artifact["file"].get<std::string>() + ": " + format_tflite_arena(artifact["arena"]) + "\n";
  }
  if (summary.contains("c_array")) {
    text += "  C array:";
    for (const auto& file : summary["c_array"]) text += " " + file.get<std::string>();
    text += "\n";
  }
  return text.empty() ? text : "\nMicrocontroller (TFLite Micro)\n" + text;
}

}  // namespace

nlohmann::json summarise(const ExportRequest& request, const ExportSource& source, const ExportForm& form,
                         const std::vector<Artifact>& artifacts, nlohmann::json artifact_entries,
                         const nlohmann::json& stage_timings) {
  nlohmann::json labels = nlohmann::json::array();
  for (const auto& set : source.inputs) labels.push_back(set.label);
  const nlohmann::json sizes = size_table(request, source.folded.format, artifact_entries);
  nlohmann::json summary = {
      {"tool", {{"name", "edgeport"}, {"version", EDGEPORT_VERSION}}},
      {"model", model_entry(request, source)},
      {"configuration", configuration_entry(request, form)},
      {"verification_inputs", labels},
      {"calibration", source.calibration},
      {"random_inputs", request.random_inputs},
      {"artifacts", artifact_entries},
      {"sizes", sizes},
      {"size_notes", size_notes(request, artifact_entries)},
      {"stages", stage_timings},
      {"output_dir", request.output_dir.string()},
      {"passed", true},
  };
  if (!form.tflite_choice.is_null()) summary["tflite_form"] = tflite_form_entry(request, form, artifacts);
  summary["float16_activation_overflows"] = nlohmann::json::array();
  for (const Float16Overflow& overflow : source.float16_overflows) {
    summary["float16_activation_overflows"].push_back(
        {{"node", overflow.node}, {"input", overflow.input}, {"largest", overflow.largest}});
  }
  return summary;
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
  for (const auto& note : summary["size_notes"]) text << "note: " << note.get<std::string>() << "\n";
  // Weight quantization records its float layers under "weights", full int8 beside its other choices.
  const nlohmann::json& quantization = summary["configuration"]["quantization"];
  const nlohmann::json& weights = quantization.value("weights", nlohmann::json());
  const nlohmann::json float_layers = weights.contains("float_layers") ? weights["float_layers"]
                                                                       : quantization.value("float_layers", nlohmann::json());
  if (float_layers.is_array() && !float_layers.empty()) {
    text << "float layers (weights kept float32):";
    for (const auto& layer : float_layers) text << " " << layer.get<std::string>();
    text << "\n";
  }
  text << std::defaultfloat << "\nVerification against the float model (" << summary["verification_inputs"].size()
       << " inputs)\n  inputs: " << describe_inputs(summary) << "\n";
  for (const auto& artifact : summary["artifacts"]) {
    for (const auto& [judge, figures] : artifact["verification"].items()) {
      const nlohmann::json& against = judge == "edgeport_runtime" ? figures : figures["vs_float_model"];
      text << "  " << std::left << std::setw(26) << artifact["file"].get<std::string>() << std::setw(18) << judge
           << "max abs diff " << std::scientific << std::setprecision(3) << against["max_abs_diff"].get<double>()
           << std::defaultfloat << ", SQNR "
           << (against["sqnr_db"].is_null() ? std::string("inf") : format_db(against["sqnr_db"].get<double>()))
           << " dB\n";
      if (against.contains("decisions")) {
        text << "  " << std::setw(44) << "" << against["decisions"]["summary"].get<std::string>() << "\n";
      }
    }
  }
  for (const auto& artifact : summary["artifacts"]) {
    if (!artifact.contains("written_with_force_despite")) continue;
    for (const auto& miss : artifact["written_with_force_despite"]) {
      text << "warning: written with --force: " << miss.get<std::string>() << "\n";
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
  text << microcontroller_text(summary);
  double total = 0;
  for (const auto& stage : summary["stages"]) total += stage["ms"].get<double>();
  text << "\nwrote " << summary["artifacts"].size() << " model files and export_summary.json to "
       << summary["output_dir"].get<std::string>() << " in " << std::fixed << std::setprecision(0) << total
       << " ms\n";
  return text.str();
}

std::string format_db(double value) {
  if (std::isinf(value)) return "inf";
  std::ostringstream text;
  text << std::fixed << std::setprecision(2) << value;
  return text.str();
}

}  // namespace edgeport
