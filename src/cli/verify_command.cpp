#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "cli/shape_option.h"
#include "core/error.h"
#include "pipeline/verify.h"

namespace edgeport::cli {

void add_verify_command(CLI::App& app) {
  struct Options {
    VerifyRequest request;
    std::vector<std::string> inputs;
    std::string input_shape;
    double tolerance = -1, relative_tolerance = -1, min_sqnr = -1;
    bool float_compute = false;
  };
  auto options = std::make_shared<Options>();
  CLI::App* command = app.add_subcommand(
      "verify", "Compare two models (.pt, .onnx, .tflite, .eqm) on the same inputs: max abs diff, mean abs diff, "
                "SQNR, cosine similarity");
  command->add_option("reference", options->request.reference, "Reference model")->required();
  command->add_option("candidate", options->request.candidate, "Model to check against it")->required();
  command->add_option("--arch", options->request.load.arch, "Architecture of checkpoints, NAME[:key=value,...]");
  command->add_option("--input,-i", options->inputs, "Input .npy arrays or images (repeatable)");
  command->add_option("--random", options->request.random_inputs, "Number of seeded random inputs")
      ->check(CLI::Range(0, 1000));
  command->add_option("--seed", options->request.seed, "Seed of the first random input");
  command->add_option("--input-shape", options->input_shape, "Input shape, e.g. 1,3,224,224");
  command->add_option("--tolerance", options->tolerance, "Fail when the max abs diff exceeds this");
  command->add_option("--relative-tolerance", options->relative_tolerance,
                      "Fail when the max abs diff exceeds this fraction of max|reference| (the output scale)");
  command->add_option("--min-sqnr", options->min_sqnr, "Fail when the SQNR (dB) is below this");
  command->add_flag("--float-compute", options->float_compute, "Run hybrid int8 ops in float");
  command->callback([options] {
    VerifyRequest request = options->request;
    request.inputs.assign(options->inputs.begin(), options->inputs.end());
    request.load.input_shape = parse_shape_option(options->input_shape);
    if (options->tolerance >= 0) request.tolerance = options->tolerance;
    if (options->relative_tolerance >= 0) request.relative_tolerance = options->relative_tolerance;
    if (options->min_sqnr >= 0) request.min_sqnr_db = options->min_sqnr;
    request.hybrid = !options->float_compute;
    const VerifyResult result = verify_models(request, std::cout);
    if (!result.failure.empty()) throw Error("verify: " + result.failure);
  });
}

}  // namespace edgeport::cli
