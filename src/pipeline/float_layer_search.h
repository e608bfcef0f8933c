#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "pipeline/compare_models.h"
#include "quant/quantizer.h"

namespace edgeport {

// Whether a quantized candidate meets the user's floors, given its figures
// and both models' outputs on the inputs.
using FloorCheck = std::function<bool(const ModelLevelComparison& comparison, const OutputSets& reference,
                                      const OutputSets& candidate)>;

struct FloatLayerChoice {
  std::vector<std::string> float_layers;  // the user's own plus the chosen ones
  ModelLevelComparison comparison;         // of the chosen candidate
  std::size_t candidates_measured = 0;
  bool exhaustive = false;  // every smaller set was measured and failed
  bool met = false;
};

// The quantized graph with the named layers kept in float.
using FloatLayerQuantizer = std::function<Graph(const std::vector<std::string>& float_layers)>;

struct FloatLayerSearch {
  std::vector<std::string> candidates;         // the layers that may stay float
  std::vector<std::string> base_float_layers;  // the user's own, always float
  // The candidates in the order the greedy search keeps them in float,
  // computed only when it runs.
  std::function<std::vector<std::string>()> greedy_order;
};

// Keeps the fewest candidates in float, besides the base ones, so that the
// quantized graph meets the floors on the inputs: every subset by
// increasing size with at most `exhaustive_limit` candidates (among equal
// sizes the highest SQNR wins), the greedy order beyond that.
FloatLayerChoice fewest_float_layers(const FloatLayerQuantizer& quantize, const FloatLayerSearch& search,
                                     const OutputSets& float_outputs, const std::vector<LabelledInputs>& inputs,
                                     const FloorCheck& meets_floors, std::size_t exhaustive_limit = 6);

// Weight quantization (quantizer.h): keeps the fewest layers in float so that the quantized graph meets the
// floors on the inputs. With at most `exhaustive_limit` quantizable layers
// every subset is tried by increasing size (among equal sizes the highest
// SQNR wins), so the answer is the smallest possible; beyond that, layers are
// kept in float in the order of their share of the output error (see
// layer_attribution.h) until the floors hold, which may keep more than needed.
FloatLayerChoice fewest_float_layers(const Graph& float_graph, const QuantConfig& config,
                                     const std::vector<LabelledInputs>& inputs, const FloorCheck& meets_floors,
                                     const CalibrationStatistics* statistics = nullptr,
                                     std::size_t exhaustive_limit = 6);

// The same with the float graph's outputs on `inputs` already computed.
FloatLayerChoice fewest_float_layers(const Graph& float_graph, const OutputSets& float_outputs,
                                     const QuantConfig& config, const std::vector<LabelledInputs>& inputs,
                                     const FloorCheck& meets_floors, const CalibrationStatistics* statistics = nullptr,
                                     std::size_t exhaustive_limit = 6);

}  // namespace edgeport
