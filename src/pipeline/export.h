#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "pipeline/decision_gates.h"
#include "pipeline/model_file.h"
#include "quant/compare.h"
#include "quant/quant_config.h"
#include "quant/static_quantizer.h"

namespace edgeport {

// `edgeport export`: the user's deployment pipeline in one call. Flags keep
// the meaning of the seed's export_student.py.
struct ExportRequest {
  std::filesystem::path model;
  std::filesystem::path output_dir = "outputs/deployment";
  std::string quantization = "dynamic";  // none | dynamic | float16 | int8 ("static" is read as int8)
  bool skip_onnx = false;
  bool skip_tflite = false;
  int opset = 13;
  std::string onnx_quant_format = "qdq";  // qdq | dynamic
  bool dynamic_batch = false;
  bool onnx_int8_weights = false;  // OnnxExportOptions::int8_weight_codes
  std::string device = "cpu";
  LoadOptions load;
  QuantConfig quant;
  // --quantization int8: how activation ranges are calibrated (on the
  // verification inputs), and the TFLite file's interface: float (QUANTIZE
  // in, DEQUANTIZE out), int8 (codes in and out, the default, as TFLite
  // Micro and the Edge TPU take them) or uint8. fold_normalization moves the
  // input normalisation into the graph, so the files take pixels 0..255.
  StaticQuantConfig static_quant;
  std::optional<std::string> io_type;
  bool fold_normalization = false;
  // Keep the fewest further layers in float that meet the floors (measured
  // on the verification inputs), besides quant.float_layers.
  bool choose_float_layers = false;
  std::string layout = "nchw";  // TFLite interface: nchw | nhwc
  // Also write the deployed TFLite file as <name>_model.h / .cc for TFLite
  // Micro firmware (tflite/c_array.h).
  bool c_array = false;
  std::string name = "student_model";
  // Verification inputs: the samples, the calibration images of an image
  // model (calibration_dir's, the bundled set's without one; calibration_count
  // > 0 picks that many) and `random_inputs` seeded random tensors. A quantized
  // file is never judged on random tensors alone.
  std::vector<std::filesystem::path> samples;
  std::optional<std::filesystem::path> calibration_dir;
  int calibration_count = 0;
  int random_inputs = 0;
  std::uint64_t seed = 0;
  double min_sqnr_db = 30.0;
  // Decision figures and their gates, applied to quantized files: a
  // detector's verdicts must not change unless allowed, a classifier must
  // keep 99% of its top-1 answers.
  std::optional<double> threshold;
  DecisionGates decision_gates{std::nullopt, true, 0.99};
  FloatTolerance float_tolerance;
  bool verify_external = false;
  // Write a fragile form (activations quantized at run time) even when it
  // misses the floors; the misses become warnings in the summary.
  bool force = false;
  bool quiet = false;
  // A terminal to show the running stage's progress on (terminal_stderr());
  // none when null.
  std::ostream* progress_terminal = nullptr;
};

// The TFLite interface the request asks for: --io-type, else int8 for
// --quantization int8 and float otherwise.
std::string interface_type(const ExportRequest& request);

// A failed export: the one-line message, and the summary of how far it got,
// for CI jobs that read JSON (export --json prints it). The summary holds
// "passed": false, "error" (the message), "failed_stage" (the stage running
// when it failed: "start" before the first stage, "commit" after the last)
// and "stages" (the timings of the stages that ended); after a failed
// verification, every figure of export_summary.json as well.
class ExportFailure : public Error {
 public:
  ExportFailure(const std::string& message, nlohmann::json summary)
      : Error(message), summary_(std::move(summary)) {}
  const nlohmann::json& summary() const { return summary_; }

 private:
  nlohmann::json summary_;
};

// Loads, quantizes, writes ONNX and TFLite (each quantized file with a float32
// twin), reads every file back and verifies it against the float model, then
// moves the files into the output directory together. Prints the stages to
// `out` (only the summary when quiet) and returns export_summary.json's
// content. On any failure nothing in the output directory changes and an
// ExportFailure says what failed.
nlohmann::json export_model(const ExportRequest& request, std::ostream& out);

std::string format_export_summary(const nlohmann::json& summary);

// models/tiny_ladeda_sample.pt from the working directory or next to the
// executable's build tree; an Error when neither has it.
std::filesystem::path bundled_sample_model();

}  // namespace edgeport
