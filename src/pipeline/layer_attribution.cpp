#include "pipeline/layer_attribution.h"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <optional>
#include <sstream>

#include "core/error.h"
#include "core/heap_release.h"
#include "core/progress.h"
#include "core/ops/quantization.h"
#include "pipeline/downstream_graph.h"
#include "pipeline/watched_run.h"
#include "runtime/session.h"

namespace edgeport {

namespace {

std::size_t node_index(const Graph& graph, const std::string& layer, const char* which) {
  for (std::size_t n = 0; n < graph.nodes.size(); ++n) {
    if (graph.nodes[n].name == layer) return n;
  }
  throw Error(std::string("layer attribution: the ") + which + " graph has no node '" + layer + "'");
}

int layer_output(const Graph& graph, const std::string& layer, const char* which) {
  return graph.nodes[node_index(graph, layer, which)].outputs.at(0);
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

// Every value of the float graph per input set, indexed by value id
// (constants stay empty): what each layer's downstream run starts from and is
// compared with.
using FloatValues = std::vector<std::vector<Tensor>>;

// The values float_values keeps of one input set.
std::vector<int> computed_values(const Graph& graph) {
  std::vector<int> kept = graph.inputs;
  for (const Node& node : graph.nodes) kept.insert(kept.end(), node.outputs.begin(), node.outputs.end());
  return kept;
}

FloatValues float_values(const Graph& graph, const std::vector<LabelledInputs>& inputs) {
  const std::vector<int> kept = computed_values(graph);
  FloatValues values(inputs.size(), std::vector<Tensor>(graph.values.size()));
  run_watching(graph, kept, inputs, [&](std::size_t set, std::span<const Tensor> watched) {
    for (std::size_t i = 0; i < kept.size(); ++i) values[set][static_cast<std::size_t>(kept[i])] = watched[i];
  });
  return values;
}

// Adds each layer's output in the fully quantized graph against the float one.
void add_propagated_errors(const Graph& float_graph, const Graph& quantized, const std::vector<std::string>& layers,
                           const std::vector<LabelledInputs>& inputs, const FloatValues& reference,
                           std::vector<ComparisonAccumulator>& errors) {
  std::vector<int> watched, float_outputs;
  for (const std::string& layer : layers) {
    watched.push_back(layer_output(quantized, layer, "quantized"));
    float_outputs.push_back(layer_output(float_graph, layer, "float"));
  }
  run_watching(quantized, watched, inputs, [&](std::size_t set, std::span<const Tensor> outputs) {
    for (std::size_t l = 0; l < layers.size(); ++l) {
      errors[l].add(reference[set][static_cast<std::size_t>(float_outputs[l])], outputs[l]);
    }
  });
}

struct AloneErrors {
  ComparisonAccumulator own;     // the layer's output
  ComparisonAccumulator output;  // the model's outputs, together
};

// The float graph with only `layer` reading its parameters as the quantized
// graph does. Everything upstream of the layer keeps its float values, so
// only the part downstream runs, fed from the float run: the same values a
// run of the whole changed graph gives.
void add_errors_alone(const Graph& float_graph, const Graph& quantized, const std::string& layer,
                      const FloatValues& reference, AloneErrors& errors) {
  const std::size_t index = node_index(float_graph, layer, "float");
  const int own_output = float_graph.nodes[index].outputs.at(0);
  std::vector<int> wanted = float_graph.outputs;
  wanted.push_back(own_output);
  const DownstreamGraph part = downstream_graph(
      float_graph, index, float_parameters(quantized, quantized.nodes[node_index(quantized, layer, "quantized")]),
      wanted);
  const Session session(part.graph);
  for (const std::vector<Tensor>& values : reference) {
    std::vector<Tensor> feeds;
    for (int feed : part.feeds) feeds.push_back(values[static_cast<std::size_t>(feed)]);
    const std::vector<Tensor> results = session.run(feeds);
    const auto measured = [&](std::size_t k) -> const Tensor& {
      const int at = part.output_index[k];
      return at < 0 ? values[static_cast<std::size_t>(wanted[k])] : results[static_cast<std::size_t>(at)];
    };
    errors.own.add(values[static_cast<std::size_t>(own_output)], measured(wanted.size() - 1));
    for (std::size_t i = 0; i + 1 < wanted.size(); ++i) {
      errors.output.add(values[static_cast<std::size_t>(wanted[i])], measured(i));
    }
  }
}

// The float values of a group of input sets are held while every layer runs
// on them; each layer's downstream session is made once per group. Groups
// stay within this many bytes of values, or hold one set: resnet50's values
// are 68 MB a set, resnet18's 14 MB.
constexpr std::size_t kHeldValuesBudget = std::size_t{96} << 20;

std::size_t sets_per_group(const Graph& graph) {
  std::size_t bytes = 0;
  for (int value : computed_values(graph)) bytes += shape_nbytes(graph.value(value).shape, graph.value(value).dtype);
  return std::max<std::size_t>(1, kHeldValuesBudget / std::max<std::size_t>(1, bytes));
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

LayerAttribution attribute_layer_errors(const Graph& float_graph, const Graph& quantized,
                                        const std::vector<LabelledInputs>& all_inputs) {
  LayerAttribution attribution;
  const std::vector<std::string> layers = quantized_layers(quantized);
  if (layers.empty()) return attribution;
  // Every layer costs a run of the model downstream of it per input; deep
  // models are measured on the first few inputs so that export stays quick.
  constexpr std::size_t kLayerRunBudget = 96;
  const std::size_t used = std::min(all_inputs.size(), std::max<std::size_t>(2, kLayerRunBudget / layers.size()));
  const std::vector<LabelledInputs> inputs(all_inputs.begin(), all_inputs.begin() + static_cast<std::ptrdiff_t>(used));
  attribution.inputs = inputs.size();
  attribution.inputs_available = all_inputs.size();

  // Per group of inputs: two whole-model runs, then one downstream run per
  // layer. Each accumulator sees the inputs in order whatever the grouping.
  const std::size_t group_size = sets_per_group(float_graph);
  const std::size_t groups = (inputs.size() + group_size - 1) / group_size;
  ProgressScope progress("per-layer error", groups * (layers.size() + 2));
  std::vector<ComparisonAccumulator> propagated(layers.size());
  std::vector<AloneErrors> alone(layers.size());
  for (std::size_t first = 0; first < inputs.size(); first += group_size) {
    const std::vector<LabelledInputs> group(
        inputs.begin() + static_cast<std::ptrdiff_t>(first),
        inputs.begin() + static_cast<std::ptrdiff_t>(std::min(inputs.size(), first + group_size)));
    const FloatValues reference = float_values(float_graph, group);
    // The float session's pages go back before the quantized session is
    // made: resnet50's export peaks here, 404 MiB without this, 394 with it.
    release_free_heap_pages();
    progress.step();
    add_propagated_errors(float_graph, quantized, layers, group, reference, propagated);
    progress.step();
    for (std::size_t l = 0; l < layers.size(); ++l) {
      add_errors_alone(float_graph, quantized, layers[l], reference, alone[l]);
      progress.step();
    }
  }
  double total_energy = 0.0;
  std::vector<double> energies;
  for (std::size_t l = 0; l < layers.size(); ++l) {
    LayerError error;
    error.layer = layers[l];
    error.own_sqnr_db = alone[l].own.result().sqnr_db;
    error.propagated_sqnr_db = propagated[l].result().sqnr_db;
    const ModelComparison output = alone[l].output.result();
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

LayerAttribution attribute_layer_errors(const Graph& float_graph, const QuantConfig& config,
                                        const std::vector<LabelledInputs>& inputs,
                                        const CalibrationStatistics* statistics) {
  return attribute_layer_errors(float_graph, quantize_graph(float_graph, config, statistics).graph, inputs);
}

std::string format_layer_attribution(const LayerAttribution& attribution, std::optional<std::size_t> largest) {
  std::vector<const LayerError*> shown;
  for (const LayerError& layer : attribution.layers) shown.push_back(&layer);
  if (largest) {
    std::stable_sort(shown.begin(), shown.end(), [](const LayerError* a, const LayerError* b) {
      return a->output_error_share > b->output_error_share;
    });
    shown.resize(std::min(*largest, shown.size()));
  }
  std::ostringstream text;
  text << "\nPer-layer error (";
  if (largest) text << shown.size() << " of " << attribution.layers.size() << " layers, largest shares; ";
  text << attribution.inputs;
  if (attribution.inputs < attribution.inputs_available) text << " of " << attribution.inputs_available;
  text << " inputs; SQNR against the float model's value at the same place)\n";
  text << std::left << std::setw(24) << "layer" << std::setw(18) << "own weights only" << std::setw(22)
       << "all layers up to it" << std::setw(20) << "output, it alone" << "share of output error\n";
  for (const LayerError* entry : shown) {
    const LayerError& layer = *entry;
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
