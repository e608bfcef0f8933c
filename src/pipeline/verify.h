#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <ostream>
#include <vector>

#include "pipeline/compare_models.h"
#include "pipeline/decision_gates.h"
#include "pipeline/decision_metrics.h"
#include "pipeline/model_file.h"
#include "runtime/kernel.h"

namespace edgeport {

struct VerifyRequest {
  std::filesystem::path reference;
  std::filesystem::path candidate;
  LoadOptions load;
  // .npy arrays or images, each one input set; plus `random_inputs` seeded
  // random ones starting at `seed`. An image model given no inputs and no
  // calibration directory is measured on the bundled calibration photos.
  std::vector<std::filesystem::path> inputs;
  std::optional<std::filesystem::path> calibration_dir;
  int calibration_count = 0;
  int random_inputs = 3;
  std::uint64_t seed = 0;
  std::optional<double> tolerance;           // on max abs diff
  std::optional<double> relative_tolerance;  // on max abs diff / max|reference|
  std::optional<double> min_sqnr_db;
  std::optional<double> threshold;  // detectors: verdicts compared here too
  // Detectors keep their verdicts unless the user allows changes.
  DecisionGates decision_gates{std::nullopt, true, std::nullopt};
  bool hybrid = true;
  // How the candidate's full-int8 (QDQ) ops compute; the reference runs as written.
  IntegerArithmetic integer = IntegerArithmetic::Float;
};

struct VerifyResult {
  ModelLevelComparison comparison;
  DecisionFigures decisions;
  // Empty when every bound holds; else what was exceeded.
  std::string failure;
};

// Runs both models in our runtime on the same inputs (compare_models) and
// prints max abs diff, mean abs diff, SQNR, cosine similarity and the decision
// figures (decision_metrics.h) per input and overall.
VerifyResult verify_models(const VerifyRequest& request, std::ostream& out);

}  // namespace edgeport
