#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <ostream>
#include <vector>

#include "pipeline/model_file.h"
#include "quant/compare.h"

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

// The seeded random inputs and the given files as labelled input sets for
// the graph's single input.
std::vector<LabelledInputs> make_input_sets(const Graph& graph, const std::vector<std::filesystem::path>& files,
                                            int random_inputs, std::uint64_t seed);

// Runs both models in our runtime on the same inputs and prints max abs diff,
// mean abs diff, SQNR and cosine similarity per input and overall.
VerifyResult verify_models(const VerifyRequest& request, std::ostream& out);

// Runs both graphs in our runtime on each input set and compares the
// candidate's first output with the reference's, adapting NCHW/NHWC
// interfaces (see layout_adapter.h).
ModelLevelComparison compare_graphs(const Graph& reference, const Graph& candidate,
                                    const std::vector<LabelledInputs>& inputs, const RunOptions& options = {});

std::string format_comparison(const ModelComparison& comparison);

}  // namespace edgeport
