#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/graph.h"
#include "pipeline/inputs.h"
#include "quant/quantizer.h"

namespace edgeport {

// Where a weight quantization loses accuracy, layer by layer, measured on the
// given inputs against the float graph. SQNRs are in dB (+inf when exact).
struct LayerError {
  std::string layer;  // the Conv / Linear node
  // The layer's output with only its own weights quantized (its input float).
  double own_sqnr_db = 0.0;
  // The layer's output in the fully quantized graph: its own error plus what
  // every quantized layer before it propagated.
  double propagated_sqnr_db = 0.0;
  // The model's output with only this layer quantized.
  double output_sqnr_db = 0.0;
  // This layer's output error energy over the sum of all layers' (each
  // measured with only that layer quantized).
  double output_error_share = 0.0;
};

struct LayerAttribution {
  std::vector<LayerError> layers;  // in graph order
  std::string most_harmful;        // the layer with the largest share; empty without layers
  std::size_t inputs = 0;            // measured on the first `inputs` ...
  std::size_t inputs_available = 0;  // ... of these
};

// Measures the three figures of every layer whose weights `quantized` (the
// float graph quantized) reads through Dequantize: with every quantized
// layer at once, then each alone. Layers kept in float are not listed. A
// model of L layers is measured on its first max(2, 96 / L) inputs (all of
// them for Tiny-LaDeDa's 5 layers).
LayerAttribution attribute_layer_errors(const Graph& float_graph, const Graph& quantized,
                                        const std::vector<LabelledInputs>& inputs);

// The same for `float_graph` quantized per `config`.
LayerAttribution attribute_layer_errors(const Graph& float_graph, const QuantConfig& config,
                                        const std::vector<LabelledInputs>& inputs,
                                        const CalibrationStatistics* statistics = nullptr);

// The table of every layer in graph order; with `largest`, only that many
// layers of largest share, largest first (the terminal's short report).
std::string format_layer_attribution(const LayerAttribution& attribution,
                                     std::optional<std::size_t> largest = std::nullopt);
nlohmann::json layer_attribution_json(const LayerAttribution& attribution);

}  // namespace edgeport
