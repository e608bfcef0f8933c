#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/graph.h"
#include "quant/layer_statistics.h"
#include "quant/quant_config.h"
#include "quant/tensor_quantizer.h"

namespace edgeport {

// A Conv / Linear weight the quantizer left in float32, and why.
struct SkippedWeight {
  std::string name;
  std::string node;
  std::string reason;
  Shape shape;
  std::int64_t bytes = 0;  // of the constant; 0 when the weight is computed
};

struct QuantizationResult {
  // The input graph with every quantized weight replaced by an int8 constant
  // (Value::quant and Tensor::quant set) read through a Dequantize node;
  // metadata "quantization" holds the configuration as JSON.
  Graph graph;
  QuantConfig config;
  std::vector<TensorQuantRecord> tensors;
  std::vector<SkippedWeight> skipped;

  // Over the weights of every Conv / Linear, quantized or not.
  std::int64_t weight_bytes_before() const;
  std::int64_t weight_bytes_after() const;
  // Over every constant of the graph (weights, biases, other parameters),
  // counting each quantized channel's scale and zero point as in bytes_after.
  std::int64_t constant_bytes_before = 0;
  std::int64_t constant_bytes_after = 0;
};

// The Conv and Linear nodes whose weights the quantizer may quantize (not the
// frozen preprocessing filters), in graph order: what --float-layers names.
std::vector<std::string> weight_layers(const Graph& graph);
// The first few of them, comma-separated, for error messages.
std::string describe_weight_layers(const Graph& graph);

// Quantizes the weights of every Conv and Linear of a graph, taken as given:
// pass the graph after BatchNorm folding, as it will be deployed. Left in
// float32: Conv nodes with attribute frozen=1 (fixed preprocessing filters),
// the layers config.float_layers names (an Error for a name that is no such
// layer), weights that are not float32 constants, and weights with fewer than
// config.min_elements elements. Biases always stay float32.
// The calibration-driven options (--rounding adaptive, --bias-correction,
// --clip output) need `statistics` of every quantized layer, keyed by node
// name; without them they are an Error naming the option. Bias correction
// replaces each corrected layer's bias by a new float32 constant (adding one
// when the layer has none).
QuantizationResult quantize_graph(const Graph& folded, const QuantConfig& config,
                                  const CalibrationStatistics* statistics = nullptr);

}  // namespace edgeport
