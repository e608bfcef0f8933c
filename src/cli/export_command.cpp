#include <iostream>
#include <memory>
#include <sstream>

#include "cli/arch_option.h"
#include "cli/commands.h"
#include "cli/number_checks.h"
#include "cli/quant_options.h"
#include "cli/shape_option.h"
#include "core/error.h"
#include "pipeline/export.h"
#include "pipeline/progress_line.h"

namespace edgeport::cli {

void add_export_command(CLI::App& app) {
  struct Options {
    ExportRequest request;
    std::string model, output_dir = "outputs/deployment", input_shape, calibration_dir, calibration_method, io_type;
    std::vector<std::string> samples;
    bool skip_quantization = false, json = false, require_same_decisions = false, allow_decision_changes = false;
    double threshold = -1, max_prob_delta = -1, min_top1_agreement = 0.99;
  };
  auto options = std::make_shared<Options>();
  auto flags = std::make_shared<QuantFlags>(QuantFlags::export_defaults());
  CLI::App* command = app.add_subcommand(
      "export", "The deployment pipeline: load a model (PyTorch checkpoint or ONNX file), quantize, write ONNX and "
                "TFLite, verify every file, print the size and verification tables");
  command->add_option("--model,-m", options->model,
                      "Model to export: a PyTorch checkpoint (.pt, .pth: a state_dict of an architecture --arch "
                      "lists) or an ONNX file (.onnx, e.g. from torch.onnx.export: any architecture whose ops "
                      "edgeport reads); a float .tflite file is read too (default: the bundled sample model)");
  command->add_option("--output-dir", options->output_dir, "Where the files go (default outputs/deployment)");
  command->add_option("--quantization", options->request.quantization,
                      "none, dynamic (default), float16, or int8 (alias static): weights and activations");
  command->add_option("--calibration-method", options->calibration_method,
                      "With --quantization int8: activation ranges by minmax, percentile, mse (default) or entropy");
  command->add_option("--io-type", options->io_type,
                      "With --quantization int8: the TFLite interface, int8 (default), uint8 or float");
  command->add_flag("--fold-normalization", options->request.fold_normalization,
                    "With --quantization int8: the mean/std normalisation goes into the model, which then takes "
                    "pixels 0..255 (with --io-type uint8, camera bytes as they are)");
  command->add_flag("--skip-quantization", options->skip_quantization, "Same as --quantization none");
  command->add_flag("--skip-onnx", options->request.skip_onnx, "Do not write ONNX");
  command->add_flag("--skip-tflite", options->request.skip_tflite, "Do not write TFLite");
  command->add_option("--opset", options->request.opset, "ONNX opset, 11 to 17 (default 13)");
  command->add_option("--onnx-quant-format", options->request.onnx_quant_format,
                      "qdq (default: DequantizeLinear into float ops) or dynamic (ConvInteger, as quantize_dynamic)");
  command->add_flag("--dynamic-batch", options->request.dynamic_batch, "Symbolic batch dimension in ONNX");
  command->add_flag("--onnx-int8-weights", options->request.onnx_int8_weights,
                    "Store ONNX weight codes as int8 (as TensorRT expects) instead of uint8 + 128; ONNX Runtime on "
                    "x86 CPUs without VNNI computes int8 weights in saturating 16-bit arithmetic");
  command->add_option("--device", options->request.device, "cpu (default); cuda is accepted, work runs on the CPU");
  add_arch_option(*command, options->request.load.arch);
  command->add_option("--input-shape", options->input_shape, "Input shape, e.g. 1,3,256,256");
  command->add_option("--layout", options->request.layout, "TFLite interface: nchw (default) or nhwc");
  command->add_flag("--c-array", options->request.c_array,
                    "Also write the deployed TFLite file as C++ for TFLite Micro firmware: <name>_model.h and "
                    "<name>_model.cc (an aligned const unsigned char array, its length, the interface in comments)");
  command->add_option("--name", options->request.name, "File stem (default student_model)");
  command->add_option("--sample", options->samples, "Image or .npy used in verification (repeatable)");
  command->add_option("--calibration-dir", options->calibration_dir,
                      "Directory of PNG/JPEG images (searched recursively) used in verification (default: the "
                      "bundled calibration photos, for image models)");
  command->add_option("--calibration-count", options->request.calibration_count,
                      "Use this many calibration images, evenly spaced in sorted order (default all)")
      ->check(CLI::PositiveNumber);
  command->add_option("--random", options->request.random_inputs,
                      "Seeded random verification inputs besides the images (default 0)")
      ->check(CLI::Range(0, 1000));
  command->add_option("--seed", options->request.seed, "Seed of the first random input");
  command->add_option("--min-sqnr", options->request.min_sqnr_db,
                      "Fail when a quantized file's SQNR against float is below this (default 30 dB)")
      ->check(finite_at_least(-1000));
  command->add_option("--threshold", options->threshold,
                      "Detectors: also compare verdicts at this probability (besides 0.5)")
      ->check(probability());
  command->add_option("--max-prob-delta", options->max_prob_delta,
                      "Detectors: fail when a quantized file moves an image's probability by more than this")
      ->check(probability());
  command->add_flag("--require-same-decisions", options->require_same_decisions,
                    "Detectors: fail when a quantized file changes a verdict (the default)");
  command->add_flag("--allow-decision-changes", options->allow_decision_changes,
                    "Detectors: report changed verdicts without failing");
  command->add_option("--min-top1-agreement", options->min_top1_agreement,
                      "Classifiers: fail when a quantized file keeps fewer top-1 answers than this fraction "
                      "(default 0.99)")
      ->check(probability());
  command->add_flag("--verify-external", options->request.verify_external,
                    "Also run every file in ONNX Runtime and LiteRT (see edgeport doctor)");
  command->add_flag("--force", options->request.force,
                    "Write a form that quantizes activations at run time (hybrid TFLite, dynamic ONNX) even when it "
                    "misses the floors");
  command->add_flag("--quiet,-q", options->request.quiet, "Print only the summary");
  command->add_flag("--json", options->json, "Print the summary as JSON");
  add_quant_flags(*command, flags);
  command->callback([options, flags] {
    ExportRequest request = options->request;
    request.model = options->model.empty() ? bundled_sample_model() : std::filesystem::path(options->model);
    request.output_dir = options->output_dir;
    if (options->skip_quantization) request.quantization = "none";
    // The seed's converter calls full-integer quantization "static".
    if (request.quantization == "static") request.quantization = "int8";
    if (!options->io_type.empty()) request.io_type = options->io_type;
    if (!options->calibration_method.empty()) {
      if (request.quantization != "int8") throw Error("--calibration-method needs --quantization int8");
      request.static_quant.method = parse_calibration_method(options->calibration_method);
    }
    request.quant = flags->to_config();
    request.choose_float_layers = flags->choose_float_layers();
    request.load.input_shape = parse_shape_option(options->input_shape);
    request.samples.assign(options->samples.begin(), options->samples.end());
    if (!options->calibration_dir.empty()) request.calibration_dir = options->calibration_dir;
    if (options->require_same_decisions && options->allow_decision_changes) {
      throw Error("--require-same-decisions and --allow-decision-changes contradict each other");
    }
    if (options->threshold >= 0) request.threshold = options->threshold;
    if (options->max_prob_delta >= 0) request.decision_gates.max_probability_delta = options->max_prob_delta;
    request.decision_gates.require_same_decisions = !options->allow_decision_changes;
    request.decision_gates.min_top1_agreement = options->min_top1_agreement;
    request.progress_terminal = terminal_stderr();
    if (options->json) {
      request.quiet = true;
      std::ostringstream discarded;
      // A failed export prints its summary too, then fails as any command does.
      try {
        std::cout << export_model(request, discarded).dump(2) << "\n";
      } catch (const ExportFailure& failure) {
        std::cout << failure.summary().dump(2) << "\n";
        throw;
      }
    } else {
      export_model(request, std::cout);
    }
  });
}

}  // namespace edgeport::cli
