#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <ostream>
#include <vector>

#include "pipeline/model_file.h"
#include "pipeline/inputs.h"
#include "quant/compare.h"
#include "quant/quantizer.h"

namespace edgeport {

struct QuantizeRequest {
  std::filesystem::path model;
  LoadOptions load;
  QuantConfig config;
  std::optional<std::filesystem::path> output;  // .eqm container; none with dry_run
  std::optional<std::filesystem::path> report;
  std::optional<std::filesystem::path> report_json;
  bool dry_run = false;
  // Model-level figures: these inputs plus `random_inputs` seeded ones.
  std::vector<std::filesystem::path> inputs;
  int random_inputs = 2;
  std::uint64_t seed = 0;
};

struct QuantizeOutcome {
  LoadedModel float_model;  // folded, as deployed
  QuantizationResult result;
  ModelLevelComparison model;
};

// Loads a model, folds BatchNorm, quantizes its Conv / Linear weights and
// measures the quantized graph against the float one in our runtime.
QuantizeOutcome quantize_loaded(LoadedModel float_model, const QuantConfig& config,
                                const std::vector<LabelledInputs>& inputs);

// `edgeport quantize`: the above, then the report (printed and written) and
// the .eqm container. Every file is written atomically.
QuantizeOutcome quantize_model(const QuantizeRequest& request, std::ostream& out);

}  // namespace edgeport
