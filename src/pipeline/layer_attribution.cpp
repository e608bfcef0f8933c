#include "pipeline/layer_attribution.h"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <optional>
#include <sstream>

#include "core/error.h"
#include "core/ops/quantization.h"
#include "pipeline/compare_models.h"

namespace edgeport {

namespace {

int layer_output(const Graph& graph, const std::string& layer) {
  for (const Node& node : graph.nodes) {
    if (node.name == layer) return node.outputs.at(0);
  }
  throw Error("layer attribution: the quantized graph has no node '" + layer + "'");
}

// The graph with the outputs of `layers` appended to its own outputs, so that
// one run yields both.
Graph watching(const Graph& graph, const std::vector<std::string>& layers) {
  Graph watched = graph;
  for (const std::string& layer : layers) watched.mark_output(layer_output(graph, layer));
  return watched;
}

// The layers whose weights the quantized graph reads through Dequantize.
std::vector<std::string> quantized_layers(const Graph& quantized) {
  std::vector<std::string> layers;
  for (const std::string& layer : weight_layers(quantized)) {
    for (const Node& node : quantized.nodes) {
      if (node.name != layer) continue;
      const int producer = quantized.producer(node.inputs.at(1));
      if (producer >= 0 && quantized.nodes[static_cast<std::size_t>(producer)].op == op::Dequantize) {
        layers.push_back(layer);
      }
    }
  }
  return layers;
}

// The parameters (weight, bias) a node of the quantized graph reads, as
// float constants: what its Dequantize nodes compute, and any bias the
// quantizer rewrote.
std::vector<std::optional<Tensor>> float_parameters(const Graph& quantized, const Node& node) {
  std::vector<std::optional<Tensor>> parameters(node.inputs.size());
  for (std::size_t i = 1; i < node.inputs.size(); ++i) {
    const int value = node.inputs[i];
    if (value == kNoValue) continue;
    const int producer = quantized.producer(value);
    if (producer >= 0 && quantized.nodes[static_cast<std::size_t>(producer)].op == op::Dequantize) {
      parameters[i] = quantized.constant(quantized.nodes[static_cast<std::size_t>(producer)].inputs.at(0)).dequantized();
    } else if (quantized.is_constant(value)) {
      parameters[i] = quantized.constant(value);
    }
  }
  return parameters;
}

// The float graph with only `layer` reading its parameters as the quantized
// graph does: the same values, without quantizing the model again.
Graph with_only_layer_quantized(const Graph& float_graph, const Graph& quantized, const std::string& layer) {
  Graph graph = float_graph;
  for (const Node& node : quantized.nodes) {
    if (node.name != layer) continue;
    const std::vector<std::optional<Tensor>> parameters = float_parameters(quantized, node);
    for (std::size_t i = 1; i < parameters.size(); ++i) {
      if (!parameters[i]) continue;
      const int replacement = graph.add_constant(graph.unique_name(layer + "_quantized_parameter"), *parameters[i]);
      for (Node& reader : graph.nodes) {
        if (reader.name != layer) continue;
        if (reader.inputs.size() <= i) reader.inputs.resize(i + 1, kNoValue);
        reader.inputs[i] = replacement;
      }
    }
  }
  return graph;
}

// Compares output `index` of every input set (candidate_index in the candidate's outputs).
ModelComparison compare_one_output(const OutputSets& reference, std::size_t index, const OutputSets& candidate,
                                   std::size_t candidate_index) {
  ComparisonAccumulator accumulator;
  for (std::size_t set = 0; set < reference.size(); ++set) {
    accumulator.add(reference[set].at(index), candidate[set].at(candidate_index));
  }
  return accumulator.result();
}

// The model's outputs compared together, as one error energy.
ModelComparison compare_model_outputs(const OutputSets& reference, const OutputSets& candidate,
                                      std::size_t model_outputs) {
  ComparisonAccumulator accumulator;
  for (std::size_t set = 0; set < reference.size(); ++set) {
    for (std::size_t i = 0; i < model_outputs; ++i) accumulator.add(reference[set][i], candidate[set][i]);
  }
  return accumulator.result();
}

// Every layer is compared with the same reference output, so the error
// energy relative to the signal ranks and shares like the absolute one.
double error_energy(const ModelComparison& comparison) { return std::pow(10.0, -comparison.sqnr_db / 10.0); }

std::string db_text(double value) {
  if (std::isinf(value)) return value > 0 ? "exact" : "-inf";
  std::ostringstream text;
  text << std::fixed << std::setprecision(2) << value << " dB";
  return text.str();
}

}  // namespace

LayerAttribution attribute_layer_errors(const Graph& float_graph, const QuantConfig& config,
                                        const std::vector<LabelledInputs>& all_inputs,
                                        const CalibrationStatistics* statistics) {
  LayerAttribution attribution;
  const QuantizationResult full = quantize_graph(float_graph, config, statistics);
  const std::vector<std::string> layers = quantized_layers(full.graph);
  if (layers.empty()) return attribution;
  // Every layer costs a run of the whole model per input; deep models are
  // measured on the first few inputs so that export stays quick.
  constexpr std::size_t kLayerRunBudget = 96;
  const std::size_t used = std::min(all_inputs.size(), std::max<std::size_t>(2, kLayerRunBudget / layers.size()));
  const std::vector<LabelledInputs> inputs(all_inputs.begin(), all_inputs.begin() + static_cast<std::ptrdiff_t>(used));
  attribution.inputs = inputs.size();
  attribution.inputs_available = all_inputs.size();
  const std::size_t model_outputs = float_graph.outputs.size();

  const OutputSets reference = run_on_input_sets(watching(float_graph, layers), inputs);
  const OutputSets quantized = run_on_input_sets(watching(full.graph, layers), inputs);

  double total_energy = 0.0;
  std::vector<double> energies;
  for (std::size_t l = 0; l < layers.size(); ++l) {
    const Graph only_this = watching(with_only_layer_quantized(float_graph, full.graph, layers[l]), {layers[l]});
    const OutputSets measured = run_on_input_sets(only_this, inputs);
    LayerError error;
    error.layer = layers[l];
    error.own_sqnr_db = compare_one_output(reference, model_outputs + l, measured, model_outputs).sqnr_db;
    error.propagated_sqnr_db = compare_one_output(reference, model_outputs + l, quantized, model_outputs + l).sqnr_db;
    const ModelComparison output = compare_model_outputs(reference, measured, model_outputs);
    error.output_sqnr_db = output.sqnr_db;
    energies.push_back(error_energy(output));
    total_energy += energies.back();
    attribution.layers.push_back(error);
  }
  double largest = -1.0;
  for (std::size_t l = 0; l < layers.size(); ++l) {
    attribution.layers[l].output_error_share = total_energy > 0.0 ? energies[l] / total_energy : 0.0;
    if (energies[l] > largest) {
      largest = energies[l];
      attribution.most_harmful = layers[l];
    }
  }
  return attribution;
}

std::string format_layer_attribution(const LayerAttribution& attribution) {
  std::ostringstream text;
  text << "\nPer-layer error (" << attribution.inputs;
  if (attribution.inputs < attribution.inputs_available) text << " of " << attribution.inputs_available;
  text << " inputs; SQNR against the float model's value at the same place)\n";
  text << std::left << std::setw(24) << "layer" << std::setw(18) << "own weights only" << std::setw(22)
       << "all layers up to it" << std::setw(20) << "output, it alone" << "share of output error\n";
  for (const LayerError& layer : attribution.layers) {
    std::ostringstream share;
    share << std::fixed << std::setprecision(1) << 100.0 * layer.output_error_share << "%";
    text << std::left << std::setw(24) << layer.layer << std::setw(18) << db_text(layer.own_sqnr_db)
         << std::setw(22) << db_text(layer.propagated_sqnr_db) << std::setw(20) << db_text(layer.output_sqnr_db)
         << share.str() << "\n";
  }
  if (!attribution.most_harmful.empty()) {
    for (const LayerError& layer : attribution.layers) {
      if (layer.layer != attribution.most_harmful) continue;
      text << "most harmful layer: " << layer.layer << " (" << std::fixed << std::setprecision(1)
           << 100.0 * layer.output_error_share << "% of the output error; --float-layers " << layer.layer
           << " keeps it in float)\n";
    }
  }
  return text.str();
}

nlohmann::json layer_attribution_json(const LayerAttribution& attribution) {
  nlohmann::json layers = nlohmann::json::array();
  const auto finite_or_null = [](double value) -> nlohmann::json {
    return std::isfinite(value) ? nlohmann::json(value) : nlohmann::json(nullptr);
  };
  for (const LayerError& layer : attribution.layers) {
    layers.push_back({{"layer", layer.layer},
                      {"own_sqnr_db", finite_or_null(layer.own_sqnr_db)},
                      {"propagated_sqnr_db", finite_or_null(layer.propagated_sqnr_db)},
                      {"output_sqnr_db_alone", finite_or_null(layer.output_sqnr_db)},
                      {"output_error_share", layer.output_error_share}});
  }
  return {{"inputs", attribution.inputs},
          {"inputs_available", attribution.inputs_available},
          {"layers", layers},
          {"most_harmful", attribution.most_harmful.empty() ? nlohmann::json(nullptr)
                                                             : nlohmann::json(attribution.most_harmful)}};
}

}  // namespace edgeport
