#include <iostream>
#include <memory>

#include "cli/arch_option.h"
#include "cli/arithmetic_option.h"
#include "cli/commands.h"
#include "cli/shape_option.h"
#include "pipeline/run_model.h"

namespace edgeport::cli {

void add_run_command(CLI::App& app) {
  struct Options {
    RunRequest request;
    std::string input, output, heatmap, heatmap_scale = "logit", csv, aggregate = "mean", resize = "bicubic",
        input_shape, integer_arithmetic = "float";
    bool no_fold = false, float_compute = false;
  };
  auto options = std::make_shared<Options>();
  CLI::App* command = app.add_subcommand("run", "Run a model (.pt, .onnx, .tflite, .eqm) on an image, a .npy array, "
                                                "a directory of images, or a seeded random input");
  command->add_option("model", options->request.model, "Model file")->required();
  add_arch_option(*command, options->request.load.arch);
  command->add_option("--input,-i", options->input, "A .npy array, a PNG/JPEG image, or a directory of images");
  command->add_option("--output,-o", options->output, "Write the output as .npy");
  command->add_option("--heatmap", options->heatmap,
                      "Write the patch map over the photo as PNG, with the image's score and aggregation");
  command->add_option("--heatmap-scale", options->heatmap_scale,
                      "Heatmap colours: logit (default; linear, 0 in the middle), probability (per-patch sigmoid) "
                      "or rank (percentile within the image)");
  command->add_option("--csv", options->csv, "With a directory input: one row per image");
  command->add_option("--aggregate", options->aggregate, "Patch logits to one score: mean, max or topk[:K]");
  command->add_option("--resize", options->resize,
                      "How images are resized to the input size, as PIL does: bicubic (default), or bilinear "
                      "(what torchvision's transforms.Resize does)");
  command->add_option("--seed", options->request.seed, "Seed of the random input");
  command->add_option("--input-shape", options->input_shape, "Input shape, e.g. 1,3,224,224");
  command->add_flag("--no-fold", options->no_fold, "Keep BatchNorm as a separate op (checkpoints)");
  command->add_flag("--float-compute", options->float_compute,
                    "Run hybrid int8 ops in float on dequantized weights instead of TFLite's integer arithmetic");
  add_integer_arithmetic_option(*command, options->integer_arithmetic);
  command->callback([options] {
    RunRequest request = options->request;
    if (!options->input.empty()) request.input = options->input;
    if (!options->output.empty()) request.output_npy = options->output;
    if (!options->heatmap.empty()) request.heatmap_png = options->heatmap;
    request.heatmap_scale = parse_heatmap_scale(options->heatmap_scale);
    if (!options->csv.empty()) request.csv = options->csv;
    request.aggregation = Aggregation::parse(options->aggregate);
    request.resize = parse_resize_filter(options->resize);
    request.load.fold = !options->no_fold;
    request.load.input_shape = parse_shape_option(options->input_shape);
    request.hybrid = !options->float_compute;
    request.integer = parse_integer_arithmetic(options->integer_arithmetic);
    run_model(request, std::cout, std::cerr);
  });
}

}  // namespace edgeport::cli
