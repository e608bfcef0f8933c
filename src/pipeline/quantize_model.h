#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <ostream>
#include <vector>

#include "pipeline/compare_models.h"
#include "pipeline/inputs.h"
#include "pipeline/model_file.h"
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
  // Images whose layer statistics drive the calibration methods; they also
  // count in the model-level figures. Without it the statistics come from
  // all the inputs above.
  std::optional<std::filesystem::path> calibration_dir;
  int random_inputs = 2;
  std::uint64_t seed = 0;
};

struct QuantizeOutcome {
  QuantizationResult result;
  ModelLevelComparison model;
  // The quantized graph's outputs on the inputs, for later comparisons of the
  // same graph.
  OutputSets outputs;
  // Set when the configuration needed them.
  std::optional<CalibrationStatistics> statistics;
};

// The layer statistics `config` needs, from the calibration inputs (nothing
// when it needs none; an Error naming the option when there are no inputs).
std::optional<CalibrationStatistics> statistics_for(const Graph& graph, const QuantConfig& config,
                                                    const std::vector<LabelledInputs>& calibration);

// The float graph run once per input: its outputs, which every comparison
// with it reuses, and the layer statistics `config` needs (see
// statistics_for), taken from the same runs.
struct FloatRun {
  OutputSets outputs;
  std::optional<CalibrationStatistics> statistics;
};
FloatRun run_float_model(const Graph& graph, const QuantConfig& config, const std::vector<LabelledInputs>& inputs);

// quantize_loaded with the statistics already collected and the float
// graph's outputs on `inputs` already computed.
QuantizeOutcome quantize_with_statistics(const Graph& float_graph, const QuantConfig& config,
                                         const std::vector<LabelledInputs>& inputs,
                                         std::optional<CalibrationStatistics> statistics,
                                         const OutputSets& float_outputs);

// Quantizes the Conv / Linear weights of a loaded (folded) model's graph and
// measures the quantized graph against the float one in our runtime on
// `inputs`. When the configuration needs calibration statistics they come
// from `calibration`, or from `inputs` when that is empty.
QuantizeOutcome quantize_loaded(const Graph& float_graph, const QuantConfig& config,
                                const std::vector<LabelledInputs>& inputs,
                                const std::vector<LabelledInputs>& calibration = {});

// `edgeport quantize`: the above, then the short report printed (see
// format_report_summary), the full one written to request.report and
// request.report_json, and the .eqm container. Every file is written
// atomically.
QuantizeOutcome quantize_model(const QuantizeRequest& request, std::ostream& out);

}  // namespace edgeport
