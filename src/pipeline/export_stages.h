#pragma once

// The stages of export_model, in the order it runs them. Each stage prints
// through the StagePrinter and leaves its files in the staging directory.

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "pipeline/compare_models.h"
#include "pipeline/export.h"
#include "pipeline/float16_range.h"
#include "pipeline/inputs.h"
#include "pipeline/model_file.h"
#include "pipeline/quantize_model.h"
#include "pipeline/stage_printer.h"
#include "quant/static_quantizer.h"
#include "core/staging_directory.h"

namespace edgeport {

struct ExportSource {
  LoadedModel folded;  // BatchNorm folded, activations fused: what the files hold
  // The unfolded model, what every file is judged against: its inputs,
  // outputs and metadata only. Its weights go once its outputs on `inputs`
  // are computed; every stage judges against those.
  Graph reference;
  std::vector<LabelledInputs> inputs;
  OutputSets reference_outputs;
  std::vector<Float16Overflow> float16_overflows;
  // Where the calibration images came from; null for a model that does not
  // take images. {"directory", "bundled", "images"}.
  nlohmann::json calibration;
};

// How the files store their weights, and the figures behind the TFLite choice.
struct ExportForm {
  nlohmann::json quantization;              // {"mode": ..., "weights": ...}
  std::optional<QuantizeOutcome> quantized;  // with --quantization dynamic
  std::optional<StaticQuantization> full_int8;  // with --quantization int8
  // Measured SQNR of TFLite's hybrid (symmetric) and weight-only
  // (asymmetric) forms; null unless quantized.
  nlohmann::json tflite_choice;
  std::vector<std::string> report_files;  // staged quantization reports
};

struct Artifact {
  std::string file;
  std::string kind;       // "onnx" | "tflite"
  std::string precision;  // "float32" | "int8" | "float16"
  std::string form;
  bool quantized = false;
  // Hybrid TFLite ops and ONNX's dynamic form quantize activations at run
  // time: the fragile forms, which --force may write below the floors.
  bool activations_quantized_at_run_time = false;
  // TFLite files: the activation arena a microcontroller needs
  // (tflite_arena_json); null for ONNX.
  nlohmann::json arena = nullptr;
};

// Reads the model once, runs it unfolded as the judge, then folds it for the
// files; makes the verification inputs and warns when activations pass
// float16's range.
ExportSource load_stage(const ExportRequest& request, StagePrinter& stages);

// With --quantization dynamic: quantizes the weights, stages the reports and
// measures both TFLite forms against the float model. With int8: quantizes
// weights and activations (static_quantizer.h), calibrated on the inputs.
ExportForm choose_form_stage(const ExportRequest& request, const ExportSource& source,
                             const StagingDirectory& staging, StagePrinter& stages);

// Writes the ONNX and TFLite files (each quantized one with a float32 twin)
// into the staging directory.
std::vector<Artifact> write_stage(const ExportRequest& request, const ExportSource& source, const ExportForm& form,
                                  const StagingDirectory& staging, StagePrinter& stages);

// With --c-array: the deployed TFLite file as <name>_model.h / .cc, staged.
// Returns their names.
std::vector<std::string> c_array_stage(const ExportRequest& request, const StagingDirectory& staging,
                                       StagePrinter& stages);

// Reads every staged file back and compares it with the float model in
// edgeport's runtime (and the real runtimes with --verify-external).
struct Verification {
  nlohmann::json artifact_entries;    // export_summary.json's "artifacts"
  std::vector<std::string> failures;  // each naming the file, the judge and the figure
};
Verification verify_stage(const ExportRequest& request, const ExportSource& source,
                          const std::vector<Artifact>& artifacts, const StagingDirectory& staging,
                          StagePrinter& stages);

// export_summary.json's content.
nlohmann::json summarise(const ExportRequest& request, const ExportSource& source, const ExportForm& form,
                         const std::vector<Artifact>& artifacts, nlohmann::json artifact_entries,
                         const nlohmann::json& stage_timings);

// "12.34", or "inf" for identical outputs.
std::string format_db(double value);

}  // namespace edgeport
