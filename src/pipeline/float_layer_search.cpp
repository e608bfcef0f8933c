#include "pipeline/float_layer_search.h"

#include <algorithm>

#include "pipeline/layer_attribution.h"

namespace edgeport {

namespace {

class CandidateMeter {
 public:
  CandidateMeter(const Graph& float_graph, const OutputSets& reference, const QuantConfig& config,
                 const std::vector<LabelledInputs>& inputs, const FloorCheck& meets_floors,
                 const CalibrationStatistics* statistics)
      : float_graph_(float_graph),
        config_(config),
        inputs_(inputs),
        meets_floors_(meets_floors),
        statistics_(statistics),
        reference_(reference) {}

  // Quantizes with `extra` layers also kept in float and measures the result.
  FloatLayerChoice measure(const std::vector<std::string>& extra) {
    QuantConfig candidate_config = config_;
    candidate_config.float_layers.insert(candidate_config.float_layers.end(), extra.begin(), extra.end());
    const OutputSets candidate = run_on_input_sets(quantize_graph(float_graph_, candidate_config, statistics_).graph, inputs_);
    FloatLayerChoice choice;
    choice.float_layers = candidate_config.float_layers;
    choice.comparison = compare_output_sets(inputs_, reference_, candidate);
    choice.met = meets_floors_(choice.comparison, reference_, candidate);
    ++measured_;
    return choice;
  }

  std::size_t measured() const { return measured_; }
  const CalibrationStatistics* statistics() const { return statistics_; }

 private:
  const Graph& float_graph_;
  const QuantConfig& config_;
  const std::vector<LabelledInputs>& inputs_;
  const FloorCheck& meets_floors_;
  const CalibrationStatistics* statistics_;
  const OutputSets& reference_;
  std::size_t measured_ = 0;
};

std::vector<std::string> quantizable_layers(const Graph& graph, const QuantConfig& config) {
  std::vector<std::string> layers;
  for (const std::string& layer : weight_layers(graph)) {
    const bool already_float =
        std::find(config.float_layers.begin(), config.float_layers.end(), layer) != config.float_layers.end();
    if (!already_float) layers.push_back(layer);
  }
  return layers;
}

bool better(const FloatLayerChoice& candidate, const FloatLayerChoice& best) {
  return candidate.met && (!best.met || candidate.comparison.overall.sqnr_db > best.comparison.overall.sqnr_db);
}

FloatLayerChoice exhaustive_search(CandidateMeter& meter, const std::vector<std::string>& layers) {
  const std::size_t count = layers.size();
  for (std::size_t size = 1; size <= count; ++size) {
    FloatLayerChoice best;
    // Each subset of `size` layers, as a selection mask in lexicographic order.
    std::vector<bool> selected(count, false);
    std::fill(selected.begin(), selected.begin() + static_cast<std::ptrdiff_t>(size), true);
    do {
      std::vector<std::string> extra;
      for (std::size_t i = 0; i < count; ++i) {
        if (selected[i]) extra.push_back(layers[i]);
      }
      FloatLayerChoice candidate = meter.measure(extra);
      if (better(candidate, best)) best = std::move(candidate);
    } while (std::prev_permutation(selected.begin(), selected.end()));
    if (best.met) return best;
  }
  return meter.measure(layers);
}

// Layers in the order of their share of the output error (each measured
// alone), kept in float one after another until the floors hold.
FloatLayerChoice greedy_search(CandidateMeter& meter, const Graph& float_graph, const QuantConfig& config,
                               const std::vector<LabelledInputs>& inputs) {
  LayerAttribution attribution = attribute_layer_errors(float_graph, config, inputs, meter.statistics());
  std::stable_sort(attribution.layers.begin(), attribution.layers.end(),
                   [](const LayerError& a, const LayerError& b) { return a.output_error_share > b.output_error_share; });
  std::vector<std::string> chosen;
  FloatLayerChoice current;
  for (const LayerError& layer : attribution.layers) {
    chosen.push_back(layer.layer);
    current = meter.measure(chosen);
    if (current.met) break;
  }
  return current;
}

}  // namespace

FloatLayerChoice fewest_float_layers(const Graph& float_graph, const QuantConfig& config,
                                     const std::vector<LabelledInputs>& inputs, const FloorCheck& meets_floors,
                                     const CalibrationStatistics* statistics, std::size_t exhaustive_limit) {
  return fewest_float_layers(float_graph, run_on_input_sets(float_graph, inputs), config, inputs, meets_floors,
                             statistics, exhaustive_limit);
}

FloatLayerChoice fewest_float_layers(const Graph& float_graph, const OutputSets& float_outputs,
                                     const QuantConfig& config, const std::vector<LabelledInputs>& inputs,
                                     const FloorCheck& meets_floors, const CalibrationStatistics* statistics,
                                     std::size_t exhaustive_limit) {
  CandidateMeter meter(float_graph, float_outputs, config, inputs, meets_floors, statistics);
  FloatLayerChoice choice = meter.measure({});
  const std::vector<std::string> layers = quantizable_layers(float_graph, config);
  const bool exhaustive = layers.size() <= exhaustive_limit;
  if (!choice.met) {
    choice = exhaustive ? exhaustive_search(meter, layers) : greedy_search(meter, float_graph, config, inputs);
  }
  choice.exhaustive = exhaustive;
  choice.candidates_measured = meter.measured();
  return choice;
}

}  // namespace edgeport
