#include <iostream>
#include <memory>

#include "cli/arch_option.h"
#include "cli/commands.h"
#include "cli/quant_options.h"
#include "cli/shape_option.h"
#include "core/error.h"
#include "pipeline/quantize_full_int8.h"
#include "pipeline/quantize_model.h"

namespace edgeport::cli {

void add_quantize_command(CLI::App& app) {
  struct Options {
    QuantizeRequest request;
    std::string output, report, report_json, input_shape, calibration_dir, quantization = "dynamic",
                                                                          calibration_method;
    std::vector<std::string> inputs;
  };
  auto options = std::make_shared<Options>();
  auto flags = std::make_shared<QuantFlags>();
  CLI::App* command = app.add_subcommand(
      "quantize", "Quantize the Conv / Linear weights of a model (after BatchNorm folding) to int8 and report "
                  "per-tensor and model-level error");
  command->add_option("model", options->request.model, "Model file (.pt, .onnx, .tflite)")->required();
  add_arch_option(*command, options->request.load.arch);
  command->add_option("--output,-o", options->output, "Write the quantized graph as an .eqm container");
  command->add_option("--report", options->report, "Write the text report to this file");
  command->add_option("--report-json", options->report_json, "Write the report as JSON");
  command->add_flag("--dry-run", options->request.dry_run, "Report only; write no container");
  command->add_option("--input,-i", options->inputs, "Inputs (.npy or images) for the model-level figures");
  command->add_option("--calibration-dir", options->calibration_dir,
                      "Images for the calibration statistics (--rounding adaptive, --bias-correction, --clip output); "
                      "they also count in the model-level figures");
  command->add_option("--random", options->request.random_inputs, "Number of seeded random inputs")
      ->check(CLI::Range(0, 1000));
  command->add_option("--seed", options->request.seed, "Seed of the first random input");
  command->add_option("--input-shape", options->input_shape, "Input shape, e.g. 1,3,224,224");
  command->add_option("--quantization", options->quantization,
                      "dynamic (default): weights only; int8 (alias static): weights and activations, calibrated on "
                      "--calibration-dir (the bundled photos for an image model without it)");
  command->add_option("--calibration-method", options->calibration_method,
                      "With --quantization int8: activation ranges by minmax, percentile, mse (default) or entropy");
  add_quant_flags(*command, flags);
  command->callback([options, flags] {
    QuantizeRequest request = options->request;
    request.config = flags->to_config();
    if (!options->output.empty()) request.output = options->output;
    if (!options->report.empty()) request.report = options->report;
    if (!options->report_json.empty()) request.report_json = options->report_json;
    if (!options->calibration_dir.empty()) request.calibration_dir = options->calibration_dir;
    request.inputs.assign(options->inputs.begin(), options->inputs.end());
    request.load.input_shape = parse_shape_option(options->input_shape);
    // The seed's converter calls full-integer quantization "static".
    const std::string mode = options->quantization == "static" ? "int8" : options->quantization;
    if (mode != "dynamic" && mode != "int8") {
      throw Error("--quantization must be dynamic or int8 (static), got '" + options->quantization + "'");
    }
    if (mode == "dynamic") {
      if (!options->calibration_method.empty()) throw Error("--calibration-method needs --quantization int8");
      quantize_model(request, std::cout);
      return;
    }
    StaticQuantConfig config;
    if (!options->calibration_method.empty()) config.method = parse_calibration_method(options->calibration_method);
    quantize_full_int8(request, config, std::cout);
  });
}

}  // namespace edgeport::cli
