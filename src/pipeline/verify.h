#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <ostream>
#include <vector>

#include "pipeline/model_file.h"
#include "pipeline/compare_models.h"

namespace edgeport {

struct VerifyRequest {
  std::filesystem::path reference;
  std::filesystem::path candidate;
  LoadOptions load;
  // .npy arrays or images, each one input set; plus `random_inputs` seeded
  // random ones starting at `seed`.
  std::vector<std::filesystem::path> inputs;
  int random_inputs = 3;
  std::uint64_t seed = 0;
  std::optional<double> tolerance;           // on max abs diff
  std::optional<double> relative_tolerance;  // on max abs diff / max|reference|
  std::optional<double> min_sqnr_db;
  bool hybrid = true;
};

struct VerifyResult {
  ModelLevelComparison comparison;
  // Empty when every bound holds; else what was exceeded.
  std::string failure;
};

// Runs both models in our runtime on the same inputs (compare_models) and
// prints max abs diff, mean abs diff, SQNR and cosine similarity per input and
// overall.
VerifyResult verify_models(const VerifyRequest& request, std::ostream& out);

}  // namespace edgeport
