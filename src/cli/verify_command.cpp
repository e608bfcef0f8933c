#include <iostream>
#include <memory>
#include <optional>

#include "cli/arch_option.h"
#include "cli/arithmetic_option.h"
#include "cli/commands.h"
#include "cli/number_checks.h"
#include "cli/shape_option.h"
#include "core/error.h"
#include "pipeline/verify.h"

namespace edgeport::cli {

void add_verify_command(CLI::App& app) {
  struct Options {
    VerifyRequest request;
    std::vector<std::string> inputs;
    std::string input_shape, calibration_dir, integer_arithmetic = "float";
    std::optional<double> tolerance, relative_tolerance, min_sqnr, threshold, max_prob_delta, min_top1_agreement;
    bool float_compute = false;
  };
  auto options = std::make_shared<Options>();
  CLI::App* command = app.add_subcommand(
      "verify", "Compare two models (.pt, .onnx, .tflite, .eqm) on the same inputs: max abs diff, mean abs diff, "
                "SQNR, cosine similarity");
  command->add_option("reference", options->request.reference, "Reference model")->required();
  command->add_option("candidate", options->request.candidate, "Model to check against it")->required();
  add_arch_option(*command, options->request.load.arch);
  command->add_option("--input,-i", options->inputs,
                      "Input .npy arrays or images (repeatable; default for image models: the bundled calibration "
                      "photos)");
  command->add_option("--calibration-dir", options->calibration_dir,
                      "Also measure on the PNG/JPEG images under this directory (searched recursively)");
  command->add_option("--calibration-count", options->request.calibration_count,
                      "Use this many calibration images, evenly spaced in sorted order (default all)")
      ->check(CLI::PositiveNumber);
  command->add_option("--random", options->request.random_inputs, "Number of seeded random inputs")
      ->check(CLI::Range(0, 1000));
  command->add_option("--seed", options->request.seed, "Seed of the first random input");
  command->add_option("--input-shape", options->input_shape, "Input shape, e.g. 1,3,224,224");
  command->add_option("--tolerance", options->tolerance, "Fail when the max abs diff exceeds this")
      ->check(finite_at_least(0));
  command->add_option("--relative-tolerance", options->relative_tolerance,
                      "Fail when the max abs diff exceeds this fraction of max|reference| (the output scale)")
      ->check(finite_at_least(0));
  command->add_option("--min-sqnr", options->min_sqnr,
                      "Fail when the SQNR (dB) is below this (default 30 when no other bound on the outputs is given)")
      ->check(finite_at_least(-1000));
  command->add_option("--threshold", options->threshold,
                      "Detectors: also compare verdicts at this probability (besides 0.5)")
      ->check(probability());
  command->add_option("--max-prob-delta", options->max_prob_delta,
                      "Detectors: fail when an image's probability moves by more than this")
      ->check(probability());
  command->add_flag("--require-same-decisions,!--allow-decision-changes",
                    options->request.decision_gates.require_same_decisions,
                    "Detectors: fail when a verdict changes (at 0.5, and at --threshold; the default)");
  command->add_option("--min-top1-agreement", options->min_top1_agreement,
                      "Classifiers: fail when fewer top-1 answers than this fraction agree")
      ->check(probability());
  command->add_flag("--float-compute", options->float_compute, "Run hybrid int8 ops in float");
  add_integer_arithmetic_option(*command, options->integer_arithmetic);
  command->callback([options] {
    VerifyRequest request = options->request;
    request.inputs.assign(options->inputs.begin(), options->inputs.end());
    request.load.input_shape = parse_shape_option(options->input_shape);
    request.tolerance = options->tolerance;
    request.relative_tolerance = options->relative_tolerance;
    request.min_sqnr_db = options->min_sqnr;
    if (!options->calibration_dir.empty()) request.calibration_dir = options->calibration_dir;
    request.threshold = options->threshold;
    if (options->max_prob_delta) request.decision_gates.max_probability_delta = options->max_prob_delta;
    if (options->min_top1_agreement) request.decision_gates.min_top1_agreement = options->min_top1_agreement;
    request.hybrid = !options->float_compute;
    request.integer = parse_integer_arithmetic(options->integer_arithmetic);
    const VerifyResult result = verify_models(request, std::cout);
    if (!result.failure.empty()) throw Error("verify: " + request.candidate.string() + ": " + result.failure);
  });
}

}  // namespace edgeport::cli
